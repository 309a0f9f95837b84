/** deploy/pulumi/workloads.ts: Deployment, Service, HPA and PDB of each stateless workload. */
export const WORKLOADS_TS = `import * as k8s from "@pulumi/kubernetes";
import type * as pulumi from "@pulumi/pulumi";
import { type Connections, connectionEnv } from "./connections.ts";
import { containerSecurityContext, podSecurityContext, writableVolumes } from "./security.ts";
import type { Settings } from "./settings.ts";
import type { ScaleBounds, Workload } from "./types.ts";

/** What every workload shares: where it goes and which Secret and service account it uses. */
export interface Context {
  project: string;
  namespace: pulumi.Output<string>;
  settings: Settings;
  connections: Connections;
  secretName: string;
  serviceAccountName: string;
  configMapName: string;
  configChecksum: string;
  dependsOn: pulumi.Resource[];
}

export function labelsOf(project: string, name: string): Record<string, string> {
  return {
    "app.kubernetes.io/name": name,
    "app.kubernetes.io/part-of": project,
    "app.kubernetes.io/managed-by": "pulumi",
  };
}

/** The labels a selector matches: stable across releases (selectors are immutable). */
export function selectorOf(project: string, name: string): Record<string, string> {
  return { "app.kubernetes.io/name": name, "app.kubernetes.io/part-of": project };
}

/** Autoscaling bounds: the config override, else the generated ones, else none. */
export function boundsOf(w: Workload, ctx: Context): ScaleBounds | undefined {
  return ctx.settings.autoscale[w.name] ?? w.autoscale;
}

function imageOf(w: Workload, settings: Settings): string {
  return w.tagFromConfig ? w.image + ":" + settings.imageTag : w.image;
}

function container(w: Workload, ctx: Context): k8s.types.input.core.v1.Container {
  const writable = writableVolumes(w.writable);
  const env: k8s.types.input.core.v1.EnvVar[] = [
    ...Object.entries(w.env).map(([name, value]) => ({ name, value })),
    ...w.secretEnv.map((key) => ({ name: key, valueFrom: { secretKeyRef: { name: ctx.secretName, key } } })),
    ...connectionEnv(w, ctx.connections, ctx.secretName),
  ];
  return {
    name: w.name,
    image: imageOf(w, ctx.settings),
    imagePullPolicy: "IfNotPresent",
    command: w.command,
    args: w.args,
    ports: [{ name: "http", containerPort: w.port, protocol: "TCP" }],
    env,
    resources: w.resources,
    readinessProbe: { httpGet: { path: w.readiness, port: "http" }, periodSeconds: 5, failureThreshold: 3 },
    livenessProbe: { httpGet: { path: w.liveness, port: "http" }, initialDelaySeconds: 10, periodSeconds: 10, failureThreshold: 3 },
    startupProbe: { httpGet: { path: w.liveness, port: "http" }, periodSeconds: 2, failureThreshold: 60 },
    securityContext: containerSecurityContext(w.runAsUser),
    volumeMounts: [
      ...writable.mounts,
      ...(w.configPath === undefined ? [] : [{ name: "sophia-config", mountPath: w.configPath, subPath: "sophia.yaml", readOnly: true }]),
    ],
  };
}

function volumes(w: Workload, ctx: Context): k8s.types.input.core.v1.Volume[] {
  const config = { name: "sophia-config", configMap: { name: ctx.configMapName } };
  return [...writableVolumes(w.writable).volumes, ...(w.configPath === undefined ? [] : [config])];
}

export function deployment(w: Workload, ctx: Context): k8s.apps.v1.Deployment {
  const labels = labelsOf(ctx.project, w.name);
  return new k8s.apps.v1.Deployment(
    w.name,
    {
      metadata: { name: w.name, namespace: ctx.namespace, labels },
      spec: {
        // Left to the autoscaler when there is one, so that an update does not reset its scale.
        replicas: boundsOf(w, ctx) === undefined ? w.replicas : undefined,
        selector: { matchLabels: selectorOf(ctx.project, w.name) },
        // Zero downtime: a new pod must be ready before an old one goes.
        strategy: { type: "RollingUpdate", rollingUpdate: { maxUnavailable: 0, maxSurge: 1 } },
        template: {
          // A changed sophia.yaml changes the template, which rolls the pods (subPath mounts never update).
          metadata: { labels, annotations: w.configPath === undefined ? undefined : { "sophia.dev/config-checksum": ctx.configChecksum } },
          spec: {
            serviceAccountName: ctx.serviceAccountName,
            automountServiceAccountToken: false,
            securityContext: podSecurityContext(w.runAsUser),
            terminationGracePeriodSeconds: 45,
            containers: [container(w, ctx)],
            volumes: volumes(w, ctx),
          },
        },
      },
    },
    { dependsOn: ctx.dependsOn },
  );
}

export function service(w: Workload, ctx: Context): k8s.core.v1.Service {
  return new k8s.core.v1.Service(w.name, {
    metadata: { name: w.name, namespace: ctx.namespace, labels: labelsOf(ctx.project, w.name) },
    spec: {
      type: "ClusterIP",
      selector: selectorOf(ctx.project, w.name),
      ports: [{ name: "http", port: w.port, targetPort: "http", protocol: "TCP" }],
    },
  });
}

/** CPU-based scaling between the configured bounds; scale-down waits so bursts do not flap. */
export function autoscaler(w: Workload, bounds: ScaleBounds, ctx: Context): k8s.autoscaling.v2.HorizontalPodAutoscaler {
  return new k8s.autoscaling.v2.HorizontalPodAutoscaler(w.name, {
    metadata: { name: w.name, namespace: ctx.namespace, labels: labelsOf(ctx.project, w.name) },
    spec: {
      scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: w.name },
      minReplicas: bounds.min,
      maxReplicas: bounds.max,
      metrics: [{ type: "Resource", resource: { name: "cpu", target: { type: "Utilization", averageUtilization: 70 } } }],
      behavior: { scaleDown: { stabilizationWindowSeconds: 300 } },
    },
  });
}

/** Keeps one pod up through node drains. Only for workloads with two or more pods: with one it would block drains. */
export function disruptionBudget(w: Workload, ctx: Context): k8s.policy.v1.PodDisruptionBudget {
  return new k8s.policy.v1.PodDisruptionBudget(w.name, {
    metadata: { name: w.name, namespace: ctx.namespace, labels: labelsOf(ctx.project, w.name) },
    spec: { minAvailable: 1, selector: { matchLabels: selectorOf(ctx.project, w.name) } },
  });
}

export function deployWorkload(w: Workload, ctx: Context): k8s.apps.v1.Deployment {
  const d = deployment(w, ctx);
  service(w, ctx);
  const bounds = boundsOf(w, ctx);
  if (bounds !== undefined) autoscaler(w, bounds, ctx);
  if ((bounds?.min ?? w.replicas) >= 2) disruptionBudget(w, ctx);
  return d;
}
`;
