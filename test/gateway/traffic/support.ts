import { randomUUID } from "node:crypto";
import { join } from "node:path";
import { ROOT, stdioEntry } from "../../support/gateway-harness.ts";

export const TRAFFIC_FIXTURE = stdioEntry(
  join(ROOT, "test/gateway/traffic/fixtures/traffic-server.ts"),
);

/** A key prefix no other test uses; every key under it is deleted after the test. */
export function uniquePrefix(): string {
  return `sophia-test:${randomUUID().slice(0, 8)}:`;
}

export const REDIS_URL = process.env.SOPHIA_TEST_REDIS_URL ?? "redis://127.0.0.1:6379";
export const PG_URL =
  process.env.SOPHIA_TEST_PG_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";

// biome-ignore lint/suspicious/noExplicitAny: JSON-RPC answers of many shapes
export function toolText(answer: any): string {
  return String(answer?.result?.content?.[0]?.text);
}
