#!/usr/bin/env bash
# Network/test-containers.sh — builds Weft's container image and runs the compose network in a real
# engine (podman), on a Debian 12 machine as root with no image registry reachable.
#
#   Network/test-containers.sh                  every stage: tools, engine, base image, image, network
#   Network/test-containers.sh --until image    stop after building the image (no network yet)
#   Network/test-containers.sh --keep           leave the work folder and containers for inspection
#
# Environment:
#   WEFT_CONTAINER_WORK   work folder (default: a new /tmp/weft-containers.XXXXXX); podman's storage,
#                         its configuration and the build context live here, nothing in /var/lib.
#   WEFT_BASE_CACHE       where the debootstrapped bookworm base is cached as a tarball between runs
#                         (default: ~/.cache/weft/bookworm-minbase.tar; delete it to rebuild).
#   WEFT_BINARY           use this prebuilt weft binary instead of `swift build -c release --static-swift-stdlib`.
#   DEBIAN_MIRROR         mirror for debootstrap (default: the first URI in /etc/apt/sources.list.d/debian.sources).
#   WEFT_BASE_PORT        first of the 14 consecutive 127.0.0.1 ports of the compose network (default 7050).
#   WEFT_LOAD_RATE, WEFT_LOAD_SECONDS   the load one-shot: tx/s offered and seconds (default 100 and 20).
#
# Stages (see docs/deployment.md):
#   tools    apt-get install podman runc debootstrap openssl; pip install podman-compose
#   engine   CONTAINERS_CONF (runc, cgroupfs, ulimits the sandbox allows), storage under the work folder
#   base     debootstrap --variant=minbase bookworm → podman import localhost/weft-base:bookworm
#   image    the weft binary → podman build -f Network/container/Dockerfile.prebuilt → localhost/weft:dev
#   network  the compose network, TLS on every port: up, every node healthy (its image healthcheck,
#            HTTPS), operations endpoints refuse plain HTTP, the channels one-shot joins every node
#            (again: no change; WEFT_CHANNELS=ch2=Org1: a second channel), client submits and reads back, a TLS
#            certificate renewed (weft crypto renew) is served without a restart, load, every peer's
#            height and commit hash equal, resident memory, down -v, nothing left behind
#
# On exit, also on failure or Ctrl-C, it removes its containers and volumes, resets its own podman
# storage and deletes the work folder (only that folder, never across a mount point).
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
UNTIL=network
KEEP=0
while [ $# -gt 0 ]; do
    case "$1" in
        --until) UNTIL=${2:?--until needs a stage: tools, engine, base, image or network}; shift 2 ;;
        --keep) KEEP=1; shift ;;
        -h|--help) sed -n '2,30p' "$0"; exit 0 ;;
        *) echo "unknown argument '$1'; try --help" >&2; exit 1 ;;
    esac
done
case "$UNTIL" in tools|engine|base|image|network) ;; *) echo "unknown stage '$UNTIL'" >&2; exit 1 ;; esac

BASE_IMAGE=localhost/weft-base:bookworm
IMAGE=localhost/weft:dev
BASE_CACHE=${WEFT_BASE_CACHE:-$HOME/.cache/weft/bookworm-minbase.tar}

TEST_TAG=test-containers
# shellcheck source=Network/test-lib.sh
source "$ROOT/Network/test-lib.sh"   # log, elapsed, check_peers_agree
stage_done() { [ "$UNTIL" = "$1" ] && [ "$1" != network ] && { log "stopping after stage '$1' as asked (--until $1)"; exit 0; }; return 0; }

