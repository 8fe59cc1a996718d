#!/usr/bin/env python3
"""Writes the node YAML of every Weft node of the Kubernetes network as one ConfigMap.

    python3 Network/render-node-configs.py k8s > Network/k8s/configmap-nodes.yaml
    python3 Network/render-node-configs.py k8s --crypto ./crypto > configmap-nodes.yaml   # with pins

It describes the network of `weft crypto generate --orgs 2 --peers 2 --orderers 3`: orderers
orderer0.orderer … (OrdererMSP), peers peer0.org1 … (Org1MSP, Org2MSP), at their pods' stable DNS
names. Flags: --orgs, --peers, --orderers, --namespace, --batch-timeout-ms, --crypto.
Every node serves its operations endpoint over HTTPS (`operationsTLS: true`); every orderer entry
names its organization (`mspID: OrdererMSP`, the channel's orderer organization).

--crypto DIR (the --out folder of `weft crypto generate`, holding crypto.json) adds each consenter's
pins: `tlsKeySHA256` and `signingKeySHA256`, the SHA-256 of the SubjectPublicKeyInfo DER of its TLS
and signing certificate, computed with the openssl command line
(`openssl x509 -pubkey -noout | openssl pkey -pubin -outform DER | sha256sum`). The committed
configmap-nodes.yaml has no pins, because the keys are generated at deployment time; a node then
matches a consenter by MSP id and certificate common name (docs/deployment.md, "Consenter pins").
Keys are NodeConfiguration's (docs/node-config.md). The compose network needs no renderer: its
configs are written by `weft network init` (Network/compose.yaml), with pins.

--hosts FILE (the hosts file of `weft network init --hosts`, docs/deployment.md "Separate hosts")
takes the network's shape from that one description instead of --orgs/--peers/--orderers: its
orderers `ordererN.orderer` and peers `peerN.orgK`. In Kubernetes a node's address is its pod's
DNS name, so the file's hosts and addresses do not apply here; the same file run on separate hosts
gives them (`weft network init --hosts`).
"""
import re
import argparse
import hashlib
import os
import shutil
import subprocess
import sys


def chaincodes(orgs):
    """The chaincodes built into weft: asset-transfer and evm need a peer of every organization;
    smallbank a majority of them."""
    every = ", ".join(f"'Org{org[3:]}.peer'" for org in orgs)
    all_orgs = f"AND({every})" if len(orgs) > 1 else every
    return [("asset-transfer", all_orgs), ("smallbank", "MAJORITY peer"), ("evm", all_orgs)]


class Network:
    def __init__(self, orgs, peers, orderers):
        self.orgs = [f"org{o}" for o in range(1, orgs + 1)]
        self.peers_per_org = peers
        self.orderers = orderers

    def orderer_names(self):
        return [f"orderer{i}.orderer" for i in range(self.orderers)]

    def peer_names(self, org):
        return [f"peer{p}.{org}" for p in range(self.peers_per_org)]


def msp_id(org):
    return "OrdererMSP" if org == "orderer" else f"Org{org[3:]}MSP"


class KubernetesLayout:
    """Pods orderer-N and orgK-peer-N behind headless Services; crypto from Secrets and a ConfigMap."""

    def __init__(self, namespace):
        self.namespace = namespace

    def pod(self, node):
        host, org = node.split(".")
        if org == "orderer":
            return f"orderer-{host[len('orderer'):]}"
        return f"{org}-peer-{host[len('peer'):]}"

    def service(self, node):
        org = node.split(".")[1]
        return "orderer" if org == "orderer" else f"{org}-peer"

    def address(self, node):
        port = 7050 if node.endswith(".orderer") else 7051
        return f"{self.pod(node)}.{self.service(node)}.{self.namespace}.svc.cluster.local:{port}"

    def listen(self, node):
        return "0.0.0.0:7050" if node.endswith(".orderer") else "0.0.0.0:7051"

    def operations(self, node):
        return "0.0.0.0:8443" if node.endswith(".orderer") else "0.0.0.0:9443"

    def identity(self, node):
        return "/var/run/weft/identity"

    def msp(self, org):
        return f"/etc/weft/msp/{org}"

    def data_dir(self, node):
        return "/var/lib/weft"


