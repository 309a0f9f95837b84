/**
 * The `sophia-prod` target's gateway section: the full production path of a
 * call. An API key is checked on every request, a policy decides (default
 * deny, one allow rule by role), a rate limit per key and tool is charged
 * (high enough never to refuse), and every call is written to the audit log.
 */
import { randomUUID } from "node:crypto";
import { join } from "node:path";
import { generateApiKey } from "../../src/gateway/auth/api-key.ts";
import { KeyFile } from "../../src/gateway/auth/key-store.ts";

export async function prodGateway(
  tmp: string,
): Promise<{ gateway: Record<string, unknown>; headers: Record<string, string> }> {
  // A fresh file per start: a target may run more than once in one benchmark.
  const run = randomUUID().slice(0, 8);
  const keys = new KeyFile(join(tmp, `sophia-prod-keys-${run}.json`));
  const made = generateApiKey({ name: "bench", roles: ["bench"] });
  await keys.add(made.record);
  const gateway = {
    auth: { apiKeys: { file: keys.path } },
    policies: {
      default: "deny",
      rules: [
        { name: "bench-echo", effect: "allow", servers: "echo", names: "echo", roles: ["bench"] },
      ],
    },
    limits: {
      rules: [{ name: "per-key", per: ["key", "tool"], rate: "1000000/s", burst: 1_000_000 }],
    },
    audit: { file: { path: join(tmp, `sophia-prod-audit-${run}.jsonl`) } },
  };
  return { gateway, headers: { authorization: `Bearer ${made.key}` } };
}
