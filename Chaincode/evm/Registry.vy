# pragma version ~=0.4.0
"""
@title Weft sample registry
@notice A name registry: anyone registers a free name with a value; only its owner may update,
        transfer or release it.
"""

struct Record:
    owner: address
    value: bytes32
    note: String[64]

event Registered:
    name: indexed(bytes32)
    owner: indexed(address)

event Released:
    name: indexed(bytes32)

records: HashMap[bytes32, Record]
count: public(uint256)


@external
def register(_name: bytes32, _value: bytes32, _note: String[64]):
    assert self.records[_name].owner == empty(address), "name taken"
    self.records[_name] = Record(owner=msg.sender, value=_value, note=_note)
    self.count += 1
    log Registered(name=_name, owner=msg.sender)


@external
def update(_name: bytes32, _value: bytes32, _note: String[64]):
    assert self.records[_name].owner == msg.sender, "not the owner"
    self.records[_name].value = _value
    self.records[_name].note = _note


@external
def transferName(_name: bytes32, _to: address):
    assert self.records[_name].owner == msg.sender, "not the owner"
    assert _to != empty(address), "zero owner"
    self.records[_name].owner = _to


@external
def release(_name: bytes32):
    assert self.records[_name].owner == msg.sender, "not the owner"
    self.records[_name] = empty(Record)
    self.count -= 1
    log Released(name=_name)


@view
@external
def ownerOf(_name: bytes32) -> address:
    return self.records[_name].owner


@view
@external
def lookup(_name: bytes32) -> (address, bytes32, String[64]):
    record: Record = self.records[_name]
    return record.owner, record.value, record.note
