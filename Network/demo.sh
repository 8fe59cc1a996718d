#!/usr/bin/env bash
# Weft's main job in one command: build, start a local network (3 orderers, 2 organizations, two
# channels: ch1 of both organizations, ch2 of Org1 only), and walk through creating, transferring and
# querying assets, an ERC-20 token, and a channel that keeps Org2 out. The network keeps running afterwards; stop it with
#   .build/release/weft network down --dir ./weft-net
set -euo pipefail
cd "$(dirname "$0")/.."

dir=${WEFT_NET:-./weft-net}
config=${WEFT_BUILD:-release}
echo "== building weft ($config)" >&2
swift build -c "$config" --product weft >&2
weft=".build/$config/weft"

echo "== starting the network in $dir" >&2
if ! "$weft" network up --orgs 2 --peers 1 --orderers 3 --channels 2 --channel-orgs ch2=Org1 --dir "$dir"; then
  # Already running: that is fine for a demo.
  "$weft" network status --dir "$dir" >/dev/null
fi

id="asset-$(date +%s)"
run() { echo; echo "\$ weft $*"; "$weft" "$@"; }
run tx submit --dir "$dir" --chaincode asset-transfer --function CreateAsset --args "$id" blue 5 alice 300
run tx submit --dir "$dir" --chaincode asset-transfer --function TransferAsset --args "$id" bob
run tx evaluate --dir "$dir" --chaincode asset-transfer --function ReadAsset --args "$id"
run query history "$id" --dir "$dir"
run query rich '{"Owner":"bob"}' --dir "$dir"
txid=$("$weft" tx submit --dir "$dir" --chaincode smallbank --function CreateAccount --args "c-$id" carol 100 50 --json | sed -E 's/.*"txID":"([0-9a-f]+)".*/\1/')
run query proof "$txid" --dir "$dir"
echo; echo "== an ERC-20 token (Vyper, Chaincode/evm) deployed by a transaction"
token=$("$weft" evm deploy --dir "$dir" --bytecode Chaincode/evm/Token.bin --constructor '(string,string,uint8,uint256)' --args Weft WFT 18 1000000 --json | sed -E 's/.*"address":"(0x[0-9a-f]+)".*/\1/')
me=$("$weft" evm address --dir "$dir")
echo "token $token, my address $me"
run evm call --dir "$dir" --contract "$token" --function 'transfer(address,uint256)' --args 0x00000000000000000000000000000000000000aa 25 --returns '(bool)'
run evm query --dir "$dir" --contract "$token" --function 'balanceOf(address)' --args "$me" --returns '(uint256)'
if grep -q '^- ch2$\|^  - ch2$' "$dir/profile.yaml"; then
  echo; echo "== channel ch2: a ledger of Org1 alone"
  run tx submit --dir "$dir" --channel ch2 --chaincode asset-transfer --function CreateAsset --args "$id" red 1 dave 10
  run query info --dir "$dir" --channel ch2
  echo; echo "\$ weft query info --dir $dir --channel ch2 --identity <User1@org2>    # refused: Org2 is not a member"
  "$weft" query info --dir "$dir" --channel ch2 --identity "$dir/crypto/peerOrganizations/org2/users/User1@org2" --peer peer0.org1 || true
  run channel list --dir "$dir"
fi
run network status --dir "$dir"
echo
echo "The network is still running. Stop it with: $weft network down --dir $dir"
