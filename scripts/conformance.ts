/**
 * Runs the MCP conformance suite's server scenarios (npm @modelcontextprotocol/conformance) against
 * one MCP endpoint and judges each scenario from the suite's own checks.json results.
 *
 *   npx node scripts/conformance.ts --url http://127.0.0.1:8080/servers/x/mcp \
 *     [--scenario NAME]... [--expected-failures FILE] [--timeout-ms 60000]
 *
 * A scenario passes when the suite recorded checks and none is FAILURE (WARNINGs are listed, not
 * fatal). Expected failures: a JSON list of {"scenario", "reason"}; listed scenarios that fail
 * print XFAIL and do not fail the run, listed ones that pass print XPASS and do. Ends with
 * "conformance: N passed, M failed"; exit code 1 when M > 0, 2 on a usage error.
 */
import { spawn } from "node:child_process";
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { parseArgs } from "node:util";
import { z } from "zod";
import { errorMessage, SophiaError } from "../src/shared/errors.ts";

export const DEFAULT_TIMEOUT_MS = 60_000;
const OUTPUT_TAIL_CHARS = 16_000;
const SCENARIO_STARTED = /^Running client scenario '([^']+)' against server/gm;

export interface Check {
  id: string;
  status: string;
  description?: string;
  errorMessage?: string;
}

export type Verdict = "PASS" | "FAIL" | "XFAIL" | "XPASS";

export interface ScenarioResult {
  scenario: string;
  verdict: Verdict;
  /** Failing checks ("id: message"), or why the scenario produced no verdict. */
  failures: string[];
  warnings: string[];
  /** The reason given in the expected-failures file, if listed there. */
  expectedReason?: string;
}

export interface ConformanceSummary {
  results: ScenarioResult[];
  passed: number;
  failed: number;
  expectedFailures: number;
}

export interface ConformanceOptions {
  url: string;
  /** Defaults to every server scenario the suite lists. */
  scenarios?: string[];
  /** scenario name → reason it is allowed to fail. */
  expectedFailures?: Map<string, string>;
  timeoutMs?: number;
  onResult?: (result: ScenarioResult) => void;
}

function suiteEntry(): string {
  const pkg = createRequire(import.meta.url).resolve(
    "@modelcontextprotocol/conformance/package.json",
  );
  return join(dirname(pkg), "dist", "index.js");
}

interface SuiteRun {
  /** Scenarios in the order the suite started them. */
  started: string[];
  /** The scenario running when the watchdog killed the suite. */
  timedOut: string | undefined;
  exitCode: number | null;
  outputTail: string;
}

/**
 * Runs the suite CLI once. A watchdog, re-armed whenever the suite starts a scenario, kills it
 * when one scenario exceeds `timeoutMs`.
 */
