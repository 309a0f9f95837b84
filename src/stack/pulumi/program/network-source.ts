/** deploy/pulumi/network.ts: deny everything, then allow exactly the paths the stack uses. */
export const NETWORK_TS = `import * as k8s from "@pulumi/kubernetes";
import { DATA_PORTS } from "./data.ts";
import { clusterRanges } from "./settings.ts";
import type { DataServiceName, Topology, Workload } from "./types.ts";
import { type Context, labelsOf, selectorOf } from "./workloads.ts";

type Rule = k8s.types.input.networking.v1.NetworkPolicyIngressRule;
type EgressRule = k8s.types.input.networking.v1.NetworkPolicyEgressRule;
type Peer = k8s.types.input.networking.v1.NetworkPolicyPeer;

function policy(
  name: string,
  ctx: Context,
  podSelector: Record<string, string>,
  ingress: Rule[] | undefined,
  egress: EgressRule[] | undefined,
): k8s.networking.v1.NetworkPolicy {
  const policyTypes = [...(ingress ? ["Ingress"] : []), ...(egress ? ["Egress"] : [])];
  return new k8s.networking.v1.NetworkPolicy(name, {
    metadata: { name, namespace: ctx.namespace, labels: labelsOf(ctx.project, "network") },
    spec: { podSelector: { matchLabels: podSelector }, policyTypes, ingress, egress },
  });
}

function pods(ctx: Context, name: string): Peer {
  return { podSelector: { matchLabels: selectorOf(ctx.project, name) } };
}

function tcp(port: number): { protocol: string; port: number }[] {
  return [{ protocol: "TCP", port }];
}

/** Default deny for every pod in the namespace, and DNS to the cluster resolver. */
export function baseline(ctx: Context): void {
  policy("default-deny-all", ctx, {}, [], []);
  policy("allow-dns", ctx, {}, undefined, [{
    to: [{
      namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "kube-system" } },
      podSelector: { matchLabels: { "k8s-app": "kube-dns" } },
    }],
    ports: [{ protocol: "UDP", port: 53 }, { protocol: "TCP", port: 53 }],
  }]);
}

function dataEgress(service: DataServiceName, ctx: Context): EgressRule {
  const port = DATA_PORTS[service];
  if (ctx.settings.useManagedServices) {
    return { to: ctx.settings.managedServicesCidrs.map((cidr) => ({ ipBlock: { cidr } })), ports: tcp(port) };
  }
  return { to: [pods(ctx, service)], ports: tcp(port) };
}

function workloadIngress(w: Workload, topology: Topology, ctx: Context): Rule[] {
  const rules: Rule[] = [];
  if (w.host !== undefined) {
    const controller = { namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": ctx.settings.ingressNamespace } } };
    rules.push({ from: [controller], ports: tcp(w.port) });
  }
  const callers = topology.workloads.filter((other) => other.calls.includes(w.name));
  if (callers.length > 0) rules.push({ from: callers.map((c) => pods(ctx, c.name)), ports: tcp(w.port) });
  return rules;
}

function workloadEgress(w: Workload, topology: Topology, ctx: Context): EgressRule[] {
  const rules: EgressRule[] = w.connects.map((service) => dataEgress(service, ctx));
  for (const name of w.calls) {
    const target = topology.workloads.find((other) => other.name === name);
    if (target !== undefined) rules.push({ to: [pods(ctx, name)], ports: tcp(target.port) });
  }
  if (w.externalEgress) {
    // Anywhere outside the cluster on HTTPS; private ranges stay closed so pods cannot be reached around these rules.
    const to = ctx.settings.egressCidrs.map((cidr) => ({ ipBlock: { cidr, except: cidr === "0.0.0.0/0" ? clusterRanges() : undefined } }));
    rules.push({ to, ports: tcp(443) });
  }
  return rules;
}

/** Explicit allows: ingress controller to public workloads, callers to callees, clients to data services. */
export function allows(topology: Topology, ctx: Context): void {
  for (const w of topology.workloads) {
    policy("allow-" + w.name, ctx, selectorOf(ctx.project, w.name), workloadIngress(w, topology, ctx), workloadEgress(w, topology, ctx));
  }
  if (ctx.settings.useManagedServices) return;
  for (const service of topology.dataServices) {
    const clients = topology.workloads.filter((w) => w.connects.includes(service));
    const ingress: Rule[] = clients.length === 0 ? [] : [{ from: clients.map((c) => pods(ctx, c.name)), ports: tcp(DATA_PORTS[service]) }];
    policy("allow-" + service, ctx, selectorOf(ctx.project, service), ingress, undefined);
  }
}
`;