def public_key_sha256(certificate):
    """SHA-256 (hex) of the SubjectPublicKeyInfo DER of a PEM certificate, as the node computes a pin."""
    if not os.path.isfile(certificate):
        sys.exit(f"render-node-configs.py: missing {certificate} (generate with weft crypto generate --orgs 2 --peers 2 --orderers 3)")
    try:
        public_key = subprocess.run(["openssl", "x509", "-in", certificate, "-pubkey", "-noout"],
                                    check=True, capture_output=True).stdout
        der = subprocess.run(["openssl", "pkey", "-pubin", "-outform", "DER"], input=public_key,
                             check=True, capture_output=True).stdout
    except subprocess.CalledProcessError as error:
        sys.exit(f"render-node-configs.py: openssl failed on {certificate}: {error.stderr.decode(errors='replace').strip()}")
    return hashlib.sha256(der).hexdigest()


def consenter_pins(crypto, network):
    """{orderer name: (tlsKeySHA256, signingKeySHA256)} from a `weft crypto generate --out` folder."""
    if not os.path.isfile(os.path.join(crypto, "crypto.json")):
        sys.exit(f"render-node-configs.py: {crypto}/crypto.json not found: --crypto takes the --out folder of weft crypto generate")
    if shutil.which("openssl") is None:
        sys.exit("render-node-configs.py: --crypto needs the openssl command line (apt-get install openssl)")
    pins = {}
    for name in network.orderer_names():
        folder = os.path.join(crypto, "ordererOrganizations", "orderer", "orderers", name)
        pins[name] = (public_key_sha256(os.path.join(folder, "tls", "cert.pem")),
                      public_key_sha256(os.path.join(folder, "cert.pem")))
    return pins


def channel_yaml(network, layout, batch_timeout, indent, pins=None):
    pad = " " * indent
    lines = ["channel:", "  id: weft", "  organizations:"]
    lines += [f"    - {layout.msp(org)}" for org in ["orderer"] + network.orgs]
    lines.append("  orderers:")
    for raft_id, name in enumerate(network.orderer_names(), start=1):
        entry = f"name: {name}, address: {layout.address(name)}, raftID: {raft_id}, mspID: {msp_id('orderer')}"
        if pins:
            tls_key, signing_key = pins[name]
            entry += f", tlsKeySHA256: {tls_key}, signingKeySHA256: {signing_key}"
        lines.append(f"    - {{{entry}}}")
    lines.append("  peers:")
    for org in network.orgs:
        for name in network.peer_names(org):
            lines.append(f"    - {{name: {name}, address: {layout.address(name)}, mspID: {msp_id(org)}}}")
    lines.append("  chaincodes:")
    for name, policy in chaincodes(network.orgs):
        lines.append(f"    - {{name: {name}, policy: \"{policy}\"}}")
    lines += ["  batch:", "    maxTxCount: 500", "    preferredMaxBytes: 2097152", "    absoluteMaxBytes: 10485760",
              f"    timeoutMilliseconds: {batch_timeout}"]
    return "\n".join(pad + line for line in lines)


def node_yaml(network, layout, node, batch_timeout, indent=0, pins=None):
    pad = " " * indent
    org = node.split(".")[1]
    role = "orderer" if org == "orderer" else "peer"
    head = [
        f"# {node}: generated by Network/render-node-configs.py; edit the script, not this file.",
        f"role: {role}",
        f"name: {node}",
        f"mspID: {msp_id(org)}",
        f"identity: {layout.identity(node)}",
        f"listen: {layout.listen(node)}",
        f"operations: {layout.operations(node)}",
        "operationsTLS: true",
        f"dataDir: {layout.data_dir(node)}",
        "logLevel: info",
    ]
    return "\n".join(pad + line for line in head) + "\n" + channel_yaml(network, layout, batch_timeout, indent, pins) + "\n"


def all_nodes(network):
    return network.orderer_names() + [p for org in network.orgs for p in network.peer_names(org)]


