#!/usr/bin/env bash
# Network/k8s/validate.sh — checks every manifest in Network/k8s against the Kubernetes API schemas,
# offline and strictly (unknown fields are errors), with kubernetes-validate from PyPI. When a weft
# binary is at hand (WEFT=path/to/weft, else .build/debug/weft or weft on PATH) it also generates
# fresh crypto material from crypto.yaml and checks, besides their schemas:
#   - the Secrets and ConfigMap crypto-secrets.sh makes from it;
#   - that every file the StatefulSets and the Job weft-channels take from a Secret or ConfigMap is
#     there, and that each node config's `msp:` folder is where the StatefulSet projects it;
#   - that every node's TLS certificate names the address the channels' profile gives it (what
#     `weft channel create` puts in the genesis block: consenters and anchor peers);
#   - that the Job's `weft channel create` works on the folder the kubelet would project.
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
    manifests+=("$work/crypto-secrets.yaml")
    # The Job's network folder as the kubelet projects it, from the generated Secrets and ConfigMaps.
    python3 - "$HERE" "$work/crypto-secrets.yaml" "$work/crypto" "$work/network" <<'PY'
import base64, glob, os, re, subprocess, sys, yaml
here, secrets_file, crypto, network = sys.argv[1:]
objects = {(o["kind"], o["metadata"]["name"]): o for o in yaml.safe_load_all(open(secrets_file)) if o}
channels_map = yaml.safe_load(open(os.path.join(here, "configmap-channels.yaml")))
objects[("ConfigMap", channels_map["metadata"]["name"])] = channels_map
nodes = yaml.safe_load(open(os.path.join(here, "configmap-nodes.yaml")))["data"]
failures = []
def data(kind, name):
    found = objects.get((kind, name))
    if found is None:
        failures.append(f"no {kind} {name} (crypto-secrets.sh or configmap-channels.yaml)")
        return {}
    return found.get("data", {})
for path in sorted(glob.glob(os.path.join(here, "statefulset-*.yaml"))):
    spec = yaml.safe_load(open(path))["spec"]
    pods = [f"{spec['serviceName']}-{i}" for i in range(spec["replicas"])]
    volumes = {v["name"]: v for v in spec["template"]["spec"]["volumes"]}
    secret = data("Secret", volumes["identities"]["secret"]["secretName"])
    script = spec["template"]["spec"]["initContainers"][0]["args"][0]
    names = re.findall(r"for file in ([^;]*);", script)
    prefixes = re.findall(r'\$\{POD_NAME\}\.([a-z-]*)\$\{file\}', script)
    for pod in pods:
        for files, prefix in zip(names, prefixes):
            for file in files.split():
                if f"{pod}.{prefix}{file}" not in secret:
                    failures.append(f"{os.path.basename(path)}: Secret has no {pod}.{prefix}{file}")
    msp = data("ConfigMap", "weft-msp")
    for item in volumes["msp"]["configMap"]["items"]:
        if item["key"] not in msp:
            failures.append(f"{os.path.basename(path)}: ConfigMap weft-msp has no {item['key']}")
    # Each pod's node config names its organization's MSP folder: it must be where the volume puts it.
    container = spec["template"]["spec"]["containers"][0]
    mount = next(m["mountPath"] for m in container["volumeMounts"] if m["name"] == "msp")
    projected = {os.path.join(mount, item["path"]) for item in volumes["msp"]["configMap"]["items"]}
    for pod in pods:
        folder = yaml.safe_load(nodes[f"{pod}.yaml"])["msp"]
        for needed in ("msp.json", "cacerts/", "tlscacerts/", "admincerts/"):
            if not any(p == os.path.join(folder, needed) or p.startswith(os.path.join(folder, needed)) for p in projected):
                failures.append(f"{os.path.basename(path)}: {pod}'s msp {folder} has no {needed} in the msp volume")
    for probe in ("startupProbe", "readinessProbe", "livenessProbe"):
        if container[probe]["httpGet"].get("scheme") != "HTTPS":
            failures.append(f"{os.path.basename(path)}: {probe} is not HTTPS (operationsTLS is on)")
for pod, text in sorted(nodes.items()):
    if yaml.safe_load(text).get("operationsTLS") is not True:
        failures.append(f"{pod}: operationsTLS is not true")
