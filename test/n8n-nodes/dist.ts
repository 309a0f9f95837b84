/**
 * The BUILT package (packages/n8n-nodes-sophia/dist), loaded the way n8n loads it: CommonJS
 * through require. `npm test` builds it first (scripts/test.sh); the types below describe
 * only what the tests use.
 */
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { ROOT } from "../support/gateway-harness.ts";

export const PACKAGE_DIR = join(ROOT, "packages/n8n-nodes-sophia");
const DIST = join(PACKAGE_DIR, "dist");

export type Json = Record<string, unknown>;
export interface Item {
  json: Json;
  pairedItem?: { item: number };
}
export interface NodeError extends Error {
  description?: string | null;
  httpCode?: string | null;
}

export interface SophiaNode {
  description: Json & { name: string; usableAsTool?: boolean };
  methods: { loadOptions: Record<string, (this: unknown) => Promise<Json[]>> };
  execute(this: unknown): Promise<Item[][]>;
}
export interface SophiaTriggerNode {
  description: Json & { name: string; webhooks: Json[] };
  methods: { credentialTest: Record<string, (this: unknown, c: Json) => Promise<Json>> };
  webhook(this: unknown): Promise<{
    workflowData?: Item[][];
    webhookResponse?: unknown;
    noWebhookResponse?: boolean;
  }>;
}
export interface Credential {
  name: string;
  properties: Json[];
  authenticate?: { type: string; properties: { headers?: Record<string, string> } };
  test?: { request: { baseURL: string; url: string; method?: string } };
}
export interface SignatureModule {
  SIGNATURE_HEADER: string;
  DEFAULT_TOLERANCE_SECONDS: number;
  signatureHeader(secret: string, rawBody: Buffer | string, t: number): string;
  verifySignature(input: {
    secret: string;
    rawBody: Buffer | string;
    header: string | string[] | undefined;
    nowSeconds: number;
    toleranceSeconds?: number;
  }): { ok: true; timestamp: number } | { ok: false; reason: string; message: string };
}

function load<T>(relative: string): T {
  const file = join(DIST, relative);
  if (!existsSync(file))
    throw new Error(
      `${file} is missing: build the package first (cd packages/n8n-nodes-sophia && npm run build; npm test does it)`,
    );
  return createRequire(import.meta.url)(file) as T;
}

export function loadSophia(): SophiaNode {
  const { Sophia } = load<{ Sophia: new () => SophiaNode }>("nodes/Sophia/Sophia.node.js");
  return new Sophia();
}

export function loadTrigger(): SophiaTriggerNode {
  const { SophiaTrigger } = load<{ SophiaTrigger: new () => SophiaTriggerNode }>(
    "nodes/SophiaTrigger/SophiaTrigger.node.js",
  );
  return new SophiaTrigger();
}

export function loadCredential(name: "SophiaApi" | "SophiaFlowWebhookApi"): Credential {
  const module = load<Record<string, new () => Credential>>(`credentials/${name}.credentials.js`);
  return new module[name]!();
}

export function loadSignature(): SignatureModule {
  return load<SignatureModule>("nodes/SophiaTrigger/signature.js");
}
