#!/bin/bash
# weft-healthcheck: exits 0 when the node's operations endpoint answers GET /healthz with 200.
# Needs nothing but bash (/dev/tcp), so the image carries no HTTP client.
# Port: WEFT_OPERATIONS_PORT, else the port of WEFT_OPERATIONS (host:port), else the port of the
# `operations:` line of the node YAML named by WEFT_CONFIG, else 9443 (a peer's default).
set -u
port=${WEFT_OPERATIONS_PORT:-}
if [ -z "$port" ] && [ -n "${WEFT_OPERATIONS:-}" ]; then port=${WEFT_OPERATIONS##*:}; fi
if [ -z "$port" ] && [ -r "${WEFT_CONFIG:-}" ]; then
    operations=$(sed -n "s/^operations:[[:space:]]*['\"]\{0,1\}\([^'\" ]*\).*/\1/p" "$WEFT_CONFIG" | head -1)
    [ -n "$operations" ] && port=${operations##*:}
fi
port=${port:-9443}
host=${WEFT_HEALTHCHECK_HOST:-127.0.0.1}

{ exec 3<>"/dev/tcp/$host/$port"; } 2>/dev/null || { echo "no operations endpoint on $host:$port"; exit 1; }
printf 'GET /healthz HTTP/1.1\r\nHost: %s:%s\r\nConnection: close\r\n\r\n' "$host" "$port" >&3
IFS= read -r -t 5 status <&3 || { echo "no answer from $host:$port/healthz within 5 s"; exit 1; }
status=${status%$'\r'}
case "$status" in
    "HTTP/1."[01]" 200 "*) exit 0 ;;
esac
# Print the status line and the body (the failed checks) for `podman inspect` / `docker inspect`.
echo "$status"
timeout 2 cat <&3 | sed -n '/^\r\{0,1\}$/,$p' | tail -n +2 | head -c 2048
exit 1
