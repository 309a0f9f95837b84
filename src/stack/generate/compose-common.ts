/**
 * What every Compose service carries: least privilege, bounded resources,
 * rotated logs, health. Services add what they need on top.
 */

export type Service = Record<string, unknown>;

export interface Limits {
  memory: string;
  pids: number;
}

export function hardened(
  limits: Limits,
  extra: { tmpfs?: string[]; capAdd?: string[] } = {},
): Service {
  return {
    read_only: true,
    ...(extra.tmpfs === undefined ? {} : { tmpfs: extra.tmpfs }),
    cap_drop: ["ALL"],
    ...(extra.capAdd === undefined ? {} : { cap_add: extra.capAdd }),
    security_opt: ["no-new-privileges:true"],
    pids_limit: limits.pids,
    deploy: { resources: { limits: { memory: limits.memory } } },
    logging: { driver: "json-file", options: { "max-size": "10m", "max-file": "3" } },
    restart: "unless-stopped",
  };
}

export function healthcheck(test: string[], startPeriod = "20s"): Service {
  return { test, interval: "10s", timeout: "5s", retries: 5, start_period: startPeriod };
}

/** `depends_on` that waits for health, never mere start order. */
export function dependsOnHealthy(names: string[]): Record<string, { condition: string }> {
  return Object.fromEntries(names.map((name) => [name, { condition: "service_healthy" }]));
}

/** Secret mounts plus the `<NAME>_FILE` variables that point at them. */
export function secretEnv(names: string[]): {
  secrets: string[];
  environment: Record<string, string>;
} {
  return {
    secrets: names,
    environment: Object.fromEntries(
      names.map((name) => [`${name.toUpperCase()}_FILE`, `/run/secrets/${name}`]),
    ),
  };
}

/** Compose healthcheck for images that ship busybox wget (alpine-based). */
export function wgetProbe(url: string): string[] {
  return ["CMD", "wget", "-q", "--spider", url];
}
