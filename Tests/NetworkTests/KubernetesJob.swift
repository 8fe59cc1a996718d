import Foundation
import WeftYAML

/// The parts of a Kubernetes Job manifest the tests read (Network/k8s/job-channels.yaml): its one
/// container's script, environment and mounts, and the files its projected volumes hold.
struct KubernetesJob: Decodable {
    struct KeyReference: Decodable { var name: String; var key: String }
    struct ValueSource: Decodable { var configMapKeyRef: KeyReference? }
    struct EnvironmentVariable: Decodable { var name: String; var value: String?; var valueFrom: ValueSource? }
    struct Mount: Decodable { var name: String; var mountPath: String }
    struct Container: Decodable { var args: [String]; var env: [EnvironmentVariable]; var volumeMounts: [Mount] }
    struct Item: Decodable { var key: String; var path: String }
    struct ObjectItems: Decodable { var name: String; var items: [Item] }
    struct Source: Decodable { var configMap: ObjectItems?; var secret: ObjectItems? }
    struct Projected: Decodable { var sources: [Source] }
    struct Volume: Decodable { var name: String; var projected: Projected? }
    struct PodSpec: Decodable { var containers: [Container]; var volumes: [Volume] }
    struct Template: Decodable { var spec: PodSpec }
    struct Spec: Decodable { var template: Template }

    var kind: String
    var spec: Spec

    /// Network/k8s/job-channels.yaml of this checkout.
    static func channels(root: URL) throws -> KubernetesJob {
        try YAMLDecoder().decode(KubernetesJob.self, from: String(
            contentsOf: root.appendingPathComponent("Network/k8s/job-channels.yaml"), encoding: .utf8))
    }

    var container: Container { spec.template.spec.containers[0] }

    /// The script the container runs (`bash -c`).
    var script: String { container.args[0] }

    /// The value of an environment variable given literally.
    func environment(_ name: String) -> String? { container.env.first { $0.name == name }?.value }

    /// Each file of the projected volume `volume`: its path inside the volume and where it comes from.
    func projectedFiles(of volume: String) -> [(path: String, kind: String, object: String, key: String)] {
        let sources = spec.template.spec.volumes.first { $0.name == volume }?.projected?.sources ?? []
        return sources.flatMap { source -> [(path: String, kind: String, object: String, key: String)] in
            if let map = source.configMap { return map.items.map { ($0.path, "ConfigMap", map.name, $0.key) } }
            if let secret = source.secret { return secret.items.map { ($0.path, "Secret", secret.name, $0.key) } }
            return []
        }
    }
}
