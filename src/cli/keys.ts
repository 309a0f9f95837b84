/** `sophia keys create|list|revoke`: manage the gateway's API keys (the key is printed once, at create). */
import { resolve } from "node:path";
import { parseArgs } from "node:util";
import { loadConfig, parseDuration } from "../config/index.ts";
import { generateApiKey } from "../gateway/auth/api-key.ts";
import { DEFAULT_KEY_FILE, readAuth } from "../gateway/auth/config.ts";
import { KeyFile } from "../gateway/auth/key-store.ts";
import { SophiaError } from "../shared/errors.ts";
import type { Command } from "./commands.ts";
import { EXIT } from "./exit-codes.ts";
import type { Io } from "./io.ts";

const USAGE = `usage: sophia keys <create|list|revoke> [options]
  create --name <name> [--scope <s>]... [--role <r>]... [--expires <30d>]
                        prints the new key once; only its hash is stored
  list [--json]         every key with id, name, scopes, roles, dates (never a secret)
  revoke <id|name>      the gateway refuses the key from its next request
  --file <path>         the key file (default: gateway.auth.apiKeys.file of the config, else ${DEFAULT_KEY_FILE})
  --config <path>       the configuration to read the key file from (default sophia.yaml)`;

const OPTIONS = {
  name: { type: "string" },
  scope: { type: "string", multiple: true },
  role: { type: "string", multiple: true },
  expires: { type: "string" },
  json: { type: "boolean" },
  file: { type: "string" },
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
  const store = new KeyFile(await keyFilePath(values.file, values.config, io));
  if (action === "create") return create(store, values, io);
  if (action === "list") return list(store, values.json === true, io);
  if (action === "revoke" && target !== undefined) {
    const key = await store.revoke(target);
    io.out(`revoked ${key.id} (${key.name})`);
    return EXIT.ok;
  }
  throw new SophiaError(
    "USAGE",
    `unknown keys action "${action}"${action === "revoke" ? " without an id or name" : ""}`,
    { hint: USAGE },
  );
};

async function create(
  store: KeyFile,
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
  io.err(`created key ${record.id} (${record.name}) in ${store.path}; it is shown only now:\n`);
  io.out(key);
  return EXIT.ok;
}

async function list(store: KeyFile, json: boolean, io: Io) {
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
  if (keys.length === 0) io.err(`no keys in ${store.path}\n`);
  return EXIT.ok;
}

async function keyFilePath(
  file: string | undefined,
  config: string | undefined,
  io: Io,
): Promise<string> {
  if (file !== undefined) return resolve(io.cwd, file);
  const loaded = await loadConfig({ file: config, cwd: io.cwd, env: io.env });
  return readAuth(loaded)?.keyFile ?? resolve(io.cwd, DEFAULT_KEY_FILE);
}