# The work folder: new, or empty, or one this script made before (it holds the marker file). Nothing
# outside it is ever deleted, and nothing is deleted across a mount point (see remove_under_work).
MARKER=.weft-test-containers
if [ -n "${WEFT_CONTAINER_WORK:-}" ]; then
    WORK=$(realpath -m "$WEFT_CONTAINER_WORK")
    case "$WORK" in
        /|/bin|/boot|/dev|/etc|/home|/lib*|/opt|/proc|/root|/run|/sbin|/srv|/sys|/tmp|/usr|/var|*[[:space:]]*)
            echo "refusing WEFT_CONTAINER_WORK=$WORK: use a folder of its own without spaces, e.g. /tmp/weft-containers.1" >&2; exit 1 ;;
    esac
    for precious in "$ROOT" "$HOME" "$(dirname "$BASE_CACHE")"; do
        case "$precious/" in "$WORK"/*)
            echo "refusing WEFT_CONTAINER_WORK=$WORK: it holds $precious" >&2; exit 1 ;;
        esac
    done
    if [ -d "$WORK" ] && [ -n "$(ls -A "$WORK")" ] && [ ! -f "$WORK/$MARKER" ]; then
        echo "WEFT_CONTAINER_WORK=$WORK is not empty and was not made by this script; choose a new or empty folder" >&2
        exit 1
    fi
    mkdir -p "$WORK"
else
    WORK=$(mktemp -d /tmp/weft-containers.XXXXXX)
fi
touch "$WORK/$MARKER"
COMPOSE_STARTED=

# Unmounts whatever is mounted under $1 (deepest first), then deletes $1 — only if $1 is $WORK or
# inside it, and never across a mount point (--one-file-system): a chroot's bind-mounted /dev or /proc
# left behind by an interrupted debootstrap must not take the host's files with it.
remove_under_work() {
    local path
    path=$(realpath -m "${1:?remove_under_work needs a path}")
    case "$path" in "$WORK"|"$WORK"/*) ;; *) log "refusing to delete '$path': not under $WORK"; return 1 ;; esac
    [ -e "$path" ] || return 0
    local mount
    for mount in $(awk -v p="$path" '$2 == p || index($2, p "/") == 1 {print $2}' /proc/mounts | sort -r); do
        umount "$mount" 2>/dev/null || umount -l "$mount" 2>/dev/null || true
    done
    if awk -v p="$path" '$2 == p || index($2, p "/") == 1 {found = 1} END {exit !found}' /proc/mounts; then
        log "not deleting $path: something is still mounted under it"
        return 1
    fi
    rm -rf --one-file-system -- "$path"
}

cleanup() {
    local status=$?
    trap - EXIT INT TERM
    if [ "$KEEP" = 1 ]; then
        log "kept $WORK (export CONTAINERS_CONF=$WORK/containers.conf CONTAINERS_STORAGE_CONF=$WORK/storage.conf to inspect)"
        exit $status
    fi
    if command -v podman >/dev/null && [ -f "$WORK/storage.conf" ] && [ -f "$WORK/containers.conf" ]; then
        # Only ever this run's storage: never reset the machine's own podman storage.
        export CONTAINERS_CONF="$WORK/containers.conf" CONTAINERS_STORAGE_CONF="$WORK/storage.conf"
        if [ -n "$COMPOSE_STARTED" ]; then
            podman-compose -f "$ROOT/Network/compose.yaml" down -v -t 10 >/dev/null 2>&1 || true
        fi
        podman rm -a -f -t 5 >/dev/null 2>&1 || true
        if [ "$(podman info --format '{{.Store.GraphRoot}}' 2>/dev/null)" = "$WORK/storage" ]; then
            podman system reset -f >/dev/null 2>&1 || true
        fi
    fi
    remove_under_work "$WORK" || status=1
    [ $status = 0 ] || log "failed (exit $status); cleaned up $WORK"
    exit $status
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# --- tools ---------------------------------------------------------------------------------------
install_tools() {
    local missing=()
    for tool in podman runc debootstrap openssl; do command -v "$tool" >/dev/null || missing+=("$tool"); done
    if [ ${#missing[@]} -gt 0 ]; then
        log "installing ${missing[*]} with apt-get"
        apt-get update -qq
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq podman runc debootstrap openssl >/dev/null
    fi
    if ! command -v podman-compose >/dev/null; then
        log "installing podman-compose with pip"
        pip install -q podman-compose
    fi
}

# --- engine --------------------------------------------------------------------------------------
# crun refuses this host's hybrid cgroup layout, so podman runs runc; the sandbox caps open files and
# processes, so containers ask for no more than it allows. Storage stays under $WORK.
configure_engine() {
    mkdir -p "$WORK/storage" "$WORK/run" "$WORK/tmp"
    cat > "$WORK/containers.conf" <<EOF
[containers]
default_ulimits = ["nofile=20000:20000", "nproc=32768:32768"]
log_driver = "k8s-file"

[engine]
runtime = "runc"
cgroup_manager = "cgroupfs"
events_logger = "file"
image_parallel_copies = 1
tmp_dir = "$WORK/tmp"
EOF
    local driver=overlay
    if ! grep -qw overlay /proc/filesystems; then driver=vfs; fi
    write_storage_conf "$driver"
    # An empty registry list: every image here is local (localhost/...), nothing is pulled.
    cat > "$WORK/registries.conf" <<EOF
unqualified-search-registries = []
short-name-mode = "disabled"
EOF
    export CONTAINERS_CONF="$WORK/containers.conf"
    export CONTAINERS_STORAGE_CONF="$WORK/storage.conf"
    export CONTAINERS_REGISTRIES_CONF="$WORK/registries.conf"
    export TMPDIR="$WORK/tmp"
    if ! podman info >/dev/null 2>"$WORK/podman-info.err"; then
        if [ "$driver" = overlay ]; then
            log "overlay storage does not work here ($(tail -1 "$WORK/podman-info.err")); using vfs"
            write_storage_conf vfs
            podman info >/dev/null
        else
            cat "$WORK/podman-info.err" >&2
            exit 1
        fi
    fi
    # Only now, with this run's storage configured: `podman-compose version` runs podman, which would
    # otherwise set up the machine's default storage.
    log "tools: $(podman --version), $(runc --version | head -1), podman-compose $(podman-compose version 2>/dev/null | grep -o 'podman-compose version [0-9.]*' | awk '{print $3}')"
    log "engine: runtime $(podman info --format '{{.Host.OCIRuntime.Name}}'), storage $(podman info --format '{{.Store.GraphDriverName}}') in $WORK/storage"
}

write_storage_conf() {
    cat > "$WORK/storage.conf" <<EOF
[storage]
driver = "$1"
graphroot = "$WORK/storage"
runroot = "$WORK/run"
EOF
}

# --- base ----------------------------------------------------------------------------------------
# The stand-in for debian:bookworm-slim: a minbase debootstrap, imported as an image. Cached as a
# tarball because it takes a minute or two.
debian_mirror() {
    if [ -n "${DEBIAN_MIRROR:-}" ]; then echo "$DEBIAN_MIRROR"; return; fi
    local uri
    uri=$(awk '/^URIs:/ {print $2; exit}' /etc/apt/sources.list.d/debian.sources 2>/dev/null || true)
    echo "${uri:-http://deb.debian.org/debian}"
}

# Slim like debian:bookworm-slim: no documentation, manuals or translations, now or from later installs
# (dpkg path excludes), and no apt caches or package lists. Refuses any root but a debootstrap folder.
slim_root_file_system() {
    local root=${1:?slim_root_file_system needs the root file system folder}
    case "$root" in "$WORK"/*) ;; *) echo "refusing to slim '$root': not under $WORK" >&2; exit 1 ;; esac
    [ -f "$root/etc/debian_version" ] || { echo "refusing to slim '$root': not a Debian root" >&2; exit 1; }
    printf '%s\n' 'path-exclude /usr/share/doc/*' 'path-include /usr/share/doc/*/copyright' \
        'path-exclude /usr/share/groff/*' 'path-exclude /usr/share/info/*' 'path-exclude /usr/share/linda/*' \
        'path-exclude /usr/share/lintian/overrides/*' 'path-exclude /usr/share/locale/*' \
        'path-exclude /usr/share/man/*' > "$root/etc/dpkg/dpkg.cfg.d/weft-slim"
    find "$root/usr/share/doc" -mindepth 2 ! -name copyright ! -type d -delete
    rm -rf --one-file-system "${root:?}"/usr/share/groff/* "${root:?}"/usr/share/info/* "${root:?}"/usr/share/linda/* \
        "${root:?}"/usr/share/locale/* "${root:?}"/usr/share/man/* "${root:?}"/usr/share/lintian/overrides/* \
        "${root:?}"/var/cache/apt/*.bin "${root:?}"/var/cache/apt/archives/*.deb "${root:?}"/var/lib/apt/lists/* \
        "${root:?}"/var/log/*.log "${root:?}"/var/log/apt/*
}

make_base_image() {
    if [ ! -s "$BASE_CACHE" ]; then
        local rootfs="$WORK/rootfs" started=$SECONDS
        log "debootstrap --variant=minbase bookworm from $(debian_mirror) (a minute or two)"
        debootstrap --variant=minbase bookworm "$rootfs" "$(debian_mirror)" >"$WORK/debootstrap.log" 2>&1 \
            || { tail -20 "$WORK/debootstrap.log" >&2; exit 1; }
        slim_root_file_system "$rootfs"
        mkdir -p "$(dirname "$BASE_CACHE")"
        tar -C "$rootfs" -cf "$BASE_CACHE.partial" .
        mv "$BASE_CACHE.partial" "$BASE_CACHE"
        remove_under_work "$rootfs"
        log "base root file system cached in $BASE_CACHE after $((SECONDS - started)) s"
    fi
    podman import --change 'CMD ["/bin/bash"]' "$BASE_CACHE" "$BASE_IMAGE" >"$WORK/import.log" 2>&1 \
        || { cat "$WORK/import.log" >&2; exit 1; }
    log "base image $BASE_IMAGE: $(podman image inspect --format '{{.Size}}' "$BASE_IMAGE" | awk '{printf "%.1f MB", $1/1e6}')"
}

# --- image ---------------------------------------------------------------------------------------
build_image() {
    local context="$WORK/context"
    mkdir -p "$context"
    if [ -n "${WEFT_BINARY:-}" ]; then
        [ -x "$WEFT_BINARY" ] || { log "WEFT_BINARY=$WEFT_BINARY is not an executable file"; exit 1; }
        # The image has no Swift runtime: the binary must carry it (--static-swift-stdlib).
        if ldd "$WEFT_BINARY" 2>/dev/null | grep -q 'libswiftCore'; then
            log "WEFT_BINARY=$WEFT_BINARY links the Swift runtime dynamically; build it with: swift build -c release --static-swift-stdlib --product weft"
            exit 1
        fi
        cp "$WEFT_BINARY" "$context/weft"
    else
        log "swift build -c release --static-swift-stdlib --product weft"
        (cd "$ROOT" && swift build -c release --static-swift-stdlib --product weft >"$WORK/swift-build.log" 2>&1) \
            || { tail -30 "$WORK/swift-build.log" >&2; exit 1; }
        cp "$(cd "$ROOT" && swift build -c release --static-swift-stdlib --show-bin-path)/weft" "$context/weft"
    fi
    chmod 0755 "$context/weft"
    strip "$context/weft" 2>/dev/null || true  # symbols are a third of an unstripped binary
    cp "$ROOT/Network/container/Dockerfile.prebuilt" "$context/Dockerfile"
    local started=$SECONDS
    log "podman build $IMAGE (RUNTIME_BASE=$BASE_IMAGE)"
    # Docker format: OCI images have no HEALTHCHECK.
    podman build --format docker --network host --build-arg RUNTIME_BASE="$BASE_IMAGE" -t "$IMAGE" "$context" >"$WORK/podman-build.log" 2>&1 \
        || { tail -30 "$WORK/podman-build.log" >&2; exit 1; }
    IMAGE_BYTES=$(podman image inspect --format '{{.Size}}' "$IMAGE")
    log "image $IMAGE built in $((SECONDS - started)) s: $(awk -v b="$IMAGE_BYTES" 'BEGIN {printf "%.1f MB", b/1e6}')" \
        "($(awk -v b="$IMAGE_BYTES" 'BEGIN {print (b <= 120e6 ? "within" : "OVER")}') the 120 MB goal; weft $(stat -c %s "$context/weft" | awk '{printf "%.1f MB", $1/1e6}'))"
    podman run --rm --no-healthcheck --network host "$IMAGE" version
}

# --- network -------------------------------------------------------------------------------------
# The compose network for real: the init one-shot writes the network folder (crypto, node configs,
# profile) with weft's own commands, seven nodes start, the client one-shot submits and reads back,
# the load one-shot runs `weft bench e2e` against it, every peer must end with the same height and
# commit hash, and `down -v` removes it all.
COMPOSE=(podman-compose -f "$ROOT/Network/compose.yaml")
BASE_PORT=${WEFT_BASE_PORT:-7050}
NODE_COUNT=7  # 3 orderers + 2 organizations × 2 peers
PEERS=(peer0.org1 peer1.org1 peer0.org2 peer1.org2)
LOAD_RATE=${WEFT_LOAD_RATE:-100}
LOAD_SECONDS=${WEFT_LOAD_SECONDS:-20}

# Runs a node container's own healthcheck (compose.yaml's: `weft healthcheck`, GET /healthz over HTTPS
# trusting the node's TLS CA) until it passes. podman schedules healthchecks through systemd timers,
# which this machine does not have, so compose's service_healthy never fires here; `podman healthcheck
# run` runs the container's check once, now.
wait_healthy() {  # container, deadline in seconds
    local container=$1 deadline=$((SECONDS + $2))
    while [ $SECONDS -lt $deadline ]; do
        if podman healthcheck run "$container" >/dev/null 2>&1; then return 0; fi
        sleep 0.3
    done
    log "$container is not healthy after $2 s; its healthcheck says:"
    podman exec "$container" weft healthcheck --timeout 4 >&2 || true
    return 1
}

# TLS is on where the configs say: every node config has operationsTLS: true, its operations endpoint
# answers a plaintext GET /healthz with no 200, and `weft healthcheck` reaches it over https://.
check_tls() {
    local config port status
    for config in "$WEFT_NET_DIR"/nodes/*/node.yaml; do
        grep -q '^operationsTLS: true$' "$config" || { log "$config does not turn operationsTLS on"; return 1; }
        port=$(sed -n 's/^operations: *.*:\([0-9]*\).*/\1/p' "$config")
        status=$( (exec 3<>"/dev/tcp/127.0.0.1/$port" || exit 0
                   printf 'GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n' >&3
                   IFS= read -r -t 5 line <&3 || true; printf '%s' "${line%$'\r'}") 2>/dev/null)
        case "$status" in
            "HTTP/1."[01]" 200 "*) log "the operations endpoint on port $port answers plain HTTP: $status"; return 1 ;;
        esac
    done
    local container
    container=$(node_containers | grep peer | head -1)
    log "operations endpoints refuse plain HTTP; $container: $(podman exec "$container" weft healthcheck --timeout 4)"
}

