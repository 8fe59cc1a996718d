#!/usr/bin/env bash
# Network/k8s/validate.sh — checks every manifest in Network/k8s against the Kubernetes API schemas,
# offline and strictly (unknown fields are errors), with kubernetes-validate from PyPI. When a weft
# binary is at hand (WEFT=path/to/weft, else .build/debug/weft or weft on PATH) it also generates
# fresh crypto material from crypto.yaml and checks, besides their schemas:
#   - the Secrets and ConfigMap crypto-secrets.sh makes from it, and the node ConfigMap that
#     render-node-configs.py --crypto makes (consenter pins, computed with openssl);
#   - that every file the StatefulSets take from a Secret or from weft-msp is there;
#   - that every pod's TLS certificate names the host the node configs dial it by.
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
    case "$(basename "$file")" in
        kustomization.yaml|crypto.yaml) continue ;;  # kustomize's own file; weft crypto generate's input
    esac
    manifests+=("$file")
done

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
weft=${WEFT:-}
[ -z "$weft" ] && [ -x "$ROOT/.build/debug/weft" ] && weft="$ROOT/.build/debug/weft"
[ -z "$weft" ] && command -v weft >/dev/null && weft=$(command -v weft)
if [ -n "$weft" ]; then
    "$weft" crypto generate --config "$HERE/crypto.yaml" --out "$work/crypto" >/dev/null
    "$HERE/crypto-secrets.sh" "$work/crypto" > "$work/crypto-secrets.yaml"
    python3 "$ROOT/Network/render-node-configs.py" k8s --crypto "$work/crypto" > "$work/configmap-nodes-pinned.yaml"
    manifests+=("$work/crypto-secrets.yaml" "$work/configmap-nodes-pinned.yaml")
    python3 - "$HERE" "$work/crypto-secrets.yaml" "$work/configmap-nodes-pinned.yaml" "$work/crypto" <<'PY'
import base64, glob, os, re, subprocess, sys, yaml
here, secrets_file, pinned_file, crypto = sys.argv[1:]
objects = {(o["kind"], o["metadata"]["name"]): o for o in yaml.safe_load_all(open(secrets_file)) if o}
failures = []
for path in sorted(glob.glob(os.path.join(here, "statefulset-*.yaml"))):
    spec = yaml.safe_load(open(path))["spec"]
    pods = [f"{spec['serviceName']}-{i}" for i in range(spec["replicas"])]
    volumes = {v["name"]: v for v in spec["template"]["spec"]["volumes"]}
    secret = objects[("Secret", volumes["identities"]["secret"]["secretName"])]["data"]
    script = spec["template"]["spec"]["initContainers"][0]["args"][0]
    names = re.findall(r"for file in ([^;]*);", script)
    prefixes = re.findall(r'\$\{POD_NAME\}\.([a-z-]*)\$\{file\}', script)
    for pod in pods:
        for files, prefix in zip(names, prefixes):
            for file in files.split():
                if f"{pod}.{prefix}{file}" not in secret:
                    failures.append(f"{os.path.basename(path)}: Secret has no {pod}.{prefix}{file}")
    msp = objects[("ConfigMap", "weft-msp")]["data"]
    for item in volumes["msp"]["configMap"]["items"]:
        if item["key"] not in msp:
            failures.append(f"{os.path.basename(path)}: ConfigMap weft-msp has no {item['key']}")
    for probe in ("startupProbe", "readinessProbe", "livenessProbe"):
        if spec["template"]["spec"]["containers"][0][probe]["httpGet"].get("scheme") != "HTTPS":
            failures.append(f"{os.path.basename(path)}: {probe} is not HTTPS (operationsTLS is on)")
# Every pod's TLS certificate must name the host the node configs dial it by.
nodes = yaml.safe_load(open(pinned_file))["data"]
for pod, text in sorted(nodes.items()):
    config = yaml.safe_load(text)
    if config.get("operationsTLS") is not True:
        failures.append(f"{pod}: operationsTLS is not true")
    for entry in config["channel"]["orderers"] + config["channel"]["peers"]:
        name, host = entry["name"], entry["address"].rsplit(":", 1)[0]
        org = name.split(".")[1]
        kind = "ordererOrganizations" if org == "orderer" else "peerOrganizations"
        role = "orderers" if org == "orderer" else "peers"
        cert = os.path.join(crypto, kind, org, role, name, "tls", "cert.pem")
        sans = subprocess.run(["openssl", "x509", "-in", cert, "-noout", "-ext", "subjectAltName"],
                              check=True, capture_output=True, text=True).stdout
        if f"DNS:{host}" not in re.split(r"[,\s]+", sans):
            failures.append(f"{pod}: the TLS certificate of {name} does not name {host}")
        if org == "orderer" and not (entry.get("mspID") == "OrdererMSP" and entry.get("tlsKeySHA256") and entry.get("signingKeySHA256")):
            failures.append(f"{pod}: {name} has no mspID or pins in the --crypto rendering")
for failure in failures:
    print(failure, file=sys.stderr)
if failures:
    sys.exit(1)
print(f"Secrets, weft-msp, HTTPS probes, TLS names and consenter pins agree with the StatefulSets and the {len(nodes)} node configs")
PY
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
