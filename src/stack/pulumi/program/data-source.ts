/** deploy/pulumi/data.ts: in-cluster PostgreSQL, Redis and NATS, used when useManagedServices is false. */
export const DATA_TS = `import * as k8s from "@pulumi/kubernetes";
import { containerSecurityContext, podSecurityContext, writableVolumes } from "./security.ts";
import type { DataServiceName, Topology } from "./types.ts";
import { type Context, labelsOf, selectorOf } from "./workloads.ts";

type Probe = k8s.types.input.core.v1.Probe;
type EnvVar = k8s.types.input.core.v1.EnvVar;

interface DataService {
  name: DataServiceName;
  image: string;
  port: number;
  runAsUser: number;
  args: string[];
  env: EnvVar[];
  dataPath: string;
  writable: string[];
  probe: Probe;
  storage: string;
}

export const DATA_PORTS: Record<DataServiceName, number> = { postgres: 5432, redis: 6379, nats: 4222 };

function secretEnv(ctx: Context, name: string, key: string): EnvVar {
  return { name, valueFrom: { secretKeyRef: { name: ctx.secretName, key } } };
}

function definition(name: DataServiceName, topology: Topology, ctx: Context): DataService {
  const pg = ctx.connections.postgres;
  if (name === "postgres") {
    return {
      name, image: topology.dataImages.postgres, port: 5432, runAsUser: 999, storage: "10Gi",
      // Change data capture needs logical decoding.
      args: ["-c", "wal_level=logical", "-c", "max_replication_slots=10", "-c", "max_wal_senders=10"],
      env: [
        { name: "POSTGRES_USER", value: pg.user },
        { name: "POSTGRES_DB", value: pg.database },
        { name: "PGDATA", value: "/var/lib/postgresql/data/pgdata" },
        secretEnv(ctx, "POSTGRES_PASSWORD", "POSTGRES_PASSWORD"),
      ],
      dataPath: "/var/lib/postgresql/data",
      writable: ["/var/run/postgresql"],
      probe: { exec: { command: ["pg_isready", "-U", pg.user, "-d", pg.database, "-h", "127.0.0.1"] } },
    };
  }
  if (name === "redis") {
    return {
      name, image: topology.dataImages.redis, port: 6379, runAsUser: 999, storage: "2Gi",
      args: ["sh", "-c", "exec redis-server --requirepass \\"$REDISCLI_AUTH\\" --appendonly yes --dir /data"],
      // redis-cli reads the password from REDISCLI_AUTH, so the probe needs no shell.
      env: [secretEnv(ctx, "REDISCLI_AUTH", "REDIS_PASSWORD")],
      dataPath: "/data",
      writable: [],
      probe: { exec: { command: ["redis-cli", "ping"] } },
    };
  }
  return {
    name, image: topology.dataImages.nats, port: 4222, runAsUser: 10001, storage: "5Gi",
    args: ["-js", "-sd", "/data", "-m", "8222"],
    env: [],
    dataPath: "/data",
    writable: [],
    probe: { httpGet: { path: "/healthz", port: 8222 } },
  };
}

function statefulSet(s: DataService, ctx: Context): k8s.apps.v1.StatefulSet {
  const labels = labelsOf(ctx.project, s.name);
  const writable = writableVolumes(s.writable);
  return new k8s.apps.v1.StatefulSet(s.name, {
    metadata: { name: s.name, namespace: ctx.namespace, labels },
    spec: {
      serviceName: s.name,
      replicas: 1,
      selector: { matchLabels: selectorOf(ctx.project, s.name) },
      template: {
        metadata: { labels },
        spec: {
          serviceAccountName: ctx.serviceAccountName,
          automountServiceAccountToken: false,
          securityContext: podSecurityContext(s.runAsUser),
          containers: [{
            name: s.name,
            image: s.image,
            args: s.args,
            env: s.env,
            ports: [{ name: "tcp", containerPort: s.port }],
            resources: { requests: { cpu: "250m", memory: "256Mi" }, limits: { cpu: "1", memory: "1Gi" } },
            readinessProbe: { ...s.probe, periodSeconds: 5 },
            livenessProbe: { ...s.probe, initialDelaySeconds: 20, periodSeconds: 10 },
            securityContext: containerSecurityContext(s.runAsUser),
            volumeMounts: [{ name: "data", mountPath: s.dataPath }, ...writable.mounts],
          }],
          volumes: writable.volumes,
        },
      },
      volumeClaimTemplates: [{
        metadata: { name: "data" },
        spec: {
          accessModes: ["ReadWriteOnce"],
          storageClassName: ctx.settings.storageClassName,
          resources: { requests: { storage: s.storage } },
        },
      }],
    },
  }, { dependsOn: ctx.dependsOn });
}

function dataService(s: DataService, ctx: Context): k8s.core.v1.Service {
  return new k8s.core.v1.Service(s.name, {
    metadata: { name: s.name, namespace: ctx.namespace, labels: labelsOf(ctx.project, s.name) },
    spec: {
      type: "ClusterIP",
      selector: selectorOf(ctx.project, s.name),
      ports: [{ name: "tcp", port: s.port, targetPort: "tcp", protocol: "TCP" }],
    },
  });
}

/** One StatefulSet and Service per data service the configuration needs. */
export function deployDataServices(topology: Topology, ctx: Context): k8s.apps.v1.StatefulSet[] {
  return topology.dataServices.map((name) => {
    const s = definition(name, topology, ctx);
    dataService(s, ctx);
    return statefulSet(s, ctx);
  });
}
`;
