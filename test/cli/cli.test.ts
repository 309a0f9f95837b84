import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import type { AddressInfo } from "node:net";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { CLI_BIN, CliProcess, runCli } from "../support/cli-process.ts";
import { connectClient, NODE, ROOT } from "../support/gateway-harness.ts";
import { alive, textOf, until } from "../support/poll.ts";

const FIXTURE = join(ROOT, "test/fixtures/upstreams/stdio-server.ts");
const LISTENING = /listening on (http:\/\/127\.0\.0\.1:\d+)\/mcp/;
/** Bounds for a process start (Node 24 stripping types, a child server) and for a drained exit. */
const START_MS = 45_000;
const EXIT_MS = 20_000;

let dir: string;
let echoConfig: string;

before(async () => {
  dir = await mkdtemp(join(tmpdir(), "sophia-cli-"));
  echoConfig = join(dir, "mcp.json");
  await writeFile(
    echoConfig,
    JSON.stringify({ mcpServers: { echo: { command: NODE, args: [FIXTURE] } } }),
  );
});
after(() => rm(dir, { recursive: true, force: true }));

/** A fresh empty directory, so no sophia.yaml is found by accident. */
async function emptyDir(): Promise<string> {
  return mkdtemp(join(dir, "cwd-"));
}

describe("sophia usage", () => {
  test("--help, gateway --help and up --help exit 0 with usage", async () => {
    const main = await runCli(["--help"]);
    assert.equal(main.code, 0, main.stderr);
    assert.match(main.stdout, /Usage: sophia <command>/);
    const gateway = await runCli(["gateway", "--help"]);
    assert.equal(gateway.code, 0, gateway.stderr);
    assert.match(gateway.stdout, /Usage: sophia gateway/);
    assert.match(gateway.stdout, /--stdio/);
    const up = await runCli(["up", "--help"]);
    assert.equal(up.code, 0, up.stderr);
    assert.match(up.stdout, /Usage: sophia up/);
  });

  test("bin/sophia.js runs the same CLI", async () => {
    const help = await runCli(["--help"], 15_000, { script: CLI_BIN });
    assert.equal(help.code, 0, help.stderr);
    assert.match(help.stdout, /Usage: sophia <command>/);
  });

  test("no arguments exits 2 with usage", async () => {
    const run = await runCli([]);
    assert.equal(run.code, 2);
    assert.match(run.stdout + run.stderr, /Usage: sophia <command>/);
  });

  test("an unknown command exits 2 naming it", async () => {
    const run = await runCli(["frobnicate"]);
    assert.equal(run.code, 2);
    assert.match(run.stderr, /unknown command "frobnicate"/);
  });

  test("an unknown option exits 2 naming it", async () => {
    const run = await runCli(["gateway", "--frobnicate"]);
    assert.equal(run.code, 2);
    assert.match(run.stderr, /--frobnicate/);
  });

  test("--port abc exits 2 naming the option and the value", async () => {
    const run = await runCli(["gateway", "--port", "abc"]);
    assert.equal(run.code, 2);
    assert.match(run.stderr, /--port/);
    assert.match(run.stderr, /abc/);
  });
});

describe("sophia configuration and listening errors", () => {
  test("a configuration error exits 3 naming the file and the path in it", async () => {
    const file = join(await emptyDir(), "sophia.yaml");
    await writeFile(file, "gateway:\n  listen: 127.0.0.1:0\nservers:\n  files:\n    comand: npx\n");
    const run = await runCli(["gateway", "--config", file]);
    assert.equal(run.code, 3, run.stderr);
    assert.ok(run.stderr.includes(file), run.stderr);
    assert.match(run.stderr, /servers\.files\.comand/);
    assert.match(run.stderr, /did you mean "command"/);
  });

  test("a port already in use exits 4 naming the port, leaving no server process behind", async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, "127.0.0.1", resolve));
    const { port } = blocker.address() as AddressInfo;
    // The fixture ignores its arguments: the marker only lets us find its process afterwards.
    const marker = `--sophia-test-marker=${randomUUID()}`;
    const config = join(await emptyDir(), "mcp.json");
    await writeFile(
      config,
      JSON.stringify({ mcpServers: { echo: { command: NODE, args: [FIXTURE, marker] } } }),
    );
    try {
      const run = await runCli(["gateway", "--config", config, "--port", String(port)], START_MS);
      assert.equal(run.code, 4, run.stderr);
      assert.match(run.stderr, new RegExp(`\\b${port}\\b`));
      assert.doesNotMatch(run.stdout, /listening on/);
      assert.deepEqual(
        await processesWith(marker),
        [],
        "the server started before listening failed is stopped",
      );
    } finally {
      await new Promise((resolve) => blocker.close(resolve));
    }
  });
});

