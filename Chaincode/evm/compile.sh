#!/bin/sh
# Compiles the sample Vyper contracts for Weft's EVM (Cancun) and writes, per contract,
# <Name>.bin (initcode, hex) and <Name>.abi.json. The outputs are committed, so building Weft
# needs no Python; run this only after changing a .vy file.
#   pip install vyper==0.4.3 && Chaincode/evm/compile.sh
set -eu
cd "$(dirname "$0")"
command -v vyper >/dev/null || { echo "vyper not found: pip install vyper==0.4.3" >&2; exit 1; }
for source in *.vy; do
    name="${source%.vy}"
    vyper --evm-version cancun -f bytecode "$source" | tr -d '\n' | sed 's/^0x//' > "$name.bin"
    vyper --evm-version cancun -f abi "$source" | python3 -m json.tool --indent 2 > "$name.abi.json"
    echo "compiled $source with $(vyper --version): $(wc -c < "$name.bin") hex chars"
done