# The Job: every projected key exists; the files land in `network` as the kubelet would write them.
job = yaml.safe_load(open(os.path.join(here, "job-channels.yaml")))
for volume in job["spec"]["template"]["spec"]["volumes"]:
    for source in volume.get("projected", {}).get("sources", []):
        kind, ref = ("Secret", source["secret"]) if "secret" in source else ("ConfigMap", source["configMap"])
        values = data(kind, ref["name"])
        for item in ref["items"]:
            if item["key"] not in values:
                failures.append(f"job-channels.yaml: {kind} {ref['name']} has no {item['key']}")
                continue
            target = os.path.join(network, item["path"])
            os.makedirs(os.path.dirname(target), exist_ok=True)
            value = values[item["key"]]
            with open(target, "wb") as out:
                out.write(base64.b64decode(value) if kind == "Secret" else value.encode())
# Every address the channels' genesis blocks carry (consenters, anchor peers: the profile's) must be
# named by that node's TLS certificate.
profile = yaml.safe_load(channels_map["data"]["profile.yaml"])
for entry in profile["orderers"] + profile["peers"]:
    name, host = entry["name"], entry["address"].rsplit(":", 1)[0]
    org = name.split(".")[1]
    kind = "ordererOrganizations" if org == "orderer" else "peerOrganizations"
    role = "orderers" if org == "orderer" else "peers"
    cert = os.path.join(crypto, kind, org, role, name, "tls", "cert.pem")
    sans = subprocess.run(["openssl", "x509", "-in", cert, "-noout", "-ext", "subjectAltName"],
                          check=True, capture_output=True, text=True).stdout
    if f"DNS:{host}" not in re.split(r"[,\s]+", sans):
        failures.append(f"profile.yaml: the TLS certificate of {name} does not name {host}")
for failure in failures:
    print(failure, file=sys.stderr)
if failures:
    sys.exit(1)
print(f"Secrets, weft-msp, MSP mounts, HTTPS probes and the {len(nodes)} node configs agree with the StatefulSets; "
      f"the Job's projected files exist; every address in the channels' profile is named by its node's TLS certificate")
PY
    # The Job's own command, on the folder the kubelet would project: the blocks build from it alone.
    for spec in $(python3 -c 'import sys, yaml; print(yaml.safe_load(open(sys.argv[1]))["data"]["channels"])' "$HERE/configmap-channels.yaml"); do
        name=${spec%%=*}; orgs=; [ "$spec" = "$name" ] || orgs=${spec#*=}
        "$weft" channel create --name "$name" ${orgs:+--orgs "$orgs"} --dir "$work/network" --out "$work/$name.block" >/dev/null
        echo "weft channel create --name $name --dir <the Job's projected folder>: $(wc -c < "$work/$name.block") bytes"
    done
else
    echo "no weft binary: skipping the generated Secrets (build with swift build, or set WEFT)" >&2
fi

# The pod template reads /etc/weft/nodes/$(POD_NAME).yaml: every pod name needs its key.
for pod in orderer-0 orderer-1 orderer-2 org1-peer-0 org1-peer-1 org2-peer-0 org2-peer-1; do
    grep -q "^  $pod.yaml: |$" "$HERE/configmap-nodes.yaml" || { echo "configmap-nodes.yaml has no $pod.yaml" >&2; exit 1; }
done

# kubectl apply -k applies every manifest here (the Job and its ConfigMap and volume too).
listed=$(python3 -c 'import sys, yaml; print("\n".join(sorted(yaml.safe_load(open(sys.argv[1]))["resources"])))' "$HERE/kustomization.yaml")
present=$(cd "$HERE" && ls *.yaml | grep -v -x -e kustomization.yaml -e crypto.yaml | sort)
[ "$listed" = "$present" ] || { echo "kustomization.yaml resources differ from the manifests here:" >&2; diff <(echo "$listed") <(echo "$present") >&2; exit 1; }
if command -v kubectl >/dev/null; then
    kubectl kustomize "$HERE" >/dev/null && echo "kubectl kustomize: $(kubectl kustomize "$HERE" | grep -c '^kind:') objects"
fi

status=0
for version in $VERSIONS; do
    if kubernetes-validate --strict --quiet -k "$version" "${manifests[@]}"; then
        echo "Kubernetes $version: ${#manifests[@]} files valid (strict)"
    else
        status=1
    fi
done
exit $status
