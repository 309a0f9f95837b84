/**
 * A real n8n for the end-to-end tests: installed once by scripts/n8n/ensure.sh,
 * started per suite on free 127.0.0.1 ports with a fresh user folder and SQLite.
 * Workflows and credentials are imported and activated with n8n's CLI before
 * `n8n start` (activation applies at start); `api` (n8n-api.ts) then reads
 * executions.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { once } from "node:events";
import { realpathSync } from "node:fs";
import { cp, mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { delimiter, dirname, join } from "node:path";
import { NODE } from "./gateway-harness.ts";
import { N8nApi } from "./n8n-api.ts";
import { n8nHome, requireN8n } from "./n8n-install.ts";
import { guardGroup, signalGroup } from "./n8n-process-group.ts";
import { until } from "./poll.ts";

export interface N8nOptions {
  /** Workflow JSON objects (each with an `id`); all are activated before start. */
  workflows: object[];
  /** Credentials as n8n's import format: `{ id, name, type, data: {...} }` with plain data. */
  credentials?: object[];
  /**
   * A built community-node folder (a package's `dist`), if any. It is copied into
   * the user folder and that copy is given to N8N_CUSTOM_EXTENSIONS, so the nodes
   * resolve `n8n-workflow` from n8n itself (as in a real install), not from the
   * package's own devDependencies.
   */
  customExtensions?: string;
  /**
   * An unpacked community node package (package.json + dist, as `npm pack`
   * ships it), placed where n8n keeps the packages installed from its UI:
   * <user folder>/.n8n/nodes/node_modules/<package name>.
   */
  communityPackage?: { name: string; dir: string };
}

const READY_LINE = "Editor is now accessible";
const START_TIMEOUT_MS = 120_000;
const CLI_TIMEOUT_MS = 90_000;

export async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  if (address === null || typeof address === "string") throw new Error("no free port on 127.0.0.1");
  return address.port;
}

export class N8n {
  readonly bin: string;
  readonly encryptionKey = randomBytes(24).toString("hex");
  port = 0;
  brokerPort = 0;
  userFolder = "";
  /** n8n's HTTP APIs, set up (owner and API key) once n8n has started. */
  api: N8nApi = new N8nApi("http://127.0.0.1:0");
  /** Everything n8n wrote on stdout and stderr, for failure messages. */
  log = "";
  #child: ChildProcess | undefined;
  #guard: (() => void) | undefined;

  constructor() {
    this.bin = requireN8n();
  }

  get #customDir(): string {
    return join(this.userFolder, "custom-nodes");
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** Production URL of an active workflow's webhook path. */
  webhookUrl(path: string): string {
    return `${this.url}/webhook/${path}`;
  }

