/** Compose services for the data stores: PostgreSQL (with pgvector), Redis, NATS JetStream. */
import { IMAGES } from "../images.ts";
import type { StackModel } from "../model.ts";
import { hardened, healthcheck, type Service, wgetProbe } from "./compose-common.ts";

export const PG_USER = "sophia";
export const PG_DATABASE = "sophia";

/** Entrypoints of these images start as root, fix volume ownership, then drop to their user. */
const DROP_TO_USER = ["CHOWN", "DAC_OVERRIDE", "FOWNER", "SETGID", "SETUID"];

export function postgresService(model: StackModel): Service {
  return {
    image: IMAGES.postgres,
    // Logical replication for flows; slots and senders sized for a handful of flows.
    command: [
      "postgres",
      "-c",
      "wal_level=logical",
      "-c",
      "max_replication_slots=16",
      "-c",
      "max_wal_senders=16",
    ],
    environment: {
      POSTGRES_USER: PG_USER,
      POSTGRES_DB: PG_DATABASE,
      POSTGRES_PASSWORD_FILE: "/run/secrets/postgres_password",
    },
    secrets: ["postgres_password"],
    ...(model.n8n.enabled
      ? { configs: [{ source: "postgres_init", target: "/docker-entrypoint-initdb.d/10-n8n.sql" }] }
      : {}),
    volumes: ["postgres-data:/var/lib/postgresql/data"],
    shm_size: "128mb",
    networks: ["data"],
    healthcheck: healthcheck(["CMD", "pg_isready", "-U", PG_USER, "-d", PG_DATABASE]),
    ...hardened(
      { memory: "1g", pids: 512 },
      { tmpfs: ["/tmp", "/var/run/postgresql"], capAdd: DROP_TO_USER },
    ),
  };
}

export function redisService(): Service {
  // The password goes into a config file on tmpfs, not onto the command line.
  const start =
    "umask 077; printf 'requirepass %s\\n' \"$$(cat /run/secrets/redis_password)\" > /tmp/redis.conf" +
    " && chown redis /tmp/redis.conf && exec docker-entrypoint.sh redis-server /tmp/redis.conf --appendonly yes --dir /data";
  const probe =
    'redis-cli --no-auth-warning -a "$$(cat /run/secrets/redis_password)" ping | grep -q PONG';
  return {
    image: IMAGES.redis,
    command: ["sh", "-c", start],
    secrets: ["redis_password"],
    volumes: ["redis-data:/data"],
    networks: ["data"],
    healthcheck: healthcheck(["CMD-SHELL", probe]),
    ...hardened({ memory: "256m", pids: 128 }, { tmpfs: ["/tmp"], capAdd: DROP_TO_USER }),
  };
}

export function natsService(): Service {
  return {
    image: IMAGES.nats,
    command: ["-js", "-sd", "/data", "-m", "8222"],
    volumes: ["nats-data:/data"],
    networks: ["data"],
    healthcheck: healthcheck(wgetProbe("http://127.0.0.1:8222/healthz?js-enabled-only=true")),
    ...hardened({ memory: "256m", pids: 128 }),
  };
}

/** n8n keeps its tables in a database of its own on the same server. */
export function postgresInitSql(): string {
  return "CREATE DATABASE n8n;\n";
}