# The compose network's containers (this run's storage only).
node_containers() { podman ps --format '{{.Names}}' | grep '^weft_\(orderer\|peer\)' | sort; }

resident_kilobytes() {  # container → VmRSS of its main process in kB
    local pid
    pid=$(podman inspect --format '{{.State.Pid}}' "$1" 2>/dev/null || echo 0)
    awk '/^VmRSS:/ {print $2}' "/proc/$pid/status" 2>/dev/null || echo 0
}

record_memory() {  # label
    local container line=""
    for container in $(node_containers); do
        line+=" ${container#weft_}=$(awk -v k="$(resident_kilobytes "$container")" 'BEGIN {printf "%.1f", k/1024}')"
    done
    log "resident memory (MB) $1:$line"
}

# Rotation as docs/deployment.md describes it for compose: `weft crypto renew` in a container as the
# nodes' user over the mounted network folder; the node must serve the new certificate (seen from the
# host with openssl on its HTTPS operations endpoint) within a few seconds, without a restart.
check_rotation() {
    local node=peer0.org1 config port before after="" renewed waited
    config="$WEFT_NET_DIR/nodes/$node/node.yaml"
    port=$(sed -n 's/^operations: *.*:\([0-9]*\).*/\1/p' "$config")
    served_serial() {
        openssl s_client -connect "127.0.0.1:$port" </dev/null 2>/dev/null | openssl x509 -noout -serial 2>/dev/null | cut -d= -f2 || true
    }
    before=$(served_serial)
    podman run --rm --no-healthcheck --network host --user 10001:10001 -v "$WEFT_NET_DIR:/net" "$IMAGE" \
        crypto renew --dir /net --node "$node" >"$WORK/renew.log" 2>&1 || { cat "$WORK/renew.log" >&2; return 1; }
    renewed=$(openssl x509 -noout -serial -in "$WEFT_NET_DIR/crypto/peerOrganizations/org1/peers/$node/tls/cert.pem" | cut -d= -f2)
    local started=$SECONDS
    while [ $((SECONDS - started)) -lt 10 ]; do
        after=$(served_serial)
        [ "$after" = "$renewed" ] && break
        sleep 0.5
    done
    waited=$((SECONDS - started))
    if [ -z "$before" ] || [ "$before" = "$renewed" ] || [ "$after" != "$renewed" ]; then
        log "TLS rotation: $node served serial '$before' before weft crypto renew, '$after' after it; the renewed certificate has $renewed"
        return 1
    fi
    log "TLS rotation: $node serves its renewed certificate (serial $before → $renewed) within $waited s of weft crypto renew, without a restart"
}

