import Execution
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The asset-transfer sample: fabric-samples' asset-transfer-basic (CreateAsset, ReadAsset, UpdateAsset,
/// DeleteAsset, TransferAsset, AssetExists, GetAllAssets, InitLedger) plus QueryAssetsByOwner (a JSON
/// selector) and GetAssetHistory.
public struct AssetTransfer: Chaincode {
    /// The name it is installed under.
    public static let name = "asset-transfer"

    public init() {}

    public func invoke(_ stub: ChaincodeStub) throws -> [UInt8] {
        switch stub.function {
        case "InitLedger": return try initLedger(stub)
        case "CreateAsset": return try createAsset(stub)
        case "ReadAsset": return try readAsset(stub)
        case "UpdateAsset": return try updateAsset(stub)
        case "DeleteAsset": return try deleteAsset(stub)
        case "AssetExists": return try assetExists(stub)
        case "TransferAsset": return try transferAsset(stub)
        case "GetAllAssets": return try getAllAssets(stub)
        case "QueryAssetsByOwner": return try queryAssetsByOwner(stub)
        case "GetAssetHistory": return try getAssetHistory(stub)
        default:
            throw ChaincodeError.badRequest(
                "asset-transfer has no function \"\(stub.function)\"; try CreateAsset, ReadAsset, UpdateAsset, "
                    + "DeleteAsset, AssetExists, TransferAsset, GetAllAssets, QueryAssetsByOwner, GetAssetHistory")
        }
    }

    private func initLedger(_ stub: ChaincodeStub) throws -> [UInt8] {
        let assets = [
            Asset(id: "asset1", color: "blue", size: 5, owner: "Tomoko", appraisedValue: 300),
            Asset(id: "asset2", color: "red", size: 5, owner: "Brad", appraisedValue: 400),
            Asset(id: "asset3", color: "green", size: 10, owner: "Jin Soo", appraisedValue: 500),
            Asset(id: "asset4", color: "yellow", size: 10, owner: "Max", appraisedValue: 600),
            Asset(id: "asset5", color: "black", size: 15, owner: "Adriana", appraisedValue: 700),
            Asset(id: "asset6", color: "white", size: 15, owner: "Michel", appraisedValue: 800),
        ]
        for asset in assets { try stub.putState(asset.id, try asset.json()) }
        return []
    }

    private func assetArguments(_ stub: ChaincodeStub) throws -> Asset {
        try stub.expectArguments(5, usage: "id, color, size, owner, appraisedValue")
        return Asset(
            id: try stub.string(0, "id"), color: try stub.string(1, "color"),
            size: Int(try stub.integer(2, "size")), owner: try stub.string(3, "owner"),
            appraisedValue: Int(try stub.integer(4, "appraisedValue")))
    }

    private func createAsset(_ stub: ChaincodeStub) throws -> [UInt8] {
        let asset = try assetArguments(stub)
        guard try stub.getState(asset.id) == nil else {
            throw ChaincodeError.conflict("the asset \(asset.id) already exists")
        }
        let json = try asset.json()
        try stub.putState(asset.id, json)
        try stub.setEvent("CreateAsset", json)
        return json
    }

    private func readAsset(_ stub: ChaincodeStub) throws -> [UInt8] {
        try stub.expectArguments(1, usage: "id")
        let id = try stub.string(0, "id")
        guard let json = try stub.getState(id) else { throw ChaincodeError.notFound("the asset \(id) does not exist") }
        return json
    }

    private func updateAsset(_ stub: ChaincodeStub) throws -> [UInt8] {
        let asset = try assetArguments(stub)
        guard try stub.getState(asset.id) != nil else {
            throw ChaincodeError.notFound("the asset \(asset.id) does not exist")
        }
        let json = try asset.json()
        try stub.putState(asset.id, json)
        return json
    }

    private func deleteAsset(_ stub: ChaincodeStub) throws -> [UInt8] {
        try stub.expectArguments(1, usage: "id")
        let id = try stub.string(0, "id")
        guard try stub.getState(id) != nil else { throw ChaincodeError.notFound("the asset \(id) does not exist") }
        try stub.deleteState(id)
        try stub.setEvent("DeleteAsset", Array(id.utf8))
        return []
    }

    private func assetExists(_ stub: ChaincodeStub) throws -> [UInt8] {
        try stub.expectArguments(1, usage: "id")
        return Array((try stub.getState(try stub.string(0, "id")) != nil ? "true" : "false").utf8)
    }

    /// Sets a new owner and returns the old one.
    private func transferAsset(_ stub: ChaincodeStub) throws -> [UInt8] {
        try stub.expectArguments(2, usage: "id, newOwner")
        let id = try stub.string(0, "id")
        let newOwner = try stub.string(1, "newOwner")
        guard let json = try stub.getState(id) else { throw ChaincodeError.notFound("the asset \(id) does not exist") }
        var asset = try Asset.from(json: json)
        let oldOwner = asset.owner
        asset.owner = newOwner
        let updated = try asset.json()
        try stub.putState(id, updated)
        try stub.setEvent("TransferAsset", updated)
        return Array(oldOwner.utf8)
    }

    private func getAllAssets(_ stub: ChaincodeStub) throws -> [UInt8] {
        try stub.expectArguments(0, usage: "no arguments")
        var assets: [Asset] = []
        var bookmark = ""
        repeat {
            let page = try stub.getStateByRange("", "", bookmark: bookmark)
            assets += try page.entries.map { try Asset.from(json: $0.value) }
            bookmark = page.bookmark
        } while !bookmark.isEmpty
        return Array(try AssetJSON.encoder.encode(assets))
    }

    private func queryAssetsByOwner(_ stub: ChaincodeStub) throws -> [UInt8] {
        try stub.expectArguments(1, usage: "owner")
        let owner = try stub.string(0, "owner")
        let selector = String(decoding: try JSONEncoder().encode(["Owner": owner]), as: UTF8.self)
        let assets = try stub.getQueryResult(selector).map { try Asset.from(json: $0.value) }
        return Array(try AssetJSON.encoder.encode(assets))
    }

    private func getAssetHistory(_ stub: ChaincodeStub) throws -> [UInt8] {
        try stub.expectArguments(1, usage: "id")
        let history = try stub.getHistoryForKey(try stub.string(0, "id")).map { change in
            HistoryRecord(
                txID: change.txID, blockNumber: change.version.blockNumber, txNumber: change.version.txNumber,
                isDelete: change.isDelete, asset: try change.value.map { try Asset.from(json: $0) })
        }
        return Array(try AssetJSON.encoder.encode(history))
    }
}

/// One entry of `GetAssetHistory`'s result.
struct HistoryRecord: Codable {
    var txID: String
    var blockNumber: UInt64
    var txNumber: UInt32
    var isDelete: Bool
    var asset: Asset?
}
