/** deploy/pulumi/ingress.ts and index.ts: routes from the ingress controller, and the program's entry. */
export const INGRESS_TS = `import * as k8s from "@pulumi/kubernetes";
import type { Topology } from "./types.ts";
import { type Context, labelsOf } from "./workloads.ts";

/** One Ingress for the public workloads; TLS through cert-manager when a ClusterIssuer is configured. */
export function ingress(topology: Topology, ctx: Context): k8s.networking.v1.Ingress | undefined {
  const routed = topology.workloads.filter((w) => w.host !== undefined);
  if (routed.length === 0) return undefined;
  const issuer = ctx.settings.clusterIssuer;
  const hosts = routed.map((w) => w.host ?? "");
  return new k8s.networking.v1.Ingress(topology.project, {
    metadata: {
      name: topology.project,
      namespace: ctx.namespace,
      labels: labelsOf(ctx.project, "ingress"),
      annotations: issuer === "" ? undefined : { "cert-manager.io/cluster-issuer": issuer },
    },
    spec: {
      ingressClassName: ctx.settings.ingressClassName,
      tls: issuer === "" ? undefined : [{ hosts, secretName: topology.project + "-tls" }],
      rules: routed.map((w) => ({
        host: w.host,
        http: {
          paths: [{ path: "/", pathType: "Prefix", backend: { service: { name: w.name, port: { number: w.port } } } }],
        },
      })),
    },
  });
}
`;

export const INDEX_TS = `import * as k8s from "@pulumi/kubernetes";
import { configMap, findConfigFile, readConfigFile } from "./config-file.ts";
import { appSecret, readConnections, secretData } from "./connections.ts";
import { deployDataServices } from "./data.ts";
import { ingress } from "./ingress.ts";
import { allows, baseline } from "./network.ts";
import { serviceAccount } from "./security.ts";
import { readSettings } from "./settings.ts";
import { topology } from "./topology.ts";
import { type Context, deployWorkload, labelsOf } from "./workloads.ts";

const settings = readSettings(topology);
const connections = readConnections(settings);
const labels = labelsOf(topology.project, topology.project);

const ns = new k8s.core.v1.Namespace(settings.namespace, {
  metadata: {
    name: settings.namespace,
    labels: { ...labels, "pod-security.kubernetes.io/enforce": "restricted" },
  },
});
const namespace = ns.metadata.name;

const secret = appSecret(topology.project + "-secrets", namespace, labels, secretData(topology, connections));
const account = serviceAccount(topology.project, namespace, labels);
const configFile = readConfigFile(findConfigFile(topology.source, settings.sophiaConfigPath));
const config = configMap(topology.project + "-config", namespace, labels, configFile);

const ctx: Context = {
  project: topology.project,
  namespace,
  settings,
  connections,
  secretName: topology.project + "-secrets",
  serviceAccountName: topology.project,
  configMapName: topology.project + "-config",
  configChecksum: configFile.checksum,
  dependsOn: [secret, account, config],
};

baseline(ctx);
allows(topology, ctx);
const data = settings.useManagedServices ? [] : deployDataServices(topology, ctx);
const deployments = topology.workloads.map((w) => deployWorkload(w, { ...ctx, dependsOn: [...ctx.dependsOn, ...data] }));
const routes = ingress(topology, ctx);

export const namespaceName = namespace;
export const workloads = deployments.map((d) => d.metadata.name);
export const hosts = routes === undefined ? [] : topology.workloads.flatMap((w) => (w.host === undefined ? [] : [w.host]));
`;