describe("sophia gateway and up over HTTP", () => {
  test("gateway --config <mcpServers file> --port 0: serves MCP, SIGTERM exits 0 and stops the child", async () => {
    const cli = new CliProcess(["gateway", "--config", echoConfig, "--port", "0"]);
    try {
      const [, base] = await cli.stdoutMatch(LISTENING, START_MS);
      assert.match(cli.stdout, /sophia gateway: listening on/);
      assert.equal((await fetch(`${base}/healthz`)).status, 200);
      const client = await connectClient(`${base}/mcp`);
      const echoed = await client.callTool({
        name: "echo__echo",
        arguments: { text: "through the CLI" },
      });
      assert.equal(textOf(echoed), "through the CLI");
      const pid = Number(textOf(await client.callTool({ name: "echo__whoami", arguments: {} })));
      assert.ok(Number.isInteger(pid) && alive(pid));
      await client.close();

      cli.child.kill("SIGTERM");
      const exit = await cli.exited(EXIT_MS);
      assert.deepEqual(exit, { code: 0, signal: null }, cli.stderr);
      // stop() waits for the child to exit, so it is gone by the time the CLI exits.
      assert.equal(alive(pid), false, `server process ${pid} outlived the CLI`);
    } finally {
      cli.kill();
    }
  });

  test("up in an empty directory (via bin/sophia.js) runs on embedded defaults; SIGTERM exits 0", async () => {
    const cli = new CliProcess(["up", "--port", "0"], { cwd: await emptyDir(), script: CLI_BIN });
    try {
      const [, base] = await cli.stdoutMatch(LISTENING, START_MS);
      assert.match(cli.stdout, /sophia up: listening on .*embedded defaults/);
      assert.equal((await fetch(`${base}/healthz`)).status, 200);
      assert.equal((await fetch(`${base}/readyz`)).status, 200);
      cli.child.kill("SIGTERM");
      assert.deepEqual(await cli.exited(EXIT_MS), { code: 0, signal: null }, cli.stderr);
    } finally {
      cli.kill();
    }
  });

  test("a healthy configuration runs without warnings on stderr", async () => {
    const cli = new CliProcess(["gateway", "--config", echoConfig, "--port", "0"]);
    try {
      const [, base] = await cli.stdoutMatch(LISTENING, START_MS);
      const client = await connectClient(`${base}/mcp`);
      await client.listTools();
      await client.listPrompts();
      await client.close();
      cli.child.kill("SIGTERM");
      assert.deepEqual(await cli.exited(EXIT_MS), { code: 0, signal: null }, cli.stderr);
      const warnings = cli.stderr
        .split("\n")
        .filter((line) => line.startsWith("{"))
        .filter((line) => (JSON.parse(line) as { level: number }).level >= 40);
      assert.deepEqual(warnings, []);
    } finally {
      cli.kill();
    }
  });

  test("a server whose command does not exist does not hold up listening", async () => {
    const config = join(await emptyDir(), "mcp.json");
    const ghost = { command: join(ROOT, "no-such-dir/sophia-no-such-command") };
    await writeFile(
      config,
      JSON.stringify({ mcpServers: { echo: { command: NODE, args: [FIXTURE] }, ghost } }),
    );
    const cli = new CliProcess(["gateway", "--config", config, "--port", "0"]);
    try {
      const [, base] = await cli.stdoutMatch(LISTENING, 10_000);
      const ready = await fetch(`${base}/readyz`);
      assert.equal(ready.status, 503);
      assert.match(await ready.text(), /ghost/);
    } finally {
      cli.kill();
      await cli.exited(EXIT_MS).catch(() => undefined);
    }
  });
});

