#!/usr/bin/env bash
# Network/k8s/validate.sh — checks every manifest in Network/k8s against the Kubernetes API schemas,
# offline and strictly (unknown fields are errors), with kubernetes-validate from PyPI. Also checks the
# Secrets and ConfigMap that crypto-secrets.sh makes, from fresh `weft crypto generate` output, when a
# weft binary is at hand (WEFT=path/to/weft, else .build/debug/weft or weft on PATH).
#
#   Network/k8s/validate.sh                 # Kubernetes 1.30 (oldest K3s line still patched) and the newest
#   WEFT_K8S_VERSIONS="1.33.0" Network/k8s/validate.sh
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
VERSIONS=${WEFT_K8S_VERSIONS:-"1.30.0 1.37.0"}

if ! command -v kubernetes-validate >/dev/null; then
    echo "installing kubernetes-validate (PyPI)" >&2
    pip install -q kubernetes-validate
fi

manifests=()
for file in "$HERE"/*.yaml; do
    [ "$(basename "$file")" = kustomization.yaml ] && continue  # kustomize's own file, not an API object
    manifests+=("$file")
done

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
weft=${WEFT:-}
[ -z "$weft" ] && [ -x "$ROOT/.build/debug/weft" ] && weft="$ROOT/.build/debug/weft"
[ -z "$weft" ] && command -v weft >/dev/null && weft=$(command -v weft)
if [ -n "$weft" ]; then
    "$weft" crypto generate --orgs 2 --peers 2 --orderers 3 --out "$work/crypto" >/dev/null
    "$HERE/crypto-secrets.sh" "$work/crypto" > "$work/crypto-secrets.yaml"
    manifests+=("$work/crypto-secrets.yaml")
else
    echo "no weft binary: skipping the generated Secrets (build with swift build, or set WEFT)" >&2
fi

# The pod template reads /etc/weft/nodes/$(POD_NAME).yaml: every pod name needs its key.
for pod in orderer-0 orderer-1 orderer-2 org1-peer-0 org1-peer-1 org2-peer-0 org2-peer-1; do
    grep -q "^  $pod.yaml: |$" "$HERE/configmap-nodes.yaml" || { echo "configmap-nodes.yaml has no $pod.yaml" >&2; exit 1; }
done

status=0
for version in $VERSIONS; do
    if kubernetes-validate --strict --quiet -k "$version" "${manifests[@]}"; then
        echo "Kubernetes $version: ${#manifests[@]} files valid (strict)"
    else
        status=1
    fi
done
exit $status
