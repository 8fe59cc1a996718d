#!/usr/bin/env bash
# Flood test with real processes (issue "Hostile members and bad input"): a local network, then, against
# peer0.org1 at once, 2,000 idle TCP connections, 500 commitEvents streams that never grant credit and a
# loop of cancelled full-scan rich queries (Tests/Flood/hostile.py), while `weft bench e2e --rate 200`
# drives the network. Passes when every offered transaction commits (0 failed), p99 < 1 s, and the
# peer's peak resident memory stays under 256 MiB. Stops the network and removes its folder, also on
# failure. Usage: Tests/Flood/run.sh [--seconds N] [--weft PATH] (default: .build/release/weft)
set -euo pipefail
cd "$(dirname "$0")/../.."
seconds=30
weft=.build/release/weft
while [ $# -gt 0 ]; do
    case "$1" in
        --seconds) seconds="$2"; shift 2 ;;
        --weft) weft="$2"; shift 2 ;;
        *) echo "usage: $0 [--seconds N] [--weft PATH]" >&2; exit 2 ;;
    esac
done
[ -x "$weft" ] || { echo "no $weft: swift build -c release --product weft" >&2; exit 2; }
dir=$(mktemp -d /tmp/weft-flood-XXXXXX)
hostile_pid=""
cleanup() {
    [ -n "$hostile_pid" ] && kill "$hostile_pid" 2>/dev/null || true
    "$weft" network down --dir "$dir" --grace-seconds 10 >/dev/null 2>&1 || true
    rm -rf "$dir"
}
trap cleanup EXIT

"$weft" network up --dir "$dir" --orgs 2 --peers 1 --orderers 3 >/dev/null
pid=$(python3 -c "import json; print([x for x in json.load(open('$dir/network.json'))['nodes'] if x['name']=='peer0.org1'][0]['pid'])")
address=$(sed -n 's/^listen: *//p' "$dir/nodes/peer0.org1/node.yaml" | tr -d "'\"")
crypto=$dir/crypto/peerOrganizations
# The hostile member uses identities other than the load generator's (User1@org1): a member can
# exhaust its own quotas, which is the point of them, not another member's.
ids=()
for user in org1/users/Admin@org1 org2/users/User1@org2 org2/users/Admin@org2; do
    ids+=("$crypto/$user/tls/cert.pem,$crypto/$user/tls/key.pem")
done

# Accounts first, so the hostile rich queries scan a populated namespace.
"$weft" bench e2e --dir "$dir" --rate 200 --seconds 5 >/dev/null 2>&1 || true
python3 Tests/Flood/hostile.py "${address%:*}" "${address##*:}" "$((seconds + 10))" 2000 500 \
    "$crypto/org1/tlsca/tlsca.org1.pem" "${ids[@]}" > "$dir/hostile.json" &
hostile_pid=$!
sleep 3
"$weft" bench e2e --dir "$dir" --rate 200 --seconds "$seconds" --json > "$dir/bench.json"
wait "$hostile_pid" || true
hostile_pid=""
peak=$(awk '/VmHWM/ {print $2}' "/proc/$pid/status")
python3 - "$dir/bench.json" "$dir/hostile.json" "$peak" <<'PY'
import json, sys
bench = json.loads(open(sys.argv[1]).read().strip().splitlines()[-1])["report"]
hostile = json.loads(open(sys.argv[2]).read().strip() or "{}")
peak_mib = int(sys.argv[3]) / 1024
print("hostile:", json.dumps(hostile))
print("load: submitted %d, committed %d, failed %d, p50 %.0f ms, p99 %.0f ms; peer0.org1 peak RSS %.0f MiB"
      % (bench["submitted"], bench["committed"], bench["failed"], bench["p50Milliseconds"], bench["p99Milliseconds"], peak_mib))
ok = bench["failed"] == 0 and bench["committed"] == bench["submitted"] and bench["p99Milliseconds"] < 1000 and peak_mib < 256
print("flood test", "passed" if ok else "FAILED")
sys.exit(0 if ok else 1)
PY
