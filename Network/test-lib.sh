# Network/test-lib.sh — shell helpers shared by Network/test-containers.sh and Network/test-hosts.sh.
# Sourced, not run. The caller sets TEST_TAG (the log prefix) and defines weft_client (runs a weft
# client command wherever the network is reachable: a container, a network namespace).

# A progress line on stderr: time, the script's tag, the message.
log() { printf '%s [%s] %s\n' "$(date -u +%H:%M:%S)" "${TEST_TAG:-test}" "$*" >&2; }

# Seconds since a `date +%s.%N` stamp, one decimal.
elapsed() { awk -v a="$1" -v b="$(date +%s.%N)" 'BEGIN {printf "%.1f", b - a}'; }

# Every peer's "height currentHash commitHash", one line per peer, in the order given; a peer that
# does not answer within 10 s prints "unreachable". Args: the network folder as weft_client sees
# it, then the peers.
peer_info_lines() {
    local dir=$1 peer
    shift
    for peer in "$@"; do
        weft_client query info --dir "$dir" --peer "$peer" --json 2>/dev/null \
            | python3 -c 'import json,sys; d=json.load(sys.stdin); print(d["height"], d.get("currentHash", "-"), d["commitHash"])' 2>/dev/null \
            || echo unreachable
    done
}

# Waits until every peer reports the same height, block hash and commit hash (peers may trail a block
# for a moment, so it retries for about PEERS_AGREE_SECONDS, default 10 s, before it calls a difference
# a fork). Args: a label, the network folder as weft_client sees it, then the peers. Sets
# AGREED_HEIGHT and AGREED_COMMIT_HASH.
check_peers_agree() {
    local label=$1 dir=$2 attempt lines
    shift 2
    for attempt in $(seq 1 "${PEERS_AGREE_SECONDS:-10}"); do
        lines=$(peer_info_lines "$dir" "$@")
        if [ "$(printf '%s\n' "$lines" | sort -u | wc -l)" = 1 ] && ! printf '%s\n' "$lines" | grep -q unreachable; then
            AGREED_HEIGHT=$(printf '%s\n' "$lines" | head -1 | awk '{print $1}')
            AGREED_COMMIT_HASH=$(printf '%s\n' "$lines" | head -1 | awk '{print $3}')
            log "$label: all $# peers at height $AGREED_HEIGHT, block hash $(printf '%s\n' "$lines" | head -1 | awk '{print substr($2, 1, 16)}')…, commit hash ${AGREED_COMMIT_HASH:0:16}…"
            return 0
        fi
        sleep 1
    done
    log "$label: the peers disagree (a fork, or a peer stopped committing):"
    paste <(printf '%s\n' "$@") <(printf '%s\n' "$lines") >&2
    return 1
}