# Channels: the channels one-shot that `up -d` started joins every node to mychannel (the nodes start
# with none: their data is in named volumes); run again it changes nothing (--skip-joined), and with
# WEFT_CHANNELS it adds a channel of Org1 only, which peer0.org1 then lists and peer0.org2 does not.
check_channels() {  # started
    local code
    code=$(podman wait weft_channels_1 2>/dev/null || echo missing)
    if [ "$code" != 0 ]; then
        log "the channels one-shot exited '$code':"; podman logs weft_channels_1 >&2 || true; return 1
    fi
    log "channels one-shot joined every node to mychannel $(elapsed "$1") s after compose up"
    "${COMPOSE[@]}" run --rm -T --no-deps channels >"$WORK/channels-again.log" 2>&1 || { cat "$WORK/channels-again.log" >&2; return 1; }
    WEFT_CHANNELS="ch2=Org1" "${COMPOSE[@]}" run --rm -T --no-deps channels >"$WORK/channels-ch2.log" 2>&1 \
        || { cat "$WORK/channels-ch2.log" >&2; return 1; }
    weft_client channel list --dir /net >"$WORK/channel-list.log" 2>&1 || { cat "$WORK/channel-list.log" >&2; return 1; }
    if ! grep -q '^peer0.org1: .*ch2 (' "$WORK/channel-list.log" || grep -q '^peer0.org2: .*ch2 (' "$WORK/channel-list.log" \
        || [ "$(grep -c 'mychannel (' "$WORK/channel-list.log")" != "$NODE_COUNT" ]; then
        log "weft channel list after the channels one-shot:"; cat "$WORK/channel-list.log" >&2; return 1
    fi
    log "channels one-shot run again: nothing changed; with WEFT_CHANNELS=ch2=Org1: ch2 on Org1's peers and the orderers"
}

