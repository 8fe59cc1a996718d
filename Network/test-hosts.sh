#!/usr/bin/env bash
# Network/test-hosts.sh — Weft on separate hosts: one Linux network namespace per host, joined by a
# bridge on a private subnet, with real partitions (iptables drop rules inside a host), and wide-area
# latency and loss between two sites. Run as root on Linux; not part of `swift test`.
#
#   Network/test-hosts.sh            build (if needed), then every phase; prints the figures
#   Network/test-hosts.sh --keep     leave the work folder (logs, ledgers) for inspection
#
# Environment:
#   WEFT_BINARY          the weft binary (default: .build/release/weft, built with swift build -c release if missing)
#   WEFT_HOSTS_WORK      work folder (default: a new /tmp/weft-hosts.XXXXXX); deleted at the end unless --keep
#   WEFT_LOAD_SECONDS    seconds of each throughput run, LAN and WAN (default 20)
#   WEFT_LOAD_RATE       offered tx/s of the throughput runs; 0 is saturation (default 0)
#   WEFT_IN_FLIGHT       most transactions in flight in the LAN and the tuned WAN run (default 512: the
#                        window must cover the WAN's longer round trips, Little's law); the WAN is also
#                        run once with bench e2e's default of 256, to show what the tuning is worth
#   WEFT_CHAOS_RATE      offered tx/s while the leader is partitioned and a peer isolated (default 100)
#   WEFT_WAN_DELAY_MS, WEFT_WAN_JITTER_MS, WEFT_WAN_LOSS_PERCENT   (default 50, 10, 1)
#   WEFT_SUBNET          the first three octets of the private /24 (default 10.77.0)
#   WEFT_WAN_ROUNDS      how many times the tuned WAN run is repeated (default 1; each must pass)
#   WEFT_WAN_LEADER      the orderer that leads during the WAN runs, e.g. orderer2.orderer (site B: every
#                        commit then needs a follower across the WAN); by default whichever is elected
#   WEFT_LAG_LIMIT       seconds a node may stand still at one height while an orderer is ahead of it
#                        during a WAN run before the run fails (default 15; samples in *-heights.log)
#
# Topology (only inside namespaces this script creates; the root namespace is never touched):
#   <p>-switch   a bridge br0 and one veth per host (the switch)
#   <p>-client   10.77.0.10     the load generator and every client command
#   site A       <p>-a-orderer0 .11, <p>-a-orderer1 .12, <p>-a-peer0-org1 .13, <p>-a-peer1-org1 .14  (10.77.0.0/26)
#   site B       <p>-b-orderer2 .65, <p>-b-peer0-org2 .66, <p>-b-peer1-org2 .67                        (10.77.0.64/26)
# The network is written by `weft network init --hosts`; each node starts from its host's folder
# (hosts/<host>/) with `ip netns exec <p>-<host> weft orderer|peer start --config …`.
#
# Phases:
#   lan        saturation load from the client: committed tx/s, p50/p99
#   wan        50 ± 10 ms each way and 1 % loss between the sites (tc netem if the kernel has it;
#              otherwise a delaying transparent TCP relay, Network/wan-relay.py, and iptables
#              statistic drops — the output says which ran); the same load; the ratio to LAN; every
#              node's height sampled about once a second: none may stand still while an orderer is ahead
#   partition  under load: the Raft leader's host drops the other orderers for 10 s — a new leader,
#              ordering resumes, the old leader catches up
#   isolate    under load: a peer's host drops everything for 30 s; it catches up, same commit hash
#   checks     every peer the same height, block hash and commit hash; every acknowledged transaction
#              in the ledger exactly once with the acknowledged block and code; every node exits 0
#              on SIGTERM; nothing left behind
#
# On exit — also on failure, Ctrl-C or SIGTERM — it stops every process it started, deletes every
# namespace it created (with them their interfaces, the bridge, the rules and qdiscs), deletes the
# work folder, and checks that nothing of it is left.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
exec 3>&2   # the script's own stderr, for cleanup's lines even when a signal lands inside a redirection
TEST_TAG=test-hosts
# shellcheck source=Network/test-lib.sh
source "$ROOT/Network/test-lib.sh"   # log, elapsed, check_peers_agree

KEEP=0
while [ $# -gt 0 ]; do
    case "$1" in
        --keep) KEEP=1; shift ;;
        -h|--help) sed -n '2,49p' "$0"; exit 0 ;;
        *) echo "unknown argument '$1'; try --help" >&2; exit 1 ;;
    esac
done
[ "$(id -u)" = 0 ] || { echo "run as root: network namespaces, bridges and iptables need it" >&2; exit 1; }

LOAD_SECONDS=${WEFT_LOAD_SECONDS:-20}
LOAD_RATE=${WEFT_LOAD_RATE:-0}
IN_FLIGHT=${WEFT_IN_FLIGHT:-512}
UNTUNED_IN_FLIGHT=256
CHAOS_RATE=${WEFT_CHAOS_RATE:-100}
WAN_DELAY_MS=${WEFT_WAN_DELAY_MS:-50}
WAN_JITTER_MS=${WEFT_WAN_JITTER_MS:-10}
WAN_LOSS_PERCENT=${WEFT_WAN_LOSS_PERCENT:-1}
NET24=${WEFT_SUBNET:-10.77.0}
SITE_A=$NET24.0/26
SITE_B=$NET24.64/26
RELAY_PORT=15001
RELAY_MARK=0x77
WAN_ROUNDS=${WEFT_WAN_ROUNDS:-1}
WAN_LEADER=${WEFT_WAN_LEADER:-}
LAG_LIMIT=${WEFT_LAG_LIMIT:-15}
PEERS_AGREE_SECONDS=${WEFT_PEERS_AGREE_SECONDS:-60}   # peers may trail under load on a busy machine; a fork never converges
PREFIX=wh$$   # namespace prefix: unique per run, so two runs never touch each other's namespaces

