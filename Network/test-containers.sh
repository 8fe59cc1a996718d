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
#
# Stages (see docs/deployment.md):
#   tools    apt-get install podman runc debootstrap; pip install podman-compose
#   engine   CONTAINERS_CONF (runc, cgroupfs, ulimits the sandbox allows), storage under the work folder
#   base     debootstrap --variant=minbase bookworm → podman import localhost/weft-base:bookworm
#   image    the weft binary → podman build -f Network/container/Dockerfile.prebuilt → localhost/weft:dev
#   network  the compose network: up, submit and query, compare every peer's commit hash, down
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
UNTIL=network
KEEP=0
while [ $# -gt 0 ]; do
    case "$1" in
        --until) UNTIL=${2:?--until needs a stage: tools, engine, base, image or network}; shift 2 ;;
        --keep) KEEP=1; shift ;;
        -h|--help) sed -n '2,25p' "$0"; exit 0 ;;
        *) echo "unknown argument '$1'; try --help" >&2; exit 1 ;;
    esac
done
case "$UNTIL" in tools|engine|base|image|network) ;; *) echo "unknown stage '$UNTIL'" >&2; exit 1 ;; esac

WORK=${WEFT_CONTAINER_WORK:-$(mktemp -d /tmp/weft-containers.XXXXXX)}
mkdir -p "$WORK"
BASE_IMAGE=localhost/weft-base:bookworm
IMAGE=localhost/weft:dev
BASE_CACHE=${WEFT_BASE_CACHE:-$HOME/.cache/weft/bookworm-minbase.tar}

