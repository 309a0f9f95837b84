/** The `gateway` and `log` sections of sophia.yaml. */
import { z } from "zod";
import { DEFAULTS, defaultGateway } from "./defaults.ts";
import { duration, field, integer, size } from "./fields.ts";
import type { IssueList } from "./issues.ts";
import {
  type GatewayConfig,
  type GatewaySecurity,
  type GatewayTraffic,
  type LogConfig,
  SECURITY_KEYS,
  type SecurityKey,
  type SessionsConfig,
  TRAFFIC_KEYS,
  type TrafficKey,
} from "./types.ts";
import { withoutNulls } from "./values.ts";

interface Listen {
  host: string | undefined;
  port: number;
}

const PORT = /^\d{1,5}$/;

/** `"127.0.0.1:8080"`, `"[::1]:8080"`, `"8080"` or `8080` (host left to the default). */
export function parseListen(value: unknown): Listen | undefined {
  const text =
    typeof value === "number" ? String(value) : typeof value === "string" ? value.trim() : "";
  const match = /^(?:\[([^\]\s]+)\]|([^:[\]\s/]+)):(\d{1,5})$/.exec(text);
  const host = match === null ? undefined : (match[1] ?? match[2]);
  const port = Number(match === null ? text : match[3]);
  if (match === null && !PORT.test(text)) return undefined;
  return port <= 65_535 ? { host, port } : undefined;
}

const listen = field(
  'an address "host:port" such as "127.0.0.1:8080", "0.0.0.0:8080" (all interfaces) or "[::1]:8080", port 0 to 65535',
  parseListen,
);

const host = field('a host name or IP address such as "127.0.0.1" or "::1"', (value) => {
  const text = typeof value === "string" ? value.trim().replace(/^\[(.*)\]$/, "$1") : "";
  return /^[^\s/[\]]+$/.test(text) ? text : undefined;
});

const separator = field('1 to 4 of the characters "_", "-" and "."', (value) =>
  typeof value === "string" && /^[_.-]{1,4}$/.test(value) ? value : undefined,
);

/** Stored as `URL.origin`, the form browsers send in the Origin header. */
const origin = field(
  'an origin such as "https://app.example.com" (scheme://host[:port], no path)',
  (value) => {
    if (typeof value !== "string" || !URL.canParse(value)) return undefined;
    const url = new URL(value);
    const bare =
      url.pathname === "/" && url.search === "" && url.hash === "" && url.username === "";
    return bare && url.origin !== "null" ? url.origin : undefined;
  },
);

const redisUrl = field('a Redis URL such as "redis://127.0.0.1:6379" or "rediss://…"', (value) =>
  typeof value === "string" && URL.canParse(value) && /^rediss?:$/.test(new URL(value).protocol)
    ? value
    : undefined,
);

const sessionsSchema = z.strictObject({
  store: field('"memory" or "redis"', (value) =>
    value === "memory" || value === "redis" ? value : undefined,
  ).optional(),
  // Checked in readSessions: a message must never echo the secret.
  secret: z.unknown().optional(),
  redis: redisUrl.optional(),
  prefix: field("a key prefix of 1 to 64 printable characters without spaces", (value) =>
    typeof value === "string" && /^[\x21-\x7e]{1,64}$/.test(value) ? value : undefined,
  ).optional(),
});

const MIN_SECRET = 32;
// biome-ignore lint/suspicious/noTemplateCurlyInString: configuration syntax, not a template
const SECRET_EXAMPLE = 'secret: "${SOPHIA_SESSION_SECRET}"';

/** `gateway.sessions`: memory by default; redis needs a long secret every instance shares. */
function readSessions(
  value: z.infer<typeof sessionsSchema> | undefined,
  issues: IssueList,
): SessionsConfig {
  if (value?.store !== "redis") return { store: "memory" };
  const secret = value.secret;
  if (typeof secret !== "string" || secret.length < MIN_SECRET) {
    issues.add(
      ["gateway", "sessions", "secret"],
      `store "redis" needs a secret of at least ${MIN_SECRET} characters, the same on every instance ` +
        `(it signs session ids), e.g. ${SECRET_EXAMPLE} with \`openssl rand -hex 32\``,
    );
    return { store: "memory" };
  }
  return {
    store: "redis",
    secret,
    redis: value.redis ?? DEFAULTS.sessionsRedis,
    prefix: value.prefix ?? DEFAULTS.sessionsPrefix,
  };
}

