/** deploy/pulumi/connections.ts: data service addresses and the application Secret. */
export const CONNECTIONS_TS = `import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { Settings } from "./settings.ts";
import type { DataServiceName, Topology, Workload } from "./types.ts";

/** Where the data services are: in-cluster StatefulSets, or managed services named in config. */
export interface Connections {
  postgres: { host: string; port: number; user: string; database: string; ssl: boolean };
  redis: { host: string; port: number; tls: boolean };
  natsUrl: string;
}

type EnvVar = k8s.types.input.core.v1.EnvVar;

export function readConnections(settings: Settings): Connections {
  const config = new pulumi.Config();
  const managed = settings.useManagedServices;
  const pick = (key: string, inCluster: string): string => (managed ? config.require(key) : inCluster);
  return {
    postgres: {
      host: pick("postgresHost", "postgres"),
      port: config.getNumber("postgresPort") ?? 5432,
      user: config.get("postgresUser") ?? "sophia",
      database: config.get("postgresDatabase") ?? "sophia",
      ssl: config.getBoolean("postgresSsl") ?? managed,
    },
    redis: {
      host: pick("redisHost", "redis"),
      port: config.getNumber("redisPort") ?? 6379,
      tls: config.getBoolean("redisTls") ?? managed,
    },
    natsUrl: pick("natsUrl", "nats://nats:4222"),
  };
}

/** Secret values: the ESC secrets, plus connection URLs built from them. */
export function secretData(topology: Topology, c: Connections): Record<string, pulumi.Output<string>> {
  const config = new pulumi.Config();
  const data: Record<string, pulumi.Output<string>> = {};
  for (const [env, key] of Object.entries(topology.secrets)) data[env] = config.requireSecret(key);
  const uses = (name: DataServiceName): boolean => topology.dataServices.includes(name);
  const pgPassword = data.POSTGRES_PASSWORD;
  if (uses("postgres") && pgPassword !== undefined) {
    const p = c.postgres;
    data.DATABASE_URL = pgPassword.apply(
      (pw) => "postgres://" + encodeURIComponent(p.user) + ":" + encodeURIComponent(pw) + "@" + p.host + ":" + p.port + "/" + p.database + (p.ssl ? "?sslmode=require" : ""),
    );
  }
  const redisPassword = data.REDIS_PASSWORD;
  if (uses("redis") && redisPassword !== undefined) {
    const r = c.redis;
    data.REDIS_URL = redisPassword.apply(
      (pw) => (r.tls ? "rediss://" : "redis://") + ":" + encodeURIComponent(pw) + "@" + r.host + ":" + r.port,
    );
  }
  if (uses("nats")) data.NATS_URL = pulumi.secret(c.natsUrl);
  return data;
}

export function appSecret(
  name: string,
  namespace: pulumi.Input<string>,
  labels: Record<string, string>,
  data: Record<string, pulumi.Output<string>>,
): k8s.core.v1.Secret {
  return new k8s.core.v1.Secret(name, {
    metadata: { name, namespace, labels },
    type: "Opaque",
    stringData: data,
  });
}

function fromSecret(secretName: string, env: string, key: string = env): EnvVar {
  return { name: env, valueFrom: { secretKeyRef: { name: secretName, key } } };
}

const URL_KEYS: Record<DataServiceName, string> = {
  postgres: "DATABASE_URL",
  redis: "REDIS_URL",
  nats: "NATS_URL",
};

/** Environment variables a workload needs to reach its data services. */
export function connectionEnv(w: Workload, c: Connections, secretName: string): EnvVar[] {
  if (w.name.startsWith("n8n")) return n8nEnv(w, c, secretName);
  return w.connects.map((service) => fromSecret(secretName, URL_KEYS[service]));
}

// n8n takes host, port and password apart instead of URLs.
function n8nEnv(w: Workload, c: Connections, secretName: string): EnvVar[] {
  const env: EnvVar[] = [];
  if (w.connects.includes("postgres")) {
    env.push(
      { name: "DB_TYPE", value: "postgresdb" },
      { name: "DB_POSTGRESDB_HOST", value: c.postgres.host },
      { name: "DB_POSTGRESDB_PORT", value: String(c.postgres.port) },
      { name: "DB_POSTGRESDB_USER", value: c.postgres.user },
      { name: "DB_POSTGRESDB_DATABASE", value: c.postgres.database },
      { name: "DB_POSTGRESDB_SSL_ENABLED", value: String(c.postgres.ssl) },
      fromSecret(secretName, "DB_POSTGRESDB_PASSWORD", "POSTGRES_PASSWORD"),
    );
  }
  if (w.connects.includes("redis")) {
    env.push(
      { name: "QUEUE_BULL_REDIS_HOST", value: c.redis.host },
      { name: "QUEUE_BULL_REDIS_PORT", value: String(c.redis.port) },
      { name: "QUEUE_BULL_REDIS_TLS", value: String(c.redis.tls) },
      fromSecret(secretName, "QUEUE_BULL_REDIS_PASSWORD", "REDIS_PASSWORD"),
    );
  }
  return env;
}
`;