describe("sophia gateway --stdio", () => {
  test("speaks newline-delimited JSON-RPC on stdin/stdout, logs on stderr, exits when stdin closes", async () => {
    const cli = new CliProcess(["gateway", "--stdio", "--config", echoConfig]);
    const send = (message: unknown) => cli.child.stdin.write(`${JSON.stringify(message)}\n`);
    const answer = (id: number) =>
      until(`the answer to request ${id}`, () => parseLines(cli.stdout).find((m) => m.id === id), {
        timeoutMs: START_MS,
      }).catch((error: Error) => {
        const age = Math.round(performance.now() - cli.startedAt);
        throw new Error(
          `${error.message} (${age} ms after spawn)\nstdout: ${cli.stdout}\nstderr: ${cli.stderr}`,
        );
      });
    try {
      send({
        jsonrpc: "2.0",
        id: 1,
        method: "initialize",
        params: {
          protocolVersion: "2025-06-18",
          capabilities: {},
          clientInfo: { name: "cli-test", version: "1" },
        },
      });
      const init = await answer(1);
      assert.ok(init.result && typeof init.result === "object", JSON.stringify(init));
      send({ jsonrpc: "2.0", method: "notifications/initialized" });
      send({ jsonrpc: "2.0", id: 2, method: "tools/list" });
      const tools = (await answer(2)).result as { tools: Array<{ name: string }> };
      assert.ok(
        tools.tools.some((t) => t.name === "echo__echo"),
        JSON.stringify(tools),
      );
      send({
        jsonrpc: "2.0",
        id: 3,
        method: "tools/call",
        params: { name: "echo__echo", arguments: { text: "over stdio" } },
      });
      assert.equal(textOf((await answer(3)).result as object), "over stdio");
      send({
        jsonrpc: "2.0",
        id: 4,
        method: "tools/call",
        params: { name: "echo__whoami", arguments: {} },
      });
      const pid = Number(textOf((await answer(4)).result as object));
      assert.ok(Number.isInteger(pid) && alive(pid));

      cli.child.stdin.end();
      assert.deepEqual(await cli.exited(EXIT_MS), { code: 0, signal: null }, cli.stderr);
      // Every stdout line is JSON-RPC; the gateway's logs went to stderr.
      for (const line of cli.stdout.split("\n").filter((l) => l !== "")) {
        assert.equal((JSON.parse(line) as { jsonrpc?: string }).jsonrpc, "2.0", line);
      }
      assert.match(cli.stderr, /serving over stdio/);
      assert.equal(alive(pid), false, `server process ${pid} outlived the CLI`);
    } finally {
      cli.kill();
    }
  });
});

interface RpcMessage {
  id?: number;
  result?: unknown;
  error?: unknown;
}

/** The complete lines of stdout, parsed; a line that is not JSON fails the test. */
function parseLines(stdout: string): RpcMessage[] {
  const complete = stdout.slice(0, stdout.lastIndexOf("\n") + 1);
  return complete
    .split("\n")
    .filter((line) => line !== "")
    .map((line) => JSON.parse(line) as RpcMessage);
}

/** Pids of running processes whose command line contains `marker` (Linux /proc). */
async function processesWith(marker: string): Promise<number[]> {
  const found: number[] = [];
  for (const entry of await readdir("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    const cmdline = await readFile(`/proc/${entry}/cmdline`, "utf8").catch(() => "");
    if (cmdline.includes(marker)) found.push(Number(entry));
  }
  return found;
}