# Runs a weft client command in a throwaway container of the image, with the network folder mounted.
weft_client() {
    podman run --rm --no-healthcheck --network host -v "$WEFT_NET_DIR:/net:ro" "$IMAGE" "$@"
}

ports_free() {
    local port
    for port in $(seq "$BASE_PORT" $((BASE_PORT + 2 * NODE_COUNT - 1))); do
        if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
            log "127.0.0.1:$port is in use; the compose network needs $BASE_PORT-$((BASE_PORT + 2 * NODE_COUNT - 1)) (set WEFT_BASE_PORT)"
            return 1
        fi
    done
}

run_network() {
    ports_free
    export WEFT_NET_DIR="$WORK/net" WEFT_IMAGE="$IMAGE" WEFT_BASE_PORT="$BASE_PORT"
    export WEFT_LOAD_RATE="$LOAD_RATE" WEFT_LOAD_SECONDS="$LOAD_SECONDS"
    mkdir -p "$WEFT_NET_DIR"
    local started
    started=$(date +%s.%N)
    COMPOSE_STARTED=1
    log "podman-compose up -d (init one-shot, 3 orderers, 4 peers; ports from $BASE_PORT)"
    "${COMPOSE[@]}" up -d >"$WORK/compose-up.log" 2>&1 || { tail -30 "$WORK/compose-up.log" >&2; exit 1; }
    [ -f "$WEFT_NET_DIR/network.json" ] || { log "the init one-shot wrote no network.json:"; podman logs weft_init_1 >&2 || true; exit 1; }
    log "up -d returned after $(elapsed "$started") s"
    [ "$(node_containers | wc -l)" = "$NODE_COUNT" ] || { log "expected $NODE_COUNT node containers:"; podman ps -a >&2; exit 1; }
    local container
    for container in $(node_containers); do
        wait_healthy "$container" 120 || { dump_node_logs; exit 1; }
    done
    log "all $NODE_COUNT nodes healthy $(elapsed "$started") s after compose up"
    check_tls || { dump_node_logs; exit 1; }
    check_channels "$started" || { dump_node_logs; exit 1; }

    # The client's submit is the network's first transaction: it has committed when the one-shot returns.
    "${COMPOSE[@]}" --profile client run --rm -T --no-deps client >"$WORK/client.log" 2>&1 || { cat "$WORK/client.log" >&2; dump_node_logs; exit 1; }
    log "first transaction committed (client one-shot returned) $(elapsed "$started") s after compose up:"
    grep -v '^\(podman\|Error: no container\)' "$WORK/client.log" | sed 's/^/    /' >&2
    check_peers_agree "after the client" /net "${PEERS[@]}"
    check_rotation || { dump_node_logs; exit 1; }
    record_memory "at rest (idle after the first transaction)"

    # Load: the e2e load generator in a container; memory sampled every second while it runs.
    log "load one-shot: weft bench e2e --workload asset-transfer --rate $LOAD_RATE --seconds $LOAD_SECONDS"
    "${COMPOSE[@]}" --profile load run --rm -T --no-deps load >"$WORK/load.log" 2>&1 &
    local load_pid=$! peak_file="$WORK/rss-peak"
    : >"$peak_file"
    while kill -0 "$load_pid" 2>/dev/null; do
        for container in $(node_containers); do echo "$container $(resident_kilobytes "$container")"; done >>"$peak_file"
        sleep 1
    done
    wait "$load_pid" || { cat "$WORK/load.log" >&2; dump_node_logs; exit 1; }
    grep -v '^\(podman\|Error: no container\)' "$WORK/load.log" | grep -v '^\[' | sed 's/^/    /' >&2
    log "peak resident memory (MB) under load: $(awk '{if ($2 > m[$1]) m[$1] = $2} END {for (c in m) printf " %s=%.1f", substr(c, 6), m[c]/1024}' "$peak_file" | tr ' ' '\n' | sort | tr '\n' ' ')"
    record_memory "after the load"
    check_peers_agree "after the load" /net "${PEERS[@]}"

    # Graceful stop: SIGTERM, and every node must exit 0 within the grace period.
    local pids containers
    containers=$(node_containers)
    pids=$(for container in $containers; do podman inspect --format '{{.State.Pid}}' "$container"; done)
    started=$(date +%s.%N)
    "${COMPOSE[@]}" stop -t 30 >"$WORK/compose-stop.log" 2>&1 || { tail -30 "$WORK/compose-stop.log" >&2; exit 1; }
    log "stop (SIGTERM) took $(elapsed "$started") s"
    for container in $containers; do
        local code
        code=$(podman inspect --format '{{.State.ExitCode}}' "$container")
        [ "$code" = 0 ] || { log "$container exited $code on SIGTERM:"; podman logs --tail 20 "$container" >&2 2>&1; exit 1; }
    done
    "${COMPOSE[@]}" down -v -t 30 >"$WORK/compose-down.log" 2>&1 || { tail -30 "$WORK/compose-down.log" >&2; exit 1; }
    COMPOSE_STARTED=
    local leftover
    leftover=$(podman ps -a --format '{{.Names}}')
    [ -z "$leftover" ] || { log "containers left after down: $leftover"; exit 1; }
    [ -z "$(podman volume ls -q)" ] || { log "volumes left after down -v: $(podman volume ls -q | tr '\n' ' ')"; exit 1; }
    for pid in $pids; do
        if kill -0 "$pid" 2>/dev/null; then log "node process $pid still running after down"; exit 1; fi
    done
    log "network test passed"
}

dump_node_logs() {
    local container
    for container in $(podman ps -a --format '{{.Names}}' | grep '^weft_'); do
        log "--- last lines of $container"
        podman logs --tail 15 "$container" >&2 2>&1 || true
    done
}

run_stage() {  # name, function
    local started=$SECONDS
    "$2"
    log "stage $1 took $((SECONDS - started)) s"
    stage_done "$1"
}
TOTAL_STARTED=$SECONDS
run_stage tools install_tools
run_stage engine configure_engine
run_stage base make_base_image
run_stage image build_image
run_stage network run_network
log "all stages passed in $((SECONDS - TOTAL_STARTED)) s"