  #env(): NodeJS.ProcessEnv {
    const env: NodeJS.ProcessEnv = {
      // n8n starts its task runner as `node` from PATH: make that the project's Node 24.
      PATH: [dirname(realpathSync(NODE)), process.env.PATH].join(delimiter),
      HOME: this.userFolder,
      TZ: "UTC",
      N8N_USER_FOLDER: this.userFolder,
      N8N_ENCRYPTION_KEY: this.encryptionKey,
      DB_TYPE: "sqlite",
      N8N_PORT: String(this.port),
      N8N_HOST: "127.0.0.1",
      N8N_LISTEN_ADDRESS: "127.0.0.1",
      N8N_PROTOCOL: "http",
      WEBHOOK_URL: `${this.url}/`,
      // Task runners on (n8n 1.x warns that they become the default); the broker on loopback.
      N8N_RUNNERS_ENABLED: "true",
      N8N_RUNNERS_MODE: "internal",
      N8N_RUNNERS_BROKER_LISTEN_ADDRESS: "127.0.0.1",
      N8N_RUNNERS_BROKER_PORT: String(this.brokerPort),
      N8N_WORKER_SERVER_ADDRESS: "127.0.0.1",
      N8N_DIAGNOSTICS_ENABLED: "false",
      N8N_VERSION_NOTIFICATIONS_ENABLED: "false",
      N8N_PERSONALIZATION_ENABLED: "false",
      N8N_TEMPLATES_ENABLED: "false",
      N8N_HIRING_BANNER_ENABLED: "false",
      N8N_SECURE_COOKIE: "false",
      N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS: "true",
      N8N_BLOCK_ENV_ACCESS_IN_NODE: "true",
      N8N_GIT_NODE_DISABLE_BARE_REPOS: "true",
      DB_SQLITE_POOL_SIZE: "2",
      N8N_LOG_LEVEL: "info",
      N8N_LOG_OUTPUT: "console",
    };
    if (this.options.customExtensions) env.N8N_CUSTOM_EXTENSIONS = this.#customDir;
    return env;
  }

  options: N8nOptions = { workflows: [] };

  /** Imports, activates, starts; resolves once the editor (and so every webhook) is up. */
  async start(options: N8nOptions): Promise<void> {
    this.options = options;
    this.userFolder = await mkdtemp(join(tmpdir(), "sophia-n8n-"));
    this.port = await freePort();
    this.brokerPort = await freePort();
    const importDir = join(this.userFolder, "import");
    await mkdir(importDir);
    if (options.customExtensions) {
      await cp(options.customExtensions, this.#customDir, { recursive: true });
    }
    if (options.communityPackage) {
      const { name, dir } = options.communityPackage;
      const target = join(this.userFolder, ".n8n", "nodes", "node_modules", name);
      await cp(dir, target, { recursive: true });
    }
    if (options.credentials?.length) {
      const file = join(importDir, "credentials.json");
      await writeFile(file, JSON.stringify(options.credentials));
      await this.cli(["import:credentials", `--input=${file}`]);
    }
    const file = join(importDir, "workflows.json");
    await writeFile(file, JSON.stringify(options.workflows));
    await this.cli(["import:workflow", `--input=${file}`]);
    await this.cli(["update:workflow", "--all", "--active=true"]);
    await this.#spawn();
    this.api = new N8nApi(this.url);
    await this.api.setUp();
  }

  /** Runs one n8n CLI command to completion; fails with its output. */
  async cli(args: string[]): Promise<string> {
    const child = spawn(NODE, [this.bin, ...args], {
      cwd: n8nHome(),
      env: this.#env(),
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
      output += chunk;
    });
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => {
      output += chunk;
    });
    const timer = setTimeout(() => child.kill("SIGKILL"), CLI_TIMEOUT_MS);
    const [code, signal] = (await once(child, "close")) as [number | null, string | null];
    clearTimeout(timer);
    this.log += `$ n8n ${args.join(" ")}\n${output}`;
    if (code !== 0) {
      throw new Error(`n8n ${args.join(" ")} failed (${signal ?? `exit ${code}`}):\n${output}`);
    }
    return output;
  }

  async #spawn(): Promise<void> {
    // Own process group, so stop() also ends the task runner processes n8n starts.
    const child = spawn(NODE, [this.bin, "start"], {
      cwd: n8nHome(),
      env: this.#env(),
      stdio: ["ignore", "pipe", "pipe"],
      detached: true,
    });
    this.#child = child;
    this.#guard = guardGroup(child.pid);
    this.log += "$ n8n start\n";
    const collect = (chunk: string) => {
      this.log += chunk;
    };
    child.stdout?.setEncoding("utf8").on("data", collect);
    child.stderr?.setEncoding("utf8").on("data", collect);
    await until(
      `n8n to print "${READY_LINE}"`,
      () => {
        if (child.exitCode !== null || child.signalCode !== null) {
          throw new Error(`n8n start exited early:\n${this.logTail()}`);
        }
        return this.log.includes(READY_LINE) ? true : undefined;
      },
      { timeoutMs: START_TIMEOUT_MS, everyMs: 100 },
    ).catch((error: Error) => {
      throw new Error(`${error.message}\n--- n8n log ---\n${this.logTail()}`);
    });
  }

  /** The last lines of n8n's log, for assertion messages. */
  logTail(lines = 60): string {
    return this.log.split("\n").slice(-lines).join("\n");
  }

  /** Stops n8n and its task runners (SIGTERM to the group, SIGKILL after 20 s); removes the user folder. */
  async stop(): Promise<void> {
    const child = this.#child;
    if (child?.pid !== undefined && child.exitCode === null && child.signalCode === null) {
      const exited = once(child, "exit");
      signalGroup(child.pid, "SIGTERM");
      const timer = setTimeout(() => signalGroup(child.pid as number, "SIGKILL"), 20_000);
      await exited;
      clearTimeout(timer);
    }
    // Runners left behind by a crash die with the group.
    if (child?.pid !== undefined) signalGroup(child.pid, "SIGKILL");
    this.#guard?.();
    if (this.userFolder) await rm(this.userFolder, { recursive: true, force: true });
  }
}