# host name → address, site; node → host
HOSTS=(a-orderer0 a-orderer1 a-peer0-org1 a-peer1-org1 b-orderer2 b-peer0-org2 b-peer1-org2)
declare -A ADDRESS=([a-orderer0]=$NET24.11 [a-orderer1]=$NET24.12 [a-peer0-org1]=$NET24.13 [a-peer1-org1]=$NET24.14
                    [b-orderer2]=$NET24.65 [b-peer0-org2]=$NET24.66 [b-peer1-org2]=$NET24.67 [client]=$NET24.10)
declare -A HOST_OF=([orderer0.orderer]=a-orderer0 [orderer1.orderer]=a-orderer1 [orderer2.orderer]=b-orderer2
                    [peer0.org1]=a-peer0-org1 [peer1.org1]=a-peer1-org1 [peer0.org2]=b-peer0-org2 [peer1.org2]=b-peer1-org2)
ORDERERS=(orderer0.orderer orderer1.orderer orderer2.orderer)
PEERS=(peer0.org1 peer1.org1 peer0.org2 peer1.org2)
NODES=("${ORDERERS[@]}" "${PEERS[@]}")
ISOLATED_PEER=peer1.org2

# --- work folder and cleanup ---------------------------------------------------------------------
if [ -n "${WEFT_HOSTS_WORK:-}" ]; then
    WORK=$(realpath -m "$WEFT_HOSTS_WORK")
    case "$WORK" in /|/tmp|/root|/home|/var|/usr|/etc|"$ROOT"|"$ROOT"/*|*[[:space:]]*)
        echo "refusing WEFT_HOSTS_WORK=$WORK: use a new folder of its own, e.g. /tmp/weft-hosts.1" >&2; exit 1 ;; esac
    [ ! -e "$WORK" ] || [ -z "$(ls -A "$WORK")" ] || [ -f "$WORK/.weft-test-hosts" ] \
        || { echo "WEFT_HOSTS_WORK=$WORK is not empty and was not made by this script" >&2; exit 1; }
    mkdir -p "$WORK"
else
    WORK=$(mktemp -d /tmp/weft-hosts.XXXXXX)
fi
touch "$WORK/.weft-test-hosts"
mkdir -p "$WORK/logs"
NET=$WORK/net
CREATED_NAMESPACES=()
declare -A NODE_PID=()
declare -A RELAY_PID=()
LOAD_PID=
MONITOR_PID=
ALL_PIDS=()   # every process this run started, checked dead at the end
ROOT_LINKS_BEFORE=$(ip -o link show | awk -F': ' '{print $2}' | sort | tr '\n' ' ')

ns() { echo "$PREFIX-$1"; }   # the namespace of a host (or of the switch, or the client)
in_ns() { local name=$1; shift; ip netns exec "$(ns "$name")" "$@"; }

# Stops every process this run started (nodes, relays, load), then whatever still runs inside its
# namespaces (nothing else can be there: the namespaces are this run's), then deletes the namespaces.
teardown() {
    local pid name
    for pid in $MONITOR_PID $LOAD_PID "${RELAY_PID[@]}" "${NODE_PID[@]}"; do
        [ -n "$pid" ] && kill -TERM "$pid" 2>/dev/null || true
    done
    for _ in $(seq 1 50); do
        local alive=0
        for pid in $MONITOR_PID $LOAD_PID "${RELAY_PID[@]}" "${NODE_PID[@]}"; do kill -0 "$pid" 2>/dev/null && alive=1; done
        [ $alive = 0 ] && break
        sleep 0.2
    done
    for pid in $MONITOR_PID $LOAD_PID "${RELAY_PID[@]}" "${NODE_PID[@]}"; do kill -KILL "$pid" 2>/dev/null || true; done
    for name in "${CREATED_NAMESPACES[@]}"; do
        for pid in $(ip netns pids "$name" 2>/dev/null); do kill -KILL "$pid" 2>/dev/null || true; done
        ip netns del "$name" 2>/dev/null || true
    done
    NODE_PID=(); RELAY_PID=(); LOAD_PID=; MONITOR_PID=
}

# What must be true after teardown: no namespace, process, interface or rule of this run is left.
check_nothing_left() {
    local problems=0 name pid
    for name in "${CREATED_NAMESPACES[@]}"; do
        if ip netns list | awk '{print $1}' | grep -qx "$name"; then log "namespace $name is still there"; problems=1; fi
    done
    if ip netns list | awk '{print $1}' | grep -q "^$PREFIX-"; then log "namespaces of this run left: $(ip netns list | grep "^$PREFIX-" | tr '\n' ' ')"; problems=1; fi
    for pid in "${ALL_PIDS[@]}"; do
        if kill -0 "$pid" 2>/dev/null; then log "process $pid (started by this run) still running"; problems=1; fi
    done
    for pid in $(pgrep -f -- "$WORK/" || true); do
        [ "$pid" = $$ ] && continue
        log "process $pid still running: $(tr '\0' ' ' < "/proc/$pid/cmdline" 2>/dev/null)"; problems=1
    done
    local after
    after=$(ip -o link show | awk -F': ' '{print $2}' | sort | tr '\n' ' ')
    if [ "$after" != "$ROOT_LINKS_BEFORE" ]; then log "the root namespace's interfaces changed: before [$ROOT_LINKS_BEFORE] after [$after]"; problems=1; fi
    return $problems
}

cleanup() {
    local status=$?
    trap - EXIT INT TERM
    exec 2>&3
    teardown
    if check_nothing_left; then
        log "cleanup: no namespace, bridge, veth, rule, qdisc or process of this run is left (namespaces $PREFIX-*)"
    else
        status=1
    fi
    if [ "$KEEP" = 1 ]; then
        log "kept $WORK"
    else
        case "$WORK" in /tmp/*|"$(realpath -m "${WEFT_HOSTS_WORK:-/nonexistent}")") [ -f "$WORK/.weft-test-hosts" ] && rm -rf --one-file-system -- "$WORK" ;; esac
    fi
    [ $status = 0 ] || log "failed (exit $status)"
    exit $status
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# --- tools and binary ----------------------------------------------------------------------------
install_tools() {
    local missing=()
    command -v ip >/dev/null || missing+=(iproute2)
    command -v iptables >/dev/null || missing+=(iptables)
    command -v python3 >/dev/null || missing+=(python3)
    if [ ${#missing[@]} -gt 0 ]; then
        log "installing ${missing[*]} with apt-get"
        apt-get update -qq
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
    fi
    WEFT=${WEFT_BINARY:-$ROOT/.build/release/weft}
    if [ -z "${WEFT_BINARY:-}" ] && [ ! -x "$WEFT" ]; then
        log "building weft: swift build -c release (minutes the first time)"
        (cd "$ROOT" && swift build -c release --product weft >"$WORK/swift-build.log" 2>&1) || { tail -30 "$WORK/swift-build.log" >&2; exit 1; }
    fi
    [ -x "$WEFT" ] || { log "no weft binary at $WEFT"; exit 1; }
    WEFT=$(realpath "$WEFT")
    log "tools: $(ip -V), $(iptables --version), $(python3 --version); weft $("$WEFT" version 2>/dev/null | head -1)"
}

# --- namespaces ----------------------------------------------------------------------------------
add_namespace() {
    ip netns add "$1"
    CREATED_NAMESPACES+=("$1")
    ip -n "$1" link set lo up
}

# The switch namespace holds the bridge; each host gets a veth pair created straight into the two
# namespaces (eth0 in the host, p<i> on the bridge), so no interface ever exists in the root namespace.
make_topology() {
    add_namespace "$(ns switch)"
    ip -n "$(ns switch)" link add br0 type bridge
    ip -n "$(ns switch)" link set br0 up
    local index=0 host
    for host in client "${HOSTS[@]}"; do
        add_namespace "$(ns "$host")"
        index=$((index + 1))
        ip -n "$(ns switch)" link add "p$index" type veth peer name eth0 netns "$(ns "$host")"
        ip -n "$(ns switch)" link set "p$index" master br0 up
        ip -n "$(ns "$host")" addr add "${ADDRESS[$host]}/24" dev eth0
        ip -n "$(ns "$host")" link set eth0 up
    done
    # Every host reaches every other over the bridge (ping when installed; the nodes' links check it anyway).
    if command -v ping >/dev/null; then
        for host in "${HOSTS[@]}"; do
            in_ns client ping -c 1 -W 2 "${ADDRESS[$host]}" >/dev/null || { log "client cannot reach $host (${ADDRESS[$host]})"; exit 1; }
        done
    fi
    log "topology: bridge br0 in $(ns switch); client ${ADDRESS[client]}; site A $SITE_A: a-orderer0 a-orderer1 a-peer0-org1 a-peer1-org1; site B $SITE_B: b-orderer2 b-peer0-org2 b-peer1-org2"
}

# --- the network ---------------------------------------------------------------------------------
write_network() {
    local node
    for node in "${NODES[@]}"; do
        printf '%s: {host: %s, address: %s}\n' "$node" "${HOST_OF[$node]}" "${ADDRESS[${HOST_OF[$node]}]}"
    done > "$WORK/hosts.yaml"
    "$WEFT" network init --dir "$NET" --hosts "$WORK/hosts.yaml" >"$WORK/init.log" 2>&1 || { cat "$WORK/init.log" >&2; exit 1; }
    local host
    for host in "${HOSTS[@]}"; do
        [ -f "$NET/hosts/$host/host.json" ] || { log "weft network init wrote no folder for $host"; exit 1; }
        if grep -rq '127\.0\.0\.1' "$NET/hosts/$host/nodes"; then log "a node config of $host mentions 127.0.0.1"; exit 1; fi
    done
    log "weft network init --hosts: $(ls "$NET/hosts" | wc -l) host folders; e.g. $host has $(find "$NET/hosts/$host" -name key.pem | wc -l) private keys ($(python3 -c 'import json,sys; print(", ".join(n["name"] for n in json.load(open(sys.argv[1]))["nodes"]))' "$NET/hosts/$host/host.json") only)"
}

weft_client() { in_ns client "$WEFT" "$@"; }

start_node() {  # node
    local node=$1 host=${HOST_OF[$1]} role=peer
    case "$node" in orderer*) role=orderer ;; esac
    # ip netns exec, not the in_ns function: a function run with & is a subshell, and its pid would
    # not be the node's (ip netns exec execs the command, so $! is the node itself).
    ip netns exec "$(ns "$host")" "$WEFT" "$role" start --config "$NET/hosts/$host/nodes/$node/node.yaml" >>"$WORK/logs/$node.log" 2>&1 &
    NODE_PID[$node]=$!
    ALL_PIDS+=($!)
}

start_nodes() {
    local started node
    started=$(date +%s.%N)
    for node in "${NODES[@]}"; do start_node "$node"; done
    for node in "${NODES[@]}"; do wait_healthy "$node"; done
    wait_for_leader 60 >/dev/null || { log "no Raft leader 60 s after start"; exit 1; }
    log "7 nodes started in their namespaces and healthy, leader $(current_leader), $(elapsed "$started") s"
}

wait_healthy() {  # node
    local node=$1 host=${HOST_OF[$1]} deadline=$((SECONDS + 90))
    until in_ns "$host" "$WEFT" healthcheck --config "$NET/hosts/$host/nodes/$node/node.yaml" --timeout 2 >/dev/null 2>&1; do
        kill -0 "${NODE_PID[$node]}" 2>/dev/null || { log "$node exited:"; tail -20 "$WORK/logs/$node.log" >&2; exit 1; }
        [ $SECONDS -lt $deadline ] || { log "$node is not healthy after 90 s:"; tail -20 "$WORK/logs/$node.log" >&2; exit 1; }
        sleep 0.3
    done
}

# Restarts the Raft leader (SIGTERM, exit 0, start again) until the wanted orderer leads; at most 12
# times. Each restart elects one of the other two orderers.
make_leader() {  # orderer
    local want=$1 leader tries=0 code
    while leader=$(wait_for_leader 60) && [ "$leader" != "$want" ]; do
        tries=$((tries + 1))
        [ $tries -le 12 ] || { log "$want did not become the leader in 12 restarts of the leader"; exit 1; }
        kill -TERM "${NODE_PID[$leader]}"
        code=0; wait "${NODE_PID[$leader]}" || code=$?
        [ "$code" = 0 ] || { log "$leader exited $code on SIGTERM"; exit 1; }
        wait_for_leader 30 "$leader" >/dev/null || { log "no new leader after stopping $leader"; exit 1; }
        start_node "$leader"
        wait_healthy "$leader"
    done
    [ "$leader" = "$want" ] || { log "no leader"; exit 1; }
    log "leader: $want (after $tries restarts of the leader)"
}

# Stops every node with SIGTERM; each must exit 0.
stop_nodes() {  # label
    local node code started
    started=$(date +%s.%N)
    for node in "${NODES[@]}"; do kill -TERM "${NODE_PID[$node]}"; done
    for node in "${NODES[@]}"; do
        code=0
        wait "${NODE_PID[$node]}" || code=$?
        unset "NODE_PID[$node]"
        [ "$code" = 0 ] || { log "$node exited $code on SIGTERM:"; tail -20 "$WORK/logs/$node.log" >&2; exit 1; }
    done
    log "$1: every node exited 0 on SIGTERM within $(elapsed "$started") s"
}

# `weft network status --json` from the client: orderers' height, leader, term.
status_json() { timeout 20 ip netns exec "$(ns client)" "$WEFT" network status --dir "$NET" --json 2>/dev/null || true; }

current_leader() {  # prints the leader's name (empty when none); ignores the orderers named as arguments
    status_json | python3 -c '
import json, sys
try: d = json.load(sys.stdin)
except Exception: sys.exit(0)
skip = set(sys.argv[1:])
leaders = [o for o in d.get("orderers", []) if o.get("leader") and o["name"] not in skip]
if leaders: print(max(leaders, key=lambda o: o.get("term", 0))["name"])' "$@"
}

wait_for_leader() {  # seconds, orderers to ignore…
    local deadline=$((SECONDS + $1)) leader
    shift
    while [ $SECONDS -lt $deadline ]; do
        leader=$(current_leader "$@")
        [ -n "$leader" ] && { echo "$leader"; return 0; }
        sleep 0.25
    done
    return 1
}

peer_height() {  # peer → height (0 when it does not answer within 5 s)
    timeout 5 ip netns exec "$(ns client)" "$WEFT" query info --dir "$NET" --peer "$1" --json 2>/dev/null \
        | python3 -c 'import json,sys; print(json.load(sys.stdin)["height"])' 2>/dev/null || echo 0
}

# --- load ----------------------------------------------------------------------------------------
# Runs `weft bench e2e` from the client namespace; its JSON report in $WORK/<label>.json, every
# acknowledged transaction in $WORK/<label>.acknowledged.
run_load() {  # label, rate, seconds, in-flight
    in_ns client "$WEFT" bench e2e --dir "$NET" --workload asset-transfer --rate "$2" --seconds "$3" --in-flight "$4" \
        --accounts 1000 --acknowledged "$WORK/$1.acknowledged" --json >"$WORK/$1.json" 2>"$WORK/$1.progress"
}

report_field() { python3 -c 'import json,sys; r=json.load(open(sys.argv[1]))["report"]; print(r[sys.argv[2]])' "$1" "$2"; }

summarize_load() {  # label → one line; sets TPS P50 P99
    local file=$WORK/$1.json
    TPS=$(python3 -c 'import json,sys; r=json.load(open(sys.argv[1]))["report"]; print("%.1f" % (r["committed"] / max(r["seconds"], 1e-9)))' "$file")
    P50=$(python3 -c 'import json,sys; print("%.0f" % json.load(open(sys.argv[1]))["report"]["p50Milliseconds"])' "$file")
    P99=$(python3 -c 'import json,sys; print("%.0f" % json.load(open(sys.argv[1]))["report"]["p99Milliseconds"])' "$file")
    log "$1: $TPS tx/s committed, p50 $P50 ms, p99 $P99 ms ($(report_field "$file" committed) committed, $(report_field "$file" invalid) invalid, $(report_field "$file" failed) failed of $(report_field "$file" submitted) submitted in $(python3 -c 'import json,sys; print("%.1f" % json.load(open(sys.argv[1]))["report"]["seconds"])' "$file") s)"
}

# --- heights during a run -------------------------------------------------------------------------
# Samples every node's height (`weft network status --json`) about once a second into
# $WORK/<label>-heights.log, one JSON line per sample, until stop_monitor. On SIGTERM it ends its
# status call and exits.
start_monitor() {  # label
    # ip netns exec itself, not in_ns: $! must be python's pid (see start_node).
    ip netns exec "$(ns client)" python3 - "$WEFT" "$NET" "$WORK/$1-heights.log" <<'EOF' &
import json, signal, subprocess, sys, time
weft, net, out = sys.argv[1:4]
child = None
def stop(*_):
    if child and child.poll() is None: child.kill(); child.wait()
    sys.exit(0)
signal.signal(signal.SIGTERM, stop)
with open(out, "a") as log:
    while True:
        child = subprocess.Popen([weft, "network", "status", "--dir", net, "--json"], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        try: text, _ = child.communicate(timeout=10)
        except subprocess.TimeoutExpired: child.kill(); child.wait(); continue
        try: status = json.loads(text)
        except ValueError: continue
        heights = {n["name"]: n.get("height") for n in status.get("orderers", []) + status.get("peers", [])}
        log.write(json.dumps({"t": round(time.time(), 2), "orderers": [o["name"] for o in status.get("orderers", [])], "heights": heights}) + "\n")
        log.flush()
        time.sleep(1)
EOF
    MONITOR_PID=$!
    ALL_PIDS+=($!)
}

stop_monitor() {
    [ -n "$MONITOR_PID" ] || return 0
    kill -TERM "$MONITOR_PID" 2>/dev/null || true
    wait "$MONITOR_PID" 2>/dev/null || true
    MONITOR_PID=
}

# From the samples of a run: for each node, the longest time it stood still (the same height) while
# the highest orderer of the same samples was ahead of it — a stall, as opposed to a node that trails
# by a few blocks under load but keeps committing. Prints one line; fails when one exceeds LAG_LIMIT s.
check_lag() {  # label
    python3 - "$WORK/$1-heights.log" "$LAG_LIMIT" <<'EOF'
import json, sys
samples = [json.loads(line) for line in open(sys.argv[1]) if line.strip()]
limit = float(sys.argv[2])
longest, still_since, last, worst_gap = {}, {}, {}, {}
for s in samples:
    top = max([h for n, h in s["heights"].items() if n in s["orderers"] and h is not None] or [0])
    for name, height in s["heights"].items():
        height = height or 0
        worst_gap[name] = max(worst_gap.get(name, 0), top - height)
        if height < top and last.get(name) == height:
            longest[name] = max(longest.get(name, 0), s["t"] - still_since[name])
        elif height < top:
            still_since[name] = s["t"]
        last[name] = height
        if height >= top: last.pop(name, None)
worst = max(longest.items(), key=lambda i: i[1], default=("none", 0))
print(f"{len(samples)} samples; longest standing still while an orderer was ahead: {worst[0]} {worst[1]:.1f} s; "
      "largest gaps (blocks): " + ", ".join(f"{n} {g}" for n, g in sorted(worst_gap.items())))
sys.exit(1 if worst[1] > limit else 0)
EOF
}

# --- wide-area emulation ---------------------------------------------------------------------------
# netem if this kernel has it (probed in the switch namespace, which is ours); otherwise the relay.
probe_netem() {
    if ip netns exec "$(ns switch)" tc qdisc add dev lo root netem delay 1ms 2>/dev/null; then
        ip netns exec "$(ns switch)" tc qdisc del dev lo root 2>/dev/null || true
        WAN_MECHANISM=netem
    else
        WAN_MECHANISM=relay
    fi
}

site_b_hosts() { printf '%s\n' "${HOSTS[@]}" | grep '^b-'; }
site_a_side() { printf '%s\n' client "${HOSTS[@]}" | grep -v '^b-'; }

wan_on() {
    local host
    if [ "$WAN_MECHANISM" = netem ]; then
        # Delay and loss on the way out of every host towards the other site: both directions.
        for host in $(site_b_hosts); do netem_towards "$host" "$SITE_A"; done
        for host in $(site_a_side); do netem_towards "$host" "$SITE_B"; done
        log "WAN on: tc netem delay ${WAN_DELAY_MS}ms ${WAN_JITTER_MS}ms loss ${WAN_LOSS_PERCENT}% on each host's traffic to the other site (each direction)"
        return
    fi
    local probability
    probability=$(awk -v p="$WAN_LOSS_PERCENT" 'BEGIN {printf "%.4f", p / 100}')
    for host in $(site_b_hosts); do
        # Latency: every TCP connection between this host and site A goes through the relay in this
        # namespace (outgoing by OUTPUT, incoming by PREROUTING); the relay's own connections carry
        # SO_MARK and are left alone.
        in_ns "$host" iptables -t nat -N WEFT-WAN-OUT
        in_ns "$host" iptables -t nat -A WEFT-WAN-OUT -m mark --mark "$RELAY_MARK" -j RETURN
        in_ns "$host" iptables -t nat -A WEFT-WAN-OUT -p tcp -d "$SITE_A" -j REDIRECT --to-ports "$RELAY_PORT"
        in_ns "$host" iptables -t nat -A OUTPUT -j WEFT-WAN-OUT
        in_ns "$host" iptables -t nat -N WEFT-WAN-IN
        in_ns "$host" iptables -t nat -A WEFT-WAN-IN -p tcp -s "$SITE_A" -j REDIRECT --to-ports "$RELAY_PORT"
        in_ns "$host" iptables -t nat -A PREROUTING -j WEFT-WAN-IN
        # Loss: real kernel drops of packets crossing between the sites, both directions.
        in_ns "$host" iptables -N WEFT-WAN
        in_ns "$host" iptables -A WEFT-WAN -s "$SITE_A" -m statistic --mode random --probability "$probability" -j DROP
        in_ns "$host" iptables -A WEFT-WAN -d "$SITE_A" -m statistic --mode random --probability "$probability" -j DROP
        in_ns "$host" iptables -A INPUT -j WEFT-WAN
        in_ns "$host" iptables -A OUTPUT -j WEFT-WAN
        ip netns exec "$(ns "$host")" python3 "$ROOT/Network/wan-relay.py" --port "$RELAY_PORT" --delay-ms "$WAN_DELAY_MS" \
            --jitter-ms "$WAN_JITTER_MS" --mark "$RELAY_MARK" --seed "$RANDOM" >"$WORK/logs/relay-$host.log" 2>&1 &
        RELAY_PID[$host]=$!
        ALL_PIDS+=($!)
    done
    for host in $(site_b_hosts); do
        local deadline=$((SECONDS + 10))
        until in_ns "$host" python3 -c 'import socket,sys; socket.create_connection(("127.0.0.1", int(sys.argv[1])), 1)' "$RELAY_PORT" 2>/dev/null; do
            [ $SECONDS -lt $deadline ] || { log "the relay in $host does not listen"; cat "$WORK/logs/relay-$host.log" >&2; exit 1; }
            sleep 0.2
        done
    done
    log "WAN on: no sch_netem in this kernel, so latency by Network/wan-relay.py (a transparent TCP relay in each site-B host, iptables REDIRECT of every TCP connection to or from site A, each chunk delayed ${WAN_DELAY_MS} ± ${WAN_JITTER_MS} ms per direction, order kept) and loss by iptables -m statistic --probability $probability DROP of packets crossing the sites, each direction"
}

netem_towards() {  # host, destination subnet: a prio qdisc whose third band is netem, for that subnet only
    in_ns "$1" tc qdisc add dev eth0 root handle 1: prio bands 3 priomap 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1
    in_ns "$1" tc qdisc add dev eth0 parent 1:3 handle 30: netem delay "${WAN_DELAY_MS}ms" "${WAN_JITTER_MS}ms" loss "${WAN_LOSS_PERCENT}%"
    in_ns "$1" tc filter add dev eth0 parent 1: protocol ip prio 1 u32 match ip dst "$2" flowid 1:3
}

wan_off() {
    local host
    if [ "$WAN_MECHANISM" = netem ]; then
        for host in "${HOSTS[@]}" client; do in_ns "$host" tc qdisc del dev eth0 root 2>/dev/null || true; done
    else
        for host in $(site_b_hosts); do
            kill -TERM "${RELAY_PID[$host]}" 2>/dev/null || true
            wait "${RELAY_PID[$host]}" 2>/dev/null || true
            unset "RELAY_PID[$host]"
            log "  $(tail -1 "$WORK/logs/relay-$host.log") ($host)"
            in_ns "$host" iptables -t nat -D OUTPUT -j WEFT-WAN-OUT
            in_ns "$host" iptables -t nat -F WEFT-WAN-OUT && in_ns "$host" iptables -t nat -X WEFT-WAN-OUT
            in_ns "$host" iptables -t nat -D PREROUTING -j WEFT-WAN-IN
            in_ns "$host" iptables -t nat -F WEFT-WAN-IN && in_ns "$host" iptables -t nat -X WEFT-WAN-IN
            in_ns "$host" iptables -D INPUT -j WEFT-WAN
            in_ns "$host" iptables -D OUTPUT -j WEFT-WAN
            in_ns "$host" iptables -F WEFT-WAN && in_ns "$host" iptables -X WEFT-WAN
        done
    fi
    log "WAN off"
}

# Measured round trip between the sites, as the nodes see it: from sending a TLS ClientHello to a
# site-B orderer (from the client, on site A's side) to its first answering byte. (A TCP connect
# would not show the relay's delay: the relay accepts at once.)
measure_rtt() {
    in_ns client python3 -c '
import socket, ssl, statistics, sys, time
samples = []
for _ in range(10):
    s = socket.create_connection((sys.argv[1], int(sys.argv[2])), 5)
    s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    time.sleep(0.3)  # let a relay finish its own connection first: measure the round trip, not the set-up
    incoming, outgoing = ssl.MemoryBIO(), ssl.MemoryBIO()
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT); context.check_hostname = False; context.verify_mode = ssl.CERT_NONE
    tls = context.wrap_bio(incoming, outgoing)
    try: tls.do_handshake()
    except ssl.SSLWantReadError: pass
    start = time.monotonic()
    s.sendall(outgoing.read())
    s.recv(1)
    samples.append((time.monotonic() - start) * 1000)
    s.close()
print("%.1f ms median, %.1f–%.1f ms" % (statistics.median(samples), min(samples), max(samples)))' "${ADDRESS[b-orderer2]}" 7050
}

# --- partitions ----------------------------------------------------------------------------------
# Drop rules inside one host's namespace: WEFT-PARTITION-IN (from INPUT) and WEFT-PARTITION-OUT
# (from OUTPUT). Rules are "in:<iptables match>" or "out:<iptables match>".
partition() {  # host, rules…
    local host=$1 rule
    shift
    in_ns "$host" iptables -N WEFT-PARTITION-IN
    in_ns "$host" iptables -N WEFT-PARTITION-OUT
    for rule in "$@"; do
        # shellcheck disable=SC2086
        case "$rule" in
            in:*) in_ns "$host" iptables -A WEFT-PARTITION-IN ${rule#in:} -j DROP ;;
            out:*) in_ns "$host" iptables -A WEFT-PARTITION-OUT ${rule#out:} -j DROP ;;
        esac
    done
    in_ns "$host" iptables -I INPUT -j WEFT-PARTITION-IN
    in_ns "$host" iptables -I OUTPUT -j WEFT-PARTITION-OUT
}

heal() {  # host
    in_ns "$1" iptables -D INPUT -j WEFT-PARTITION-IN
    in_ns "$1" iptables -D OUTPUT -j WEFT-PARTITION-OUT
    in_ns "$1" iptables -F WEFT-PARTITION-IN && in_ns "$1" iptables -X WEFT-PARTITION-IN
    in_ns "$1" iptables -F WEFT-PARTITION-OUT && in_ns "$1" iptables -X WEFT-PARTITION-OUT
}

# The orderers' heights from one `weft network status`: prints the highest height among the named
# orderers (0 when none answers).
max_orderer_height() {  # orderers…
    status_json | python3 -c '
import json, sys
try: d = json.load(sys.stdin)
except Exception: print(0); sys.exit(0)
print(max([o.get("height") or 0 for o in d.get("orderers", []) if o["name"] in sys.argv[1:]] or [0]))' "$@"
}

partition_leader() {
    local leader host others=() started name
    leader=$(wait_for_leader 30) || { log "no leader before the partition"; exit 1; }
    host=${HOST_OF[$leader]}
    for name in "${ORDERERS[@]}"; do [ "$name" = "$leader" ] || others+=("$name"); done
    local rules=()
    for name in "${others[@]}"; do rules+=("in:-s ${ADDRESS[${HOST_OF[$name]}]}" "out:-d ${ADDRESS[${HOST_OF[$name]}]}"); done
    local before
    before=$(max_orderer_height "${others[@]}")
    started=$(date +%s.%N)
    partition "$host" "${rules[@]}"
    log "partition: leader $leader ($host) cut off from ${others[*]} (drop rules in its namespace) at height $before"
    local new_leader elected resumed="" deadline
    new_leader=$(wait_for_leader 10 "$leader") || { log "no new leader among ${others[*]} within 10 s"; exit 1; }
    elected=$(elapsed "$started")
    deadline=$((SECONDS + 10))
    while [ $SECONDS -lt $deadline ]; do
        if [ "$(max_orderer_height "${others[@]}")" -gt "$before" ]; then resumed=$(elapsed "$started"); break; fi
        sleep 0.25
    done
    [ -n "$resumed" ] || { log "ordering did not resume within 10 s of the new leader"; exit 1; }
    PARTITION_ELECTED=$elected PARTITION_RESUMED=$resumed PARTITION_NEW_LEADER=$new_leader PARTITION_OLD_LEADER=$leader
    log "partition: $new_leader elected $elected s after the partition; the next block ordered $resumed s after it"
    local remaining
    remaining=$(awk -v s="$started" -v now="$(date +%s.%N)" 'BEGIN {r = 10 - (now - s); print (r > 0 ? r : 0)}')
    sleep "$remaining"
    local target healed
    target=$(max_orderer_height "${others[@]}")
    heal "$host"
    healed=$(date +%s.%N)
    log "partition healed after $(elapsed "$started") s; the others are at height $target"
    deadline=$((SECONDS + 30))
    until [ "$(max_orderer_height "$leader")" -ge "$target" ]; do
        [ $SECONDS -lt $deadline ] || { log "$leader did not catch up to height $target within 30 s of healing"; exit 1; }
        sleep 0.25
    done
    PARTITION_CAUGHT_UP=$(elapsed "$healed")
    log "partition: $leader caught up to height $target $PARTITION_CAUGHT_UP s after healing"
}

isolate_peer() {
    local peer=$ISOLATED_PEER host=${HOST_OF[$ISOLATED_PEER]} started before
    before=$(peer_height "$peer")
    started=$(date +%s.%N)
    partition "$host" "in:-i eth0" "out:-o eth0"
    log "isolate: $peer ($host) drops everything on eth0 for 30 s (at height $before)"
    sleep 30
    local target
    target=$(peer_height peer0.org2)
    heal "$host"
    local healed deadline=$((SECONDS + 60))
    healed=$(date +%s.%N)
    until [ "$(peer_height "$peer")" -ge "$target" ]; do
        [ $SECONDS -lt $deadline ] || { log "$peer did not catch up to height $target within 60 s of healing"; tail -20 "$WORK/logs/$peer.log" >&2; exit 1; }
        sleep 0.5
    done
    ISOLATE_CAUGHT_UP=$(elapsed "$healed")
    log "isolate healed after 30 s: $peer caught up from height $before to $target in $ISOLATE_CAUGHT_UP s"
}

# --- ledger audit --------------------------------------------------------------------------------
# Every acknowledged transaction is in the ledger exactly once, in the block and with the code the
# client was told; no transaction ID appears twice in the ledger.
audit_ledger() {
    local height=$1
    in_ns client python3 - "$WEFT" "$NET" "$height" "$WORK" <<'EOF'
import concurrent.futures, glob, json, subprocess, sys
weft, net, height, work = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
def block(number):
    out = subprocess.run([weft, "query", "block", str(number), "--dir", net, "--peer", "peer0.org1", "--json"],
                         check=True, capture_output=True, text=True).stdout
    return number, json.loads(out)["transactions"]
seen = {}
with concurrent.futures.ThreadPoolExecutor(4) as pool:
    for number, transactions in pool.map(block, range(height)):
        for tx in transactions:
            seen.setdefault(tx["txID"], []).append((number, tx["validationCode"]))
twice = {tx: places for tx, places in seen.items() if len(places) > 1}
acknowledged = missing = wrong = 0
for path in sorted(glob.glob(work + "/*.acknowledged")):
    for line in open(path):
        tx, number, code = line.split()
        acknowledged += 1
        places = seen.get(tx)
        if not places: missing += 1
        elif places[0] != (int(number), code): wrong += 1
print(f"{height} blocks, {sum(len(p) for p in seen.values())} transactions in the ledger; {acknowledged} acknowledged: "
      f"{missing} missing, {wrong} with another block or code; {len(twice)} transaction IDs more than once")
sys.exit(1 if missing or wrong or twice else 0)
EOF
}

# --- phases --------------------------------------------------------------------------------------
TOTAL_STARTED=$SECONDS
install_tools
make_topology
write_network
probe_netem
start_nodes
check_peers_agree "after start" "$NET" "${PEERS[@]}"

log "LAN: weft bench e2e --rate $LOAD_RATE --seconds $LOAD_SECONDS --in-flight $IN_FLIGHT"
run_load lan "$LOAD_RATE" "$LOAD_SECONDS" "$IN_FLIGHT" || { cat "$WORK/lan.progress" >&2; exit 1; }
summarize_load lan
LAN_TPS=$TPS LAN_P50=$P50 LAN_P99=$P99
check_peers_agree "after the LAN load" "$NET" "${PEERS[@]}"
# Established connections do not pass through new NAT rules: restart the nodes so every link is
# dialled again across the emulated WAN (with netem this would not be needed; done the same way).
stop_nodes "before the WAN"

wan_on
start_nodes
[ -z "$WAN_LEADER" ] || make_leader "$WAN_LEADER"
WAN_RTT=$(measure_rtt)
log "round trip client → site B with the WAN on (TLS ClientHello → first byte back from orderer2): $WAN_RTT"
log "WAN, untuned: weft bench e2e --rate $LOAD_RATE --seconds $LOAD_SECONDS --in-flight $UNTUNED_IN_FLIGHT"
start_monitor wan-untuned
run_load wan-untuned "$LOAD_RATE" "$LOAD_SECONDS" "$UNTUNED_IN_FLIGHT" || { stop_monitor; cat "$WORK/wan-untuned.progress" >&2; exit 1; }
stop_monitor
summarize_load wan-untuned
WAN_LAG=$(check_lag wan-untuned) || { log "WAN, untuned: a node fell behind for longer than $LAG_LIMIT s: $WAN_LAG"; exit 1; }
log "WAN, untuned, heights: $WAN_LAG"
UNTUNED_TPS=$TPS UNTUNED_P50=$P50 UNTUNED_P99=$P99
WAN_ROUND_LINES=""
for round in $(seq 1 "$WAN_ROUNDS"); do
    label=wan-$round
    log "WAN (round $round of $WAN_ROUNDS): weft bench e2e --rate $LOAD_RATE --seconds $LOAD_SECONDS --in-flight $IN_FLIGHT"
    start_monitor "$label"
    run_load "$label" "$LOAD_RATE" "$LOAD_SECONDS" "$IN_FLIGHT" || { stop_monitor; cat "$WORK/$label.progress" >&2; exit 1; }
    summarize_load "$label"
    WAN_TPS=$TPS WAN_P50=$P50 WAN_P99=$P99
    check_peers_agree "after the WAN load" "$NET" "${PEERS[@]}"
    stop_monitor
    WAN_LAG=$(check_lag "$label") || { log "WAN: a node stood still for longer than $LAG_LIMIT s: $WAN_LAG"; exit 1; }
    log "WAN heights: $WAN_LAG"
    RATIO=$(awk -v w="$WAN_TPS" -v l="$LAN_TPS" 'BEGIN {printf "%.0f", 100 * w / l}')
    [ "$RATIO" -ge 70 ] || { log "WAN throughput is $RATIO % of LAN, below the 70 % goal"; exit 1; }
    WAN_ROUND_LINES+="  WAN  (in-flight $IN_FLIGHT):   $WAN_TPS tx/s committed, p50 $WAN_P50 ms, p99 $WAN_P99 ms   ($RATIO % of LAN; round $round of $WAN_ROUNDS)"$'\n'
done
stop_nodes "after the WAN"
wan_off

start_nodes
CHAOS_SECONDS=75
log "partitions under load: weft bench e2e --rate $CHAOS_RATE --seconds $CHAOS_SECONDS"
run_load chaos "$CHAOS_RATE" "$CHAOS_SECONDS" "$UNTUNED_IN_FLIGHT" &
LOAD_PID=$!
ALL_PIDS+=($!)
sleep 5
partition_leader
sleep 3
isolate_peer
LOAD_STATUS=0
wait "$LOAD_PID" || LOAD_STATUS=$?
LOAD_PID=
[ "$LOAD_STATUS" = 0 ] || { log "the load under partitions failed:"; tail -20 "$WORK/chaos.progress" >&2; exit 1; }
summarize_load chaos
CHAOS_FAILURES=$(python3 -c 'import json,sys; f=json.load(open(sys.argv[1]))["report"]["failures"]; print("; ".join("%d × %s" % (n, k) for k, n in sorted(f.items(), key=lambda i: -i[1])) or "none")' "$WORK/chaos.json")
log "chaos: failed submissions (not acknowledged, so not required in the ledger): $CHAOS_FAILURES"
CHAOS_SUMMARY="$TPS tx/s, p50 $P50 ms, p99 $P99 ms, $(report_field "$WORK/chaos.json" failed) of $(report_field "$WORK/chaos.json" submitted) submissions failed ($CHAOS_FAILURES)"
check_peers_agree "at the end" "$NET" "${PEERS[@]}"
FINAL_HEIGHT=$AGREED_HEIGHT FINAL_COMMIT=$AGREED_COMMIT_HASH
ORDERER_HEIGHTS=$(status_json | python3 -c 'import json,sys; print(" ".join(str(o.get("height")) for o in json.load(sys.stdin)["orderers"]))')
[ "$(echo "$ORDERER_HEIGHTS" | tr ' ' '\n' | sort -u | wc -l)" = 1 ] || { log "the orderers' heights differ: $ORDERER_HEIGHTS"; exit 1; }
ORDERER_HEIGHTS=${ORDERER_HEIGHTS%% *}
AUDIT=$(audit_ledger "$FINAL_HEIGHT") || { log "ledger audit failed: $AUDIT"; exit 1; }
log "ledger audit: $AUDIT"
stop_nodes "at the end"

RATIO=$(awk -v w="$WAN_TPS" -v l="$LAN_TPS" 'BEGIN {printf "%.0f", 100 * w / l}')
cat <<EOF

Weft on separate hosts — $(date -u +%Y-%m-%dT%H:%M:%SZ), $(nproc) cores, 7 nodes in 7 namespaces + client
  WAN emulation:        $WAN_MECHANISM ($([ "$WAN_MECHANISM" = netem ] && echo "tc netem" || echo "Network/wan-relay.py + iptables statistic drops"): ${WAN_DELAY_MS} ± ${WAN_JITTER_MS} ms each way, ${WAN_LOSS_PERCENT} % loss each way, between site A and site B)
  round trip A ↔ B:     $WAN_RTT (TLS ClientHello → first byte back)
  LAN  (in-flight $IN_FLIGHT):   $LAN_TPS tx/s committed, p50 $LAN_P50 ms, p99 $LAN_P99 ms
  WAN  (in-flight $UNTUNED_IN_FLIGHT):   $UNTUNED_TPS tx/s committed, p50 $UNTUNED_P50 ms, p99 $UNTUNED_P99 ms   (before tuning: $(awk -v w="$UNTUNED_TPS" -v l="$LAN_TPS" 'BEGIN {printf "%.0f", 100 * w / l}') % of LAN)
${WAN_ROUND_LINES%$'\n'}
  WAN / LAN throughput: $RATIO %   (goal ≥ 70 % in every round; same load settings)
  leader partition 10 s: new leader $PARTITION_NEW_LEADER after $PARTITION_ELECTED s, ordering resumed after $PARTITION_RESUMED s, old leader caught up $PARTITION_CAUGHT_UP s after healing
  peer isolated 30 s:   $ISOLATED_PEER caught up $ISOLATE_CAUGHT_UP s after healing
  load under partitions: $CHAOS_SUMMARY
  end: every peer at height $FINAL_HEIGHT, commit hash ${FINAL_COMMIT:0:16}…; orderers at $ORDERER_HEIGHTS; every node exited 0 on SIGTERM (3 times)
  ledger: $AUDIT
EOF
[ "$RATIO" -ge 70 ] || { log "WAN throughput is $RATIO % of LAN, below the 70 % goal"; exit 1; }
log "all phases passed in $((SECONDS - TOTAL_STARTED)) s"
