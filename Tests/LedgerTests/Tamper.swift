@testable import Ledger

/// Changes a closed ledger file behind the ledger's back, as damage or an attacker would.
func tamper(_ path: String, _ sql: String) throws {
    let connection = try SQLiteConnection(path: path, mode: .readWrite)
    try connection.execute(sql)
    connection.close()
}