const gatewayShape = {
  listen: listen.optional(),
  host: host.optional(),
  port: integer(0, 65_535).optional(),
  separator: separator.optional(),
  allowedOrigins: z.array(origin).optional(),
  maxBodySize: size.optional(),
  sessionIdle: duration(1).optional(),
  drain: duration(0).optional(),
  sessions: sessionsSchema.optional(),
  // Security sections: the gateway validates them itself (src/gateway/auth/config.ts).
  auth: z.unknown().optional(),
  tls: z.unknown().optional(),
  policies: z.unknown().optional(),
  secrets: z.unknown().optional(),
  // Traffic sections: the gateway validates them itself (src/gateway/{limits,cache,…}/config.ts).
  redis: z.unknown().optional(),
  limits: z.unknown().optional(),
  cache: z.unknown().optional(),
  audit: z.unknown().optional(),
  pinning: z.unknown().optional(),
  tracing: z.unknown().optional(),
};
const gatewaySchema = z.strictObject(gatewayShape);

export function readGateway(raw: unknown, issues: IssueList): GatewayConfig {
  const parsed = gatewaySchema.safeParse(withoutNulls(raw ?? {}), { reportInput: true });
  if (!parsed.success) {
    issues.fromZod(parsed.error, ["gateway"], Object.keys(gatewayShape));
    return defaultGateway();
  }
  const value = parsed.data;
  if (value.listen !== undefined && (value.host !== undefined || value.port !== undefined)) {
    issues.add(["gateway", "listen"], 'give either "listen" or "host" and "port", not both');
  }
  const defaults = defaultGateway();
  return {
    host: value.listen?.host ?? value.host ?? defaults.host,
    port: value.listen?.port ?? value.port ?? defaults.port,
    separator: value.separator ?? defaults.separator,
    allowedOrigins: value.allowedOrigins ?? defaults.allowedOrigins,
    maxBodyBytes: value.maxBodySize ?? defaults.maxBodyBytes,
    sessionIdleMs: value.sessionIdle ?? defaults.sessionIdleMs,
    drainMs: value.drain ?? defaults.drainMs,
    sessions: readSessions(value.sessions, issues),
    ...securitySections(value),
    ...trafficSections(value),
  };
}

/** Only the sections present, so a gateway without security config looks as before. */
function securitySections(value: Partial<Record<SecurityKey, unknown>>): GatewaySecurity {
  const out: GatewaySecurity = {};
  for (const key of SECURITY_KEYS) if (value[key] !== undefined) out[key] = value[key];
  return out;
}

function trafficSections(value: Partial<Record<TrafficKey, unknown>>): GatewayTraffic {
  const out: GatewayTraffic = {};
  for (const key of TRAFFIC_KEYS) if (value[key] !== undefined) out[key] = value[key];
  return out;
}

const LEVELS = ["fatal", "error", "warn", "info", "debug", "trace", "silent"] as const;
type Level = LogConfig["level"];

const level = field(`one of ${LEVELS.map((name) => `"${name}"`).join(", ")}`, (value) => {
  const name = typeof value === "string" ? value.trim().toLowerCase() : "";
  return LEVELS.find((known) => known === name);
});

const logShape = { level: level.optional() };
const logSchema = z.strictObject(logShape);

export function readLog(raw: unknown, issues: IssueList): LogConfig {
  const parsed = logSchema.safeParse(withoutNulls(raw ?? {}), { reportInput: true });
  if (!parsed.success) issues.fromZod(parsed.error, ["log"], Object.keys(logShape));
  const chosen: Level = parsed.data?.level ?? DEFAULTS.logLevel;
  return { level: chosen };
}
