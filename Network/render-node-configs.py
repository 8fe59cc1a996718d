#!/usr/bin/env python3
"""Writes the node YAML of every Weft node of a network, for Kubernetes or for compose.

    python3 Network/render-node-configs.py k8s       > Network/k8s/configmap-nodes.yaml
    python3 Network/render-node-configs.py compose   # writes Network/compose/nodes/*.yaml and profile.yaml

Both describe the same network as `weft crypto generate --orgs 2 --peers 2 --orderers 3`: orderers
orderer0.orderer … (OrdererMSP), peers peer0.org1 … (Org1MSP, Org2MSP). Only addresses and paths
differ. Flags: --orgs, --peers, --orderers, --namespace (k8s), --batch-timeout.
Keys follow the node contract in docs/deployment.md.
"""
import argparse
import os
import sys


def chaincodes(orgs):
    """asset-transfer needs a peer of every organization; smallbank a majority of them."""
    every = ", ".join(f"'Org{org[3:]}.peer'" for org in orgs)
    return [("asset-transfer", f"AND({every})" if len(orgs) > 1 else every), ("smallbank", "MAJORITY peer")]


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


class ComposeLayout:
    """Host networking on 127.0.0.1: orderers 7050/7060/…, ops 8443/8453/…; peers 7051/7061/…, ops 9443/9453/…"""

    def __init__(self, network):
        self.index = {}
        for i, name in enumerate(network.orderer_names()):
            self.index[name] = i
        peers = [p for org in network.orgs for p in network.peer_names(org)]
        for i, name in enumerate(peers):
            self.index[name] = i

    def address(self, node):
        base = 7050 if node.endswith(".orderer") else 7051
        return f"127.0.0.1:{base + 10 * self.index[node]}"

    def listen(self, node):
        return self.address(node)

    def operations(self, node):
        base = 8443 if node.endswith(".orderer") else 9443
        return f"127.0.0.1:{base + 10 * self.index[node]}"

    def identity(self, node):
        host, org = node.split(".")
        if org == "orderer":
            return f"/etc/weft/crypto/ordererOrganizations/orderer/orderers/{node}"
        return f"/etc/weft/crypto/peerOrganizations/{org}/peers/{node}"

    def msp(self, org):
        kind = "ordererOrganizations" if org == "orderer" else "peerOrganizations"
        return f"/etc/weft/crypto/{kind}/{org}/msp"

    def data_dir(self, node):
        return "/var/lib/weft"


def channel_yaml(network, layout, batch_timeout, indent):
    pad = " " * indent
    lines = ["channel:", "  id: weft", "  organizations:"]
    lines += [f"    - {layout.msp(org)}" for org in ["orderer"] + network.orgs]
    lines.append("  orderers:")
    for raft_id, name in enumerate(network.orderer_names(), start=1):
        lines.append(f"    - {{name: {name}, address: {layout.address(name)}, raftID: {raft_id}}}")
    lines.append("  peers:")
    for org in network.orgs:
        for name in network.peer_names(org):
            lines.append(f"    - {{name: {name}, address: {layout.address(name)}, mspID: {msp_id(org)}}}")
    lines.append("  chaincodes:")
    for name, policy in chaincodes(network.orgs):
        lines.append(f"    - {{name: {name}, policy: \"{policy}\"}}")
    lines += ["  batch:", "    maxTxCount: 500", "    preferredMaxBytes: 2097152", "    absoluteMaxBytes: 10485760",
              f"    batchTimeout: {batch_timeout}"]
    return "\n".join(pad + line for line in lines)


def node_yaml(network, layout, node, batch_timeout, indent=0):
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
        f"dataDir: {layout.data_dir(node)}",
        "logLevel: info",
    ]
    return "\n".join(pad + line for line in head) + "\n" + channel_yaml(network, layout, batch_timeout, indent) + "\n"


def all_nodes(network):
    return network.orderer_names() + [p for org in network.orgs for p in network.peer_names(org)]


def render_k8s(network, args):
    layout = KubernetesLayout(args.namespace)
    out = [
        "# Node YAML of every Weft node, one key per pod (the pod reads /etc/weft/nodes/$(POD_NAME).yaml).",
        "# Generated by: python3 Network/render-node-configs.py k8s > Network/k8s/configmap-nodes.yaml",
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
        out.append(node_yaml(network, layout, node, args.batch_timeout, indent=4).rstrip("\n"))
    sys.stdout.write("\n".join(out) + "\n")


def render_compose(network, args):
    layout = ComposeLayout(network)
    folder = os.path.join(os.path.dirname(os.path.abspath(__file__)), "compose")
    os.makedirs(os.path.join(folder, "nodes"), exist_ok=True)
    for node in all_nodes(network):
        with open(os.path.join(folder, "nodes", f"{node}.yaml"), "w") as file:
            file.write(node_yaml(network, layout, node, args.batch_timeout))
    # The connection profile the client uses (--profile): the same channel description.
    with open(os.path.join(folder, "profile.yaml"), "w") as file:
        file.write("# Connection profile of the compose network; generated by Network/render-node-configs.py.\n")
        file.write(channel_yaml(network, layout, args.batch_timeout, 0) + "\n")
    print(f"wrote {len(all_nodes(network))} node configs and profile.yaml to {folder}", file=sys.stderr)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("target", choices=["k8s", "compose"])
    parser.add_argument("--orgs", type=int, default=2)
    parser.add_argument("--peers", type=int, default=2)
    parser.add_argument("--orderers", type=int, default=3)
    parser.add_argument("--namespace", default="weft")
    parser.add_argument("--batch-timeout", default="250ms")
    args = parser.parse_args()
    if not (1 <= args.orgs <= 9 and 1 <= args.peers <= 9 and 1 <= args.orderers <= 9):
        parser.error("--orgs, --peers and --orderers must be 1-9 (ports and names assume one digit)")
    network = Network(args.orgs, args.peers, args.orderers)
    if args.target == "k8s":
        render_k8s(network, args)
    else:
        render_compose(network, args)


if __name__ == "__main__":
    main()
