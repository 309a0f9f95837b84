/** deploy/pulumi/settings.ts: the stack's Pulumi config, read once and checked. */
export const SETTINGS_TS = `import * as pulumi from "@pulumi/pulumi";
import type { ScaleBounds, Topology } from "./types.ts";

/** Everything the program reads from Pulumi config (Pulumi.<stack>.yaml and the ESC environment). */
export interface Settings {
  namespace: string;
  /** Tag of the images this project builds; never "latest" (set by CI: pulumi config set imageTag <git sha>). */
  imageTag: string;
  /** Use managed PostgreSQL/Redis/NATS instead of in-cluster StatefulSets. */
  useManagedServices: boolean;
  /** Autoscaling bounds per workload name, overriding the generated ones. */
  autoscale: Record<string, ScaleBounds>;
  /** Namespace of the ingress controller allowed to reach public workloads. */
  ingressNamespace: string;
  ingressClassName: string;
  /** cert-manager ClusterIssuer for TLS certificates; no TLS block when empty. */
  clusterIssuer: string;
  /** Where workloads with external egress may connect (HTTPS, port 443). */
  egressCidrs: string[];
  /** Where managed data services live (used only with useManagedServices). */
  managedServicesCidrs: string[];
  storageClassName: string | undefined;
  /** sophia.yaml, when it is not found by walking up from this folder. */
  sophiaConfigPath: string | undefined;
}

const PRIVATE_RANGES = ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"];

export function readSettings(topology: Topology): Settings {
  const config = new pulumi.Config();
  // CI pushes images tagged with the commit SHA; GITHUB_SHA is that commit on a push to main.
  const imageTag = config.get("imageTag") ?? process.env.SOPHIA_IMAGE_TAG ?? process.env.GITHUB_SHA ?? "";
  if (imageTag === "latest" || imageTag.trim() === "") {
    throw new Error(
      "imageTag is '" + imageTag + "': deploy an immutable tag (the git commit), e.g. pulumi config set imageTag $(git rev-parse --short HEAD)",
    );
  }
  const autoscale = config.getObject<Record<string, ScaleBounds>>("autoscale") ?? {};
  for (const [name, b] of Object.entries(autoscale)) {
    if (!(b.min >= 1 && b.max >= b.min)) {
      throw new Error("autoscale." + name + ": need min >= 1 and max >= min (got " + b.min + ".." + b.max + ")");
    }
  }
  return {
    namespace: config.get("namespace") ?? topology.namespace,
    imageTag,
    useManagedServices: config.getBoolean("useManagedServices") ?? false,
    autoscale,
    ingressNamespace: config.get("ingressNamespace") ?? "ingress-nginx",
    ingressClassName: config.get("ingressClassName") ?? "nginx",
    clusterIssuer: config.get("clusterIssuer") ?? "",
    egressCidrs: config.getObject<string[]>("egressCidrs") ?? ["0.0.0.0/0"],
    managedServicesCidrs: config.getObject<string[]>("managedServicesCidrs") ?? PRIVATE_RANGES,
    storageClassName: config.get("storageClassName"),
    sophiaConfigPath: config.get("sophiaConfigPath"),
  };
}

/** The ranges excluded from "anywhere" egress, so that external egress never reaches other pods. */
export function clusterRanges(): string[] {
  return PRIVATE_RANGES;
}
`;