log() { printf '%s [test-containers] %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }
stage_done() { [ "$UNTIL" = "$1" ] && { log "stopping after stage '$1' as asked (--until $1)"; exit 0; }; return 0; }

cleanup() {
    local status=$?
    if [ "$KEEP" = 1 ]; then
        log "kept $WORK (export CONTAINERS_CONF=$WORK/containers.conf CONTAINERS_STORAGE_CONF=$WORK/storage.conf to inspect)"
        exit $status
    fi
    if command -v podman >/dev/null && [ -f "$WORK/storage.conf" ]; then
        # Only ever this run's storage: never reset the machine's own podman storage.
        export CONTAINERS_CONF="$WORK/containers.conf" CONTAINERS_STORAGE_CONF="$WORK/storage.conf"
        [ -n "${COMPOSE_STARTED:-}" ] && podman-compose -f "$ROOT/Network/compose.yaml" down -t 10 >/dev/null 2>&1 || true
        podman rm -a -f -t 5 >/dev/null 2>&1 || true
        podman system reset -f >/dev/null 2>&1 || true
    fi
    rm -rf "$WORK"
    exit $status
}
trap cleanup EXIT

# --- tools ---------------------------------------------------------------------------------------
install_tools() {
    local missing=()
    for tool in podman runc debootstrap; do command -v "$tool" >/dev/null || missing+=("$tool"); done
    if [ ${#missing[@]} -gt 0 ]; then
        log "installing ${missing[*]} with apt-get"
        apt-get update -qq
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq podman runc debootstrap >/dev/null
    fi
    if ! command -v podman-compose >/dev/null; then
        log "installing podman-compose with pip"
        pip install -q podman-compose
    fi
    log "tools: $(podman --version), $(runc --version | head -1), podman-compose $(podman-compose version 2>/dev/null | grep -o 'podman-compose version [0-9.]*' | awk '{print $3}')"
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
    rm -rf "${root:?}"/usr/share/groff/* "${root:?}"/usr/share/info/* "${root:?}"/usr/share/linda/* \
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
        rm -rf "$rootfs"
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
        cp "$WEFT_BINARY" "$context/weft"
    else
        log "swift build -c release --static-swift-stdlib --product weft"
        (cd "$ROOT" && swift build -c release --static-swift-stdlib --product weft >"$WORK/swift-build.log" 2>&1) \
            || { tail -30 "$WORK/swift-build.log" >&2; exit 1; }
        cp "$(cd "$ROOT" && swift build -c release --static-swift-stdlib --show-bin-path)/weft" "$context/weft"
    fi
    chmod 0755 "$context/weft"
    strip "$context/weft" 2>/dev/null || true  # symbols are a third of an unstripped binary
    cp "$ROOT/Network/container/healthcheck.sh" "$context/healthcheck.sh"
    cp "$ROOT/Network/container/Dockerfile.prebuilt" "$context/Dockerfile"
    local started=$SECONDS
    log "podman build $IMAGE (RUNTIME_BASE=$BASE_IMAGE)"
    # Docker format: OCI images have no HEALTHCHECK.
    podman build --format docker --network host --build-arg RUNTIME_BASE="$BASE_IMAGE" -t "$IMAGE" "$context" >"$WORK/podman-build.log" 2>&1 \
        || { tail -30 "$WORK/podman-build.log" >&2; exit 1; }
    IMAGE_BYTES=$(podman image inspect --format '{{.Size}}' "$IMAGE")
    log "image $IMAGE built in $((SECONDS - started)) s: $(awk -v b="$IMAGE_BYTES" 'BEGIN {printf "%.1f MB", b/1e6}')"
    podman run --rm --network host "$IMAGE" version
}

# --- network -------------------------------------------------------------------------------------
# DRAFT until `weft peer start` / `weft orderer start` and the client commands land: written against
# the node contract in docs/deployment.md, not yet run end to end.
COMPOSE=(podman-compose -f "$ROOT/Network/compose.yaml")
PEERS=(peer0-org1 peer1-org1 peer0-org2 peer1-org2)
OPERATIONS_PORTS=(8443 8453 8463 9443 9453 9463 9473)

# Polls a node's /healthz with bash alone until it answers 200 (podman runs no healthchecks without
# systemd, so compose's service_healthy never fires here).
wait_healthy() {  # port, deadline in seconds
    local port=$1 deadline=$((SECONDS + $2))
    while [ $SECONDS -lt $deadline ]; do
        if WEFT_OPERATIONS_PORT=$port bash "$ROOT/Network/container/healthcheck.sh" >/dev/null 2>&1; then return 0; fi
        sleep 0.5
    done
    log "the node with operations port $port is not healthy after $2 s:"
    WEFT_OPERATIONS_PORT=$port bash "$ROOT/Network/container/healthcheck.sh" >&2 || true
    return 1
}

resident_memory() {  # container → "name rss-in-MB"
    local pid
    pid=$(podman inspect --format '{{.State.Pid}}' "$1" 2>/dev/null || echo 0)
    awk -v n="$1" '/^VmRSS:/ {printf "%s %.1f MB\n", n, $2/1024}' "/proc/$pid/status" 2>/dev/null || echo "$1 ?"
}

run_network() {
    if ! podman run --rm --network host "$IMAGE" peer start --help >/dev/null 2>&1; then
        log "this weft has no 'peer start' yet: the compose network needs the node processes (docs/deployment.md)"
        exit 3
    fi
    export WEFT_NET_DIR="$WORK/net" WEFT_IMAGE="$IMAGE"
    mkdir -p "$WEFT_NET_DIR/crypto"
    local started=$SECONDS
    COMPOSE_STARTED=1
    "${COMPOSE[@]}" up -d >"$WORK/compose-up.log" 2>&1 || { tail -30 "$WORK/compose-up.log" >&2; exit 1; }
    for port in "${OPERATIONS_PORTS[@]}"; do wait_healthy "$port" 120; done
    log "every node healthy $((SECONDS - started)) s after compose up"
    for container in $(podman ps --format '{{.Names}}' | grep '^weft_'); do log "at rest: $(resident_memory "$container")"; done

    "${COMPOSE[@]}" run --rm --no-deps client >"$WORK/client.log" 2>&1 || { cat "$WORK/client.log" >&2; exit 1; }
    log "first transaction committed $((SECONDS - started)) s after compose up"

    # Every peer must report the same height and commit hash.
    local hashes=()
    for peer in "${PEERS[@]}"; do
        local name=${peer/-/.}
        hashes+=("$(podman run --rm --network host -v "$ROOT/Network/compose/profile.yaml:/etc/weft/profile.yaml:ro" \
            -v "$WEFT_NET_DIR/crypto:/etc/weft/crypto:ro" "$IMAGE" query info --profile /etc/weft/profile.yaml \
            --identity /etc/weft/crypto/peerOrganizations/org1/users/User1@org1 --peer "$name" --json \
            | python3 -c 'import json,sys; d=json.load(sys.stdin); print(d["height"], d["commitHash"])')")
        log "$name: height and commit hash ${hashes[-1]}"
    done
    [ "$(printf '%s\n' "${hashes[@]}" | sort -u | wc -l)" = 1 ] || { log "peers disagree: a state fork"; exit 1; }
    for container in $(podman ps --format '{{.Names}}' | grep '^weft_'); do log "after the client: $(resident_memory "$container")"; done
    "${COMPOSE[@]}" down -v -t 30 >"$WORK/compose-down.log" 2>&1
    COMPOSE_STARTED=
    log "network test passed"
}

install_tools;     stage_done tools
configure_engine;  stage_done engine
make_base_image;   stage_done base
build_image;       stage_done image
run_network