def render_k8s(network, args):
    layout = KubernetesLayout(args.namespace)
    pins = consenter_pins(args.crypto, network) if args.crypto else None
    out = [
        "# Node YAML of every Weft node, one key per pod (the pod reads /etc/weft/nodes/$(POD_NAME).yaml).",
        "# Generated by: python3 Network/render-node-configs.py k8s > Network/k8s/configmap-nodes.yaml",
    ]
    if pins:
        out.append(f"# Consenters pinned to the keys of {args.crypto} (--crypto): render again after new keys.")
    else:
        out.append("# No consenter pins (keys are made at deployment): render with --crypto DIR to add them.")
    out += [
        "apiVersion: v1",
        "kind: ConfigMap",
        "metadata:",
        "  name: weft-nodes",
        f"  namespace: {args.namespace}",
        "  labels:",
        "    app.kubernetes.io/part-of: weft",
        "data:",
    ]
    for node in all_nodes(network):
        out.append(f"  {layout.pod(node)}.yaml: |")
        out.append(node_yaml(network, layout, node, args.batch_timeout_ms, indent=4, pins=pins).rstrip("\n"))
    sys.stdout.write("\n".join(out) + "\n")


def shape_from_hosts(path):
    """(orgs, peers per organization, orderers) of a hosts file; exits with the reason when the file
    names a node weft would not, leaves a gap, or gives organizations different peer counts (one
    StatefulSet shape per organization)."""
    try:
        text = open(path, encoding="utf-8").read()
    except OSError as error:
        sys.exit(f"render-node-configs.py: cannot read the hosts file {path}: {error.strerror}")
    names = []
    for number, line in enumerate(text.splitlines(), start=1):
        line = line.split("#", 1)[0].rstrip()
        if not line.strip() or line.startswith((" ", "\t")):
            continue  # blank, comment, or a block-style field of the node above
        match = re.match(r"^([A-Za-z0-9.\-]+):", line)
        if not match:
            sys.exit(f"render-node-configs.py: {path}:{number}: expected 'node: {{host: NAME, address: ADDRESS}}'")
        names.append(match.group(1))
    orderers, peers = [], {}
    for name in names:
        if m := re.fullmatch(r"orderer(0|[1-9][0-9]*)\.orderer", name):
            orderers.append(int(m.group(1)))
        elif m := re.fullmatch(r"peer(0|[1-9][0-9]*)\.org([1-9][0-9]*)", name):
            peers.setdefault(int(m.group(2)), []).append(int(m.group(1)))
        else:
            sys.exit(f"render-node-configs.py: {path}: unknown node '{name}'; name nodes orderer0.orderer …, peer0.org1 …")
    if sorted(orderers) != list(range(len(orderers))) or not orderers:
        sys.exit(f"render-node-configs.py: {path}: orderers must be orderer0.orderer … without gaps")
    if sorted(peers) != list(range(1, len(peers) + 1)):
        sys.exit(f"render-node-configs.py: {path}: organizations must be org1 … without gaps")
    counts = {org: sorted(numbers) for org, numbers in peers.items()}
    for org, numbers in counts.items():
        if numbers != list(range(len(numbers))):
            sys.exit(f"render-node-configs.py: {path}: peers of org{org} must be peer0.org{org} … without gaps")
    if len({len(numbers) for numbers in counts.values()}) != 1:
        sys.exit(f"render-node-configs.py: {path}: every organization needs the same number of peers here (one StatefulSet shape)")
    return len(peers), len(counts[1]), len(orderers)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("target", choices=["k8s"])
    parser.add_argument("--orgs", type=int, default=2)
    parser.add_argument("--peers", type=int, default=2)
    parser.add_argument("--orderers", type=int, default=3)
    parser.add_argument("--namespace", default="weft")
    parser.add_argument("--batch-timeout-ms", type=int, default=250)
    parser.add_argument("--hosts", metavar="FILE",
                        help="hosts file of weft network init --hosts: the network's shape (overrides --orgs, --peers, --orderers)")
    parser.add_argument("--crypto", metavar="DIR",
                        help="weft crypto generate --out folder: pin every consenter's TLS and signing keys")
    args = parser.parse_args()
    if args.hosts:
        args.orgs, args.peers, args.orderers = shape_from_hosts(args.hosts)
    if not (1 <= args.orgs <= 9 and 1 <= args.peers <= 9 and 1 <= args.orderers <= 9):
        parser.error("--orgs, --peers and --orderers must be 1-9 (ports and names assume one digit)")
    network = Network(args.orgs, args.peers, args.orderers)
    render_k8s(network, args)


if __name__ == "__main__":
    main()
