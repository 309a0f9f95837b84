/** `sophia keys create|list|revoke`: manage the gateway's API keys (the key is printed once, at create). */
import { resolve } from "node:path";
import { parseArgs } from "node:util";
import { loadConfig, parseDuration } from "../config/index.ts";
import { generateApiKey } from "../gateway/auth/api-key.ts";
import { DEFAULT_KEY_FILE, type KeyStoreConfig, readAuth } from "../gateway/auth/config.ts";
import { openKeyStore } from "../gateway/auth/open-key-store.ts";
import { SophiaError } from "../shared/errors.ts";
import type { Command } from "./commands.ts";
import { EXIT } from "./exit-codes.ts";
import type { Io } from "./io.ts";

const USAGE = `usage: sophia keys <create|list|revoke> [options]
  create --name <name> [--scope <s>]... [--role <r>]... [--expires <30d>]
                        prints the new key once; only its hash is stored
  list [--json]         every key with id, name, scopes, roles, dates (never a secret)
  revoke <id|name>      the gateway refuses the key from its next request
  --file <path>         the key file (default: gateway.auth.apiKeys of the config, else ${DEFAULT_KEY_FILE})
  --store <url>         keys in PostgreSQL instead: postgres://user@host/db (table sophia_api_keys)
  --schema <name>       the PostgreSQL schema of --store (default public)
  --config <path>       the configuration to read the key store from (default sophia.yaml)`;

const OPTIONS = {
  name: { type: "string" },
  scope: { type: "string", multiple: true },
  role: { type: "string", multiple: true },
  expires: { type: "string" },
  json: { type: "boolean" },
  file: { type: "string" },
  store: { type: "string" },
  schema: { type: "string" },
  config: { type: "string" },
  help: { type: "boolean" },
} as const;

export const keysCommand: Command = async (args, io) => {
  const { values, positionals } = parseArgs({ args, options: OPTIONS, allowPositionals: true });
  const [action, target] = positionals;
  if (values.help || action === undefined) {
    io.out(USAGE);
    return values.help ? EXIT.ok : EXIT.usage;
  }
  if (!["create", "list", "revoke"].includes(action))
    throw new SophiaError("USAGE", `unknown keys action "${action}"`, { hint: USAGE });
  if (action === "revoke" && target === undefined)
    throw new SophiaError("USAGE", "keys revoke needs the id or name of a key", { hint: USAGE });
  const store = openKeyStore(await storeConfig(values, io));
  try {
    if (action === "create") return await create(store, values, io);
    if (action === "list") return await list(store, values.json === true, io);
    const key = await store.revoke(target!);
    io.out(`revoked ${key.id} (${key.name})`);
    return EXIT.ok;
  } finally {
    await store.close?.();
  }
};

type Store = ReturnType<typeof openKeyStore>;

async function create(
  store: Store,
  values: { name?: string; scope?: string[]; role?: string[]; expires?: string },
  io: Io,
) {
  if (!values.name) throw new SophiaError("USAGE", "keys create needs --name", { hint: USAGE });
  let expiresAt: Date | undefined;
  if (values.expires !== undefined) {
    const days = /^(\d+)\s*d$/.exec(values.expires.trim());
    const ms = days ? Number(days[1]) * 86_400_000 : parseDuration(values.expires);
    if (ms === undefined || ms <= 0)
      throw new SophiaError(
        "USAGE",
        `--expires "${values.expires}" is not a duration like 30d or 12h`,
      );
    expiresAt = new Date(Date.now() + ms);
  }
  const { key, record } = generateApiKey({
    name: values.name,
    scopes: values.scope ?? [],
    roles: values.role ?? [],
    ...(expiresAt ? { expiresAt } : {}),
  });
  await store.add(record);
  io.err(
    `created key ${record.id} (${record.name}) in ${store.description}; it is shown only now:\n`,
  );
  io.out(key);
  return EXIT.ok;
}

async function list(store: Store, json: boolean, io: Io) {
  const keys = (await store.list()).map(({ hash: _hash, ...rest }) => rest);
  if (json) {
    io.out(JSON.stringify(keys, null, 2));
    return EXIT.ok;
  }
  for (const k of keys) {
    const state = k.revoked
      ? `revoked ${k.revoked}`
      : k.expires
        ? `expires ${k.expires}`
        : "active";
    io.out(
      `${k.id}  ${k.name}  scopes=[${k.scopes.join(",")}] roles=[${k.roles.join(",")}]  created ${k.created}  ${state}`,
    );
  }
  if (keys.length === 0) io.err(`no keys in ${store.description}\n`);
  return EXIT.ok;
}

async function storeConfig(
  values: { file?: string; store?: string; schema?: string; config?: string },
  io: Io,
): Promise<KeyStoreConfig> {
  if (values.store !== undefined) {
    if (!/^postgres(ql)?:\/\//.test(values.store))
      throw new SophiaError("USAGE", "--store takes a postgres:// URL", { hint: USAGE });
    return {
      kind: "postgres",
      url: values.store,
      schema: values.schema ?? "public",
      cacheTtlMs: 0,
    };
  }
  if (values.file !== undefined) return { kind: "file", path: resolve(io.cwd, values.file) };
  const loaded = await loadConfig({ file: values.config, cwd: io.cwd, env: io.env });
  return readAuth(loaded)?.keyStore ?? { kind: "file", path: resolve(io.cwd, DEFAULT_KEY_FILE) };
}
