/**
 * n8n in queue mode: a main instance (UI, triggers, webhooks) puts executions
 * on a Redis queue; workers run them, each with an external task-runner
 * sidecar for Code nodes. All share one encryption key and one database.
 */
import { IMAGES, n8nRunnersImage } from "../images.ts";
import type { StackModel } from "../model.ts";
import {
  dependsOnHealthy,
  hardened,
  healthcheck,
  type Service,
  secretEnv,
  wgetProbe,
} from "./compose-common.ts";
import { PG_USER } from "./compose-data.ts";

const N8N_SECRETS = [
  "postgres_password",
  "redis_password",
  "n8n_encryption_key",
  "n8n_runners_auth_token",
];

function n8nEnvironment(): Record<string, string> {
  const files = secretEnv(N8N_SECRETS).environment;
  return {
    DB_TYPE: "postgresdb",
    DB_POSTGRESDB_HOST: "postgres",
    DB_POSTGRESDB_DATABASE: "n8n",
    DB_POSTGRESDB_USER: PG_USER,
    DB_POSTGRESDB_PASSWORD_FILE: files.POSTGRES_PASSWORD_FILE!,
    EXECUTIONS_MODE: "queue",
    QUEUE_BULL_REDIS_HOST: "redis",
    QUEUE_BULL_REDIS_PASSWORD_FILE: files.REDIS_PASSWORD_FILE!,
    QUEUE_HEALTH_CHECK_ACTIVE: "true",
    N8N_ENCRYPTION_KEY_FILE: files.N8N_ENCRYPTION_KEY_FILE!,
    N8N_RUNNERS_ENABLED: "true",
    N8N_RUNNERS_MODE: "external",
    N8N_RUNNERS_AUTH_TOKEN_FILE: files.N8N_RUNNERS_AUTH_TOKEN_FILE!,
    N8N_RUNNERS_BROKER_LISTEN_ADDRESS: "0.0.0.0",
    OFFLOAD_MANUAL_EXECUTIONS_TO_WORKERS: "true",
    N8N_DIAGNOSTICS_ENABLED: "false",
    N8N_USER_FOLDER: "/home/node",
  };
}

function n8nBase(model: StackModel): Service {
  return {
    image: model.n8n.image,
    environment: n8nEnvironment(),
    secrets: N8N_SECRETS,
    healthcheck: healthcheck(wgetProbe("http://127.0.0.1:5678/healthz"), "60s"),
    ...hardened({ memory: "1g", pids: 512 }, { tmpfs: ["/tmp"] }),
  };
}

export function n8nMainService(model: StackModel): Service {
  const base = n8nBase(model);
  return {
    ...base,
    environment: {
      ...(base.environment as object),
      N8N_HOST: `n8n.${model.domain}`,
      N8N_PROXY_HOPS: "1",
    },
    volumes: ["n8n-data:/home/node/.n8n"],
    networks: ["internal", "data", "egress"],
    depends_on: dependsOnHealthy(["postgres", "redis"]),
  };
}

export function workerName(index: number): string {
  return `n8n-worker-${index}`;
}

export function n8nWorkerService(model: StackModel): Service {
  return {
    ...n8nBase(model),
    command: ["worker"],
    networks: ["internal", "data", "egress"],
    // The main instance runs the database migrations; workers start after it.
    depends_on: dependsOnHealthy(["n8n", "postgres", "redis"]),
  };
}

/** One runner per worker: a runner connects to exactly one task broker. */
export function n8nRunnerService(model: StackModel, index: number): Service {
  const version = model.n8n.image.split(":").at(-1) ?? IMAGES.n8nVersion;
  const secret = secretEnv(["n8n_runners_auth_token"]);
  return {
    image: n8nRunnersImage(version),
    environment: {
      N8N_RUNNERS_TASK_BROKER_URI: `http://${workerName(index)}:5679`,
      N8N_RUNNERS_AUTO_SHUTDOWN_TIMEOUT: "15",
      ...secret.environment,
    },
    secrets: secret.secrets,
    networks: ["internal"],
    depends_on: dependsOnHealthy([workerName(index)]),
    healthcheck: healthcheck(wgetProbe("http://127.0.0.1:5680/healthz")),
    ...hardened({ memory: "512m", pids: 256 }, { tmpfs: ["/tmp"] }),
  };
}
