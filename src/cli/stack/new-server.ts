/** `sophia stack new-server --python NAME`: scaffold a uv-based MCP server and register it. */
import { mkdir, readdir, readFile, writeFile } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import { DEFAULT_FILE_NAMES } from "../../config/index.ts";
import { SophiaError } from "../../shared/errors.ts";
import { addPythonServer, IMAGES, scaffoldPythonServer } from "../../stack/index.ts";
import { EXIT } from "../exit-codes.ts";
import type { Io } from "../io.ts";
import { parseStackArgs, stringValue } from "./args.ts";
import { NEW_SERVER_HELP } from "./help.ts";
import { insideRoot } from "./project.ts";

const NAME = /^[a-z][a-z0-9-]{0,48}[a-z0-9]$/;

export async function newServerCommand(args: string[], io: Io): Promise<number> {
  const values = parseStackArgs("new-server", args, {
    python: { type: "string" },
    dir: { type: "string" },
    port: { type: "string" },
    config: { type: "string", short: "c" },
    help: { type: "boolean", short: "h" },
  });
  if (values.help === true) {
    io.out(NEW_SERVER_HELP);
    return EXIT.ok;
  }
  const name = requireName(stringValue(values, "python"));
  const port = parsePort(stringValue(values, "port"));
  const configFile = resolve(io.cwd, stringValue(values, "config") ?? DEFAULT_FILE_NAMES[0]);
  const root = dirname(configFile);
  const dir = insideRoot(
    root,
    io.cwd,
    stringValue(values, "dir") ?? join(root, "servers", name),
    "--dir",
  );
  await ensureEmpty(join(root, dir));
  const text = await readOptional(configFile);
  const edited = addPythonServer(text, configFile, { name, path: dir, port });
  for (const file of scaffoldPythonServer({ name, port, pythonImage: IMAGES.python })) {
    const target = join(root, dir, file.path);
    await mkdir(dirname(target), { recursive: true });
    await writeFile(target, file.content);
    io.out(`created   ${join(dir, file.path)}`);
  }
  await writeFile(configFile, edited);
  io.out(`updated   ${configFile} (servers.${name}, deploy.pythonServers)`);
  io.out(`next: cd ${dir} && uv lock && uv run pytest; then sophia stack generate`);
  return EXIT.ok;
}

function requireName(name: string | undefined): string {
  if (name === undefined) {
    throw new SophiaError("USAGE", "sophia stack new-server: --python NAME is required", {
      hint: "e.g. sophia stack new-server --python weather",
    });
  }
  if (!NAME.test(name)) {
    throw new SophiaError(
      "USAGE",
      `sophia stack new-server: "${name}" is not a valid server name`,
      {
        hint: "Use 2-50 lowercase letters, digits and -, starting with a letter (it becomes a host name).",
      },
    );
  }
  return name;
}

function parsePort(value: string | undefined): number {
  if (value === undefined) return 8000;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new SophiaError(
      "USAGE",
      `sophia stack new-server: --port must be 1-65535, got "${value}"`,
    );
  }
  return port;
}

async function ensureEmpty(dir: string): Promise<void> {
  const entries = await readdir(dir).catch(() => []);
  if (entries.length > 0) {
    throw new SophiaError("USAGE", `sophia stack new-server: ${dir} exists and is not empty`, {
      hint: "Choose another --dir or NAME; new-server never overwrites files.",
    });
  }
}

async function readOptional(file: string): Promise<string> {
  try {
    return await readFile(file, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return "";
    throw error;
  }
}