function runSuite(args: string[], timeoutMs: number, first?: string): Promise<SuiteRun> {
  const child = spawn(process.execPath, [suiteEntry(), ...args], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  const run: SuiteRun = { started: [], timedOut: undefined, exitCode: null, outputTail: "" };
  let watchdog: NodeJS.Timeout | undefined;
  const arm = () => {
    clearTimeout(watchdog);
    watchdog = setTimeout(() => {
      // Killed before announcing any scenario: blame the first one it was asked to run.
      run.timedOut = run.started.at(-1) ?? first ?? "(suite start-up)";
      child.kill("SIGKILL");
    }, timeoutMs);
  };
  const collect = (chunk: Buffer) => {
    const text = chunk.toString("utf8");
    run.outputTail = (run.outputTail + text).slice(-OUTPUT_TAIL_CHARS);
    for (const match of text.matchAll(SCENARIO_STARTED)) {
      if (match[1] !== undefined) run.started.push(match[1]);
      arm();
    }
  };
  child.stdout.on("data", collect);
  child.stderr.on("data", collect);
  arm();
  return new Promise((resolve, reject) => {
    child.once("error", reject);
    child.once("close", (code) => {
      clearTimeout(watchdog);
      run.exitCode = code;
      resolve(run);
    });
  });
}

/** Every server scenario the installed suite knows, in its own order. */
export async function listServerScenarios(timeoutMs = DEFAULT_TIMEOUT_MS): Promise<string[]> {
  const run = await runSuite(["list", "--server"], timeoutMs);
  const names = [...run.outputTail.matchAll(/^ {2}- (\S+)/gm)].map((m) => m[1] ?? "");
  if (run.exitCode !== 0 || names.length === 0) {
    throw new SophiaError("INTERNAL", `'conformance list --server' listed no scenarios`, {
      hint: run.outputTail,
    });
  }
  return names;
}

async function readChecks(dir: string, scenario: string): Promise<Check[] | undefined> {
  // The suite writes DIR/server-<scenario>-<ISO timestamp>/checks.json.
  const prefix = `server-${scenario}-`;
  const entry = (await readdir(dir)).find(
    (name) => name.startsWith(prefix) && /^\d{4}-/.test(name.slice(prefix.length)),
  );
  if (entry === undefined) return undefined;
  // The folder exists from the scenario's start; checks.json only once it finished.
  const text = await readFile(join(dir, entry, "checks.json"), "utf8").catch(() => undefined);
  return text === undefined ? undefined : (JSON.parse(text) as Check[]);
}

function judge(scenario: string, checks: Check[] | undefined, run: SuiteRun, timeoutMs: number) {
  const warnings: string[] = [];
  if (run.timedOut === scenario) {
    return { failures: [`timed out after ${timeoutMs} ms`], warnings };
  }
  if (checks === undefined || checks.length === 0) {
    const tail = run.outputTail.trim().split("\n").slice(-3).join(" | ");
    return { failures: [`the suite recorded no checks (exit ${run.exitCode}): ${tail}`], warnings };
  }
  const describe = (c: Check) => `${c.id}: ${c.errorMessage ?? c.description ?? c.status}`;
  const failures = checks.filter((c) => c.status === "FAILURE").map(describe);
  warnings.push(...checks.filter((c) => c.status === "WARNING").map((c) => c.id));
  return { failures, warnings };
}

function verdictOf(failed: boolean, expected: boolean): Verdict {
  if (expected) return failed ? "XFAIL" : "XPASS";
  return failed ? "FAIL" : "PASS";
}

interface Judged {
  scenario: string;
  failures: string[];
  warnings: string[];
}

/**
 * Runs `batch` in one suite process: the whole list via `--suite all` (one start-up instead of
 * one per scenario), else a single `--scenario`. Returns the scenarios judged, which stop at the
 * one that timed out; the rest are left for the caller to run again.
 */
async function runBatch(url: string, batch: string[], dir: string, timeoutMs: number) {
  const args = batch.length > 1 ? ["--suite", "all"] : ["--scenario", batch[0] ?? ""];
  const run = await runSuite(["server", "--url", url, ...args, "-o", dir], timeoutMs, batch[0]);
  const cut = run.timedOut === undefined ? batch.length : batch.indexOf(run.timedOut) + 1;
  const judged: Judged[] = [];
  // At least one scenario per run, so the caller always makes progress.
  for (const scenario of batch.slice(0, Math.max(cut, 1))) {
    judged.push({ scenario, ...judge(scenario, await readChecks(dir, scenario), run, timeoutMs) });
  }
  return judged;
}

export async function runConformance(options: ConformanceOptions): Promise<ConformanceSummary> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const all = await listServerScenarios(timeoutMs);
  const wanted = options.scenarios ?? all;
  const listed = [...(options.expectedFailures?.keys() ?? [])];
  const unknown = [...wanted, ...listed].filter((s) => !all.includes(s));
  if (unknown.length > 0) {
    throw new SophiaError("USAGE", `Unknown conformance scenario(s): ${unknown.join(", ")}`, {
      hint: `Known server scenarios: ${all.join(", ")}`,
    });
  }
  const dir = await mkdtemp(join(tmpdir(), "sophia-conformance-"));
  const results: ScenarioResult[] = [];
  try {
    let pending = [...wanted];
    while (pending.length > 0) {
      // `--suite all` runs the suite's full list, so only an unfiltered run can batch.
      const batch = pending.length === all.length ? pending : pending.slice(0, 1);
      for (const judged of await runBatch(options.url, batch, dir, timeoutMs)) {
        const expectedReason = options.expectedFailures?.get(judged.scenario);
        const verdict = verdictOf(judged.failures.length > 0, expectedReason !== undefined);
        const result = { ...judged, verdict, ...(expectedReason && { expectedReason }) };
        results.push(result);
        options.onResult?.(result);
        pending = pending.filter((s) => s !== judged.scenario);
      }
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  const count = (...verdicts: Verdict[]) =>
    results.filter((r) => verdicts.includes(r.verdict)).length;
  return {
    results,
    passed: count("PASS"),
    failed: count("FAIL", "XPASS"),
    expectedFailures: count("XFAIL"),
  };
}

export function formatResult(result: ScenarioResult): string {
  const head = `${result.verdict.padEnd(5)} ${result.scenario}`;
  const warned = result.warnings.length > 0 ? ` (warnings: ${result.warnings.join(", ")})` : "";
  switch (result.verdict) {
    case "PASS":
      return head + warned;
    case "FAIL":
      return `${head}: ${result.failures.join("; ")}`;
    case "XFAIL":
      return `${head} [expected: ${result.expectedReason}]: ${result.failures.join("; ")}`;
    case "XPASS":
      return `${head}: unexpected pass, remove it from the expected failures (it was listed because: ${result.expectedReason})`;
  }
}

export function formatSummary(summary: ConformanceSummary): string {
  return `conformance: ${summary.passed} passed, ${summary.failed} failed`;
}

const ExpectedFailuresFile = z.array(
  z.object({ scenario: z.string().min(1), reason: z.string().min(1) }).strict(),
);

export async function loadExpectedFailures(path: string): Promise<Map<string, string>> {
  let parsed: z.infer<typeof ExpectedFailuresFile>;
  try {
    parsed = ExpectedFailuresFile.parse(JSON.parse(await readFile(path, "utf8")));
  } catch (error) {
    throw new SophiaError(
      "CONFIG_INVALID",
      `Expected-failures file ${path} is unreadable or invalid`,
      {
        hint: `Write a JSON list like [{"scenario": "dns-rebinding-protection", "reason": "why"}]. ${errorMessage(error)}`,
        cause: error,
      },
    );
  }
  return new Map(parsed.map((entry) => [entry.scenario, entry.reason]));
}

async function main(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      url: { type: "string" },
      scenario: { type: "string", multiple: true },
      "expected-failures": { type: "string" },
      "timeout-ms": { type: "string" },
    },
  });
  const timeoutMs = Number(values["timeout-ms"] ?? DEFAULT_TIMEOUT_MS);
  if (values.url === undefined || !Number.isInteger(timeoutMs) || timeoutMs <= 0) {
    throw new SophiaError(
      "USAGE",
      "--url URL is required (and --timeout-ms must be a positive integer)",
      {
        hint: "usage: conformance.ts --url URL [--scenario NAME]... [--expected-failures FILE] [--timeout-ms N]",
      },
    );
  }
  const file = values["expected-failures"];
  const summary = await runConformance({
    url: values.url,
    ...(values.scenario && { scenarios: values.scenario.flatMap((s) => s.split(",")) }),
    ...(file !== undefined && { expectedFailures: await loadExpectedFailures(file) }),
    timeoutMs,
    onResult: (result) => console.log(formatResult(result)),
  });
  if (summary.expectedFailures > 0)
    console.log(`(${summary.expectedFailures} expected failures not counted)`);
  console.log(formatSummary(summary));
  return summary.failed > 0 ? 1 : 0;
}

if (import.meta.main) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error: unknown) => {
      console.error(`conformance: ${errorMessage(error)}`);
      if (error instanceof SophiaError && error.hint) console.error(error.hint);
      process.exit(error instanceof SophiaError && error.code === "USAGE" ? 2 : 1);
    },
  );
}
