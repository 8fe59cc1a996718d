#!/usr/bin/env bash
# Network/k8s/crypto-secrets.sh CRYPTO_DIR [NAMESPACE] — prints the Secrets and the ConfigMap that the
# StatefulSets mount, made from the output of `weft crypto generate --orgs 2 --peers 2 --orderers 3`:
#
#   Secret weft-identities-orderer   orderer-N.{cert.pem,key.pem,ca.pem,identity.json}   (N = 0, 1, 2)
#                                    orderer-N.{tls-cert.pem,tls-key.pem,tls-ca.pem}     (the tls/ folder)
#   Secret weft-identities-orgK      orgK-peer-N.{cert.pem,key.pem,ca.pem,identity.json} (K = 1, 2; N = 0, 1)
#                                    orgK-peer-N.{tls-cert.pem,tls-key.pem,tls-ca.pem}
#   Secret weft-admins               <org>-admin.{cert.pem,key.pem,ca.pem,identity.json} (org = orderer, org1, org2)
#                                    <org>-admin.{tls-cert.pem,tls-key.pem,tls-ca.pem}   (Admin@<org>: joins channels)
#   ConfigMap weft-msp               <org>.msp.json, <org>.cacert.pem, <org>.tlscacert.pem, <org>.admincert.pem
#                                    (org = orderer, org1, org2), and crypto.json (names and paths, no key)
#
# Node keys are named after the pod that uses them; the init container of each pod copies only its own.
# Only the Job weft-channels (job-channels.yaml) mounts weft-admins: it joins every node to the channels
# as an admin of the node's organization (delete the Secret after it if the cluster should not keep them).
# The TLS certificates must name the pods' Service DNS names (orderer-0.orderer.weft.svc.cluster.local,
# org1-peer-0.org1-peer.weft.svc.cluster.local, …): generate with the host patterns of
# Network/k8s/crypto.yaml (docs/crypto-layout.md, "Names for containers and Kubernetes"):
#
#   weft crypto generate --config Network/k8s/crypto.yaml --out ./crypto
#   Network/k8s/crypto-secrets.sh ./crypto | kubectl apply -f -
#
# The same with kubectl alone, e.g. for orderer-0 (docs/deployment.md has the whole list):
#   kubectl -n weft create secret generic weft-identities-orderer \
#     --from-file=orderer-0.cert.pem=crypto/ordererOrganizations/orderer/orderers/orderer0.orderer/cert.pem ...
set -euo pipefail

CRYPTO=${1:?usage: crypto-secrets.sh CRYPTO_DIR [NAMESPACE]   (CRYPTO_DIR from weft crypto generate --out)}
NAMESPACE=${2:-weft}
ORGS=${WEFT_ORGS:-2}
PEERS=${WEFT_PEERS:-2}
ORDERERS=${WEFT_ORDERERS:-3}
[ -f "$CRYPTO/crypto.json" ] || { echo "$CRYPTO/crypto.json not found: is $CRYPTO the --out folder of weft crypto generate?" >&2; exit 1; }

encode() {
    [ -f "$1" ] || { echo "missing $1 (regenerate with weft crypto generate --orgs $ORGS --peers $PEERS --orderers $ORDERERS)" >&2; exit 1; }
    base64 -w0 < "$1"
}

# The lines of a text file, indented as the content of a block scalar in a ConfigMap's data.
block() {
    [ -f "$1" ] || { echo "missing $1" >&2; exit 1; }
    sed 's/^/    /' "$1"
    [ -z "$(tail -c1 "$1")" ] || printf '\n'
}

header() {  # kind name
    printf -- '---\napiVersion: v1\nkind: %s\nmetadata:\n  name: %s\n  namespace: %s\n' "$1" "$2" "$NAMESPACE"
    printf '  labels:\n    app.kubernetes.io/part-of: weft\n'
}

identity_secret() {  # secret-name, then pairs of (pod, identity folder)
    local name=$1; shift
    header Secret "$name"
    printf 'type: Opaque\ndata:\n'
    while [ $# -gt 0 ]; do
        local pod=$1 folder=$2; shift 2
        for file in cert.pem key.pem ca.pem identity.json; do
            printf '  %s.%s: %s\n' "$pod" "$file" "$(encode "$folder/$file")"
        done
        for file in cert.pem key.pem ca.pem; do
            printf '  %s.tls-%s: %s\n' "$pod" "$file" "$(encode "$folder/tls/$file")"
        done
    done
}

args=()
for ((i = 0; i < ORDERERS; i++)); do
    args+=("orderer-$i" "$CRYPTO/ordererOrganizations/orderer/orderers/orderer$i.orderer")
done
identity_secret weft-identities-orderer "${args[@]}"

for ((k = 1; k <= ORGS; k++)); do
    args=()
    for ((i = 0; i < PEERS; i++)); do
        args+=("org$k-peer-$i" "$CRYPTO/peerOrganizations/org$k/peers/peer$i.org$k")
    done
    identity_secret "weft-identities-org$k" "${args[@]}"
done

args=(orderer-admin "$CRYPTO/ordererOrganizations/orderer/users/Admin@orderer")
for ((k = 1; k <= ORGS; k++)); do
    args+=("org$k-admin" "$CRYPTO/peerOrganizations/org$k/users/Admin@org$k")
done
identity_secret weft-admins "${args[@]}"

header ConfigMap weft-msp
printf 'data:\n'
printf '  crypto.json: |\n'; block "$CRYPTO/crypto.json"
msp_entries() {  # org, msp folder
    printf '  %s.msp.json: |\n' "$1"; block "$2/msp.json"
    printf '  %s.cacert.pem: |\n' "$1"; block "$2/cacerts/ca.$1.pem"
    printf '  %s.tlscacert.pem: |\n' "$1"; block "$2/tlscacerts/tlsca.$1.pem"
    printf '  %s.admincert.pem: |\n' "$1"; block "$2/admincerts/Admin@$1.pem"
}
msp_entries orderer "$CRYPTO/ordererOrganizations/orderer/msp"
for ((k = 1; k <= ORGS; k++)); do
    msp_entries "org$k" "$CRYPTO/peerOrganizations/org$k/msp"
done
