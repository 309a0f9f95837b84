/**
 * Configuration text to `SophiaConfig`: parse, detect the layout, interpolate
 * `${VAR}` on the value tree, validate, apply defaults. Pure (no file or
 * environment access), so tests and hot reload call it directly.
 */
import { ConfigError } from "./config-error.ts";
import { DEFAULTS, defaultGateway } from "./defaults.ts";
import { detectLayout } from "./detect.ts";
import { editorResolver } from "./editor-variables.ts";
import { readGateway, readLog } from "./gateway.ts";
import { envResolver, type InterpolationProblem, interpolateTree } from "./interpolate.ts";
import { type ConfigIssue, IssueList } from "./issues.ts";
import type { Locate } from "./locate.ts";
import { type ClientSection, projectClientFile, readClientServers } from "./mcp-servers-json.ts";
import { checkPrefixes } from "./names.ts";
import { rememberOrigin } from "./section.ts";
import { readServers } from "./servers.ts";
import { parseSource, type Syntax } from "./source.ts";
import type { SophiaConfig } from "./types.ts";
import { isPlainObject, withoutNulls } from "./values.ts";

export interface ParseConfigOptions {
  /** Where the text came from: named in every message, anchors relative `cwd` values. */
  file: string;
  env: Record<string, string | undefined>;
  /** Skips detection: `json` also strips JSONC comments. */
  format?: Syntax;
}

interface Context {
  file: string;
  env: Record<string, string | undefined>;
  locate: Locate;
}

const TOP_KEYS = ["gateway", "servers", "log", "flows", "deploy"];

/** @throws ConfigError (a SophiaError) with code CONFIG_INVALID or CONFIG_ENV_MISSING. */
export function parseConfigText(text: string, options: ParseConfigOptions): SophiaConfig {
  const source = parseSource(text, options.format);
  if (!source.ok) throw new ConfigError("CONFIG_INVALID", options.file, source.issues);
  const context: Context = { file: options.file, env: options.env, locate: source.locate };
  const top = source.value ?? {};
  if (!isPlainObject(top)) {
    const found = new IssueList().describe(top, []);
    const message = `expected a mapping at the top level (with "servers", or "mcpServers"), found ${found}`;
    throw fail("CONFIG_INVALID", [{ path: [], message }], context);
  }
  const layout = detectLayout(top);
  if (layout === "sophia") return readSophia(top, context);
  return readClient(top, layout === "vscode" ? "servers" : "mcpServers", context);
}

function readSophia(top: Record<string, unknown>, context: Context): SophiaConfig {
  const interpolated = interpolateTree(top, envResolver(context.env));
  checkInterpolation(interpolated.problems, context);
  const tree = withoutNulls(interpolated.value) as Record<string, unknown>;
  const issues = new IssueList(interpolated.substituted);
  for (const key of Object.keys(tree))
    if (!TOP_KEYS.includes(key)) issues.unknownKey([key], TOP_KEYS);
  const gateway = readGateway(tree.gateway, issues);
  const log = readLog(tree.log, issues);
  const servers = readServers(tree.servers, context.file, issues);
  checkPrefixes(servers, gateway.separator, "servers", issues);
  const flows = readOpenSection(tree, "flows", issues);
  const deploy = readOpenSection(tree, "deploy", issues);
  if (issues.items.length > 0) throw fail("CONFIG_INVALID", issues.items, context);
  const config: SophiaConfig = {
    file: context.file,
    format: "sophia",
    gateway,
    servers,
    log,
    flows,
    deploy,
  };
  return rememberOrigin(config, { locate: context.locate, substituted: interpolated.substituted });
}

/** `flows` and `deploy` belong to other parts, which validate their contents. */
function readOpenSection(
  tree: Record<string, unknown>,
  key: string,
  issues: IssueList,
): Record<string, unknown> {
  const value = tree[key];
  if (value === undefined) return {};
  if (isPlainObject(value)) return value;
  issues.expected([key], "expected a mapping", value);
  return {};
}

function readClient(
  top: Record<string, unknown>,
  section: ClientSection,
  context: Context,
): SophiaConfig {
  const shape = new IssueList();
  const projected = projectClientFile(top, section, shape);
  if (shape.items.length > 0) throw fail("CONFIG_INVALID", shape.items, context);
  const interpolated = interpolateTree(
    { [section]: projected },
    editorResolver(context.env, context.file),
  );
  checkInterpolation(interpolated.problems, context);
  const entries =
    (interpolated.value as Record<string, Record<string, Record<string, unknown>>>)[section] ?? {};
  const issues = new IssueList(interpolated.substituted);
  const servers = readClientServers(entries, section, context.file, issues);
  checkPrefixes(servers, DEFAULTS.separator, section, issues);
  if (issues.items.length > 0) throw fail("CONFIG_INVALID", issues.items, context);
  return {
    file: context.file,
    format: "mcpServers",
    gateway: defaultGateway(),
    servers,
    log: { level: DEFAULTS.logLevel },
    flows: {},
    deploy: {},
  };
}

/** Unset variables are CONFIG_ENV_MISSING, unless a malformed `${…}` makes the file itself wrong. */
function checkInterpolation(problems: InterpolationProblem[], context: Context): void {
  if (problems.length === 0) return;
  const issues = problems.map((problem): ConfigIssue => {
    if (problem.kind === "syntax") return { path: problem.path, message: problem.message };
    const hint = problem.hint === undefined ? "" : ` (${problem.hint})`;
    return {
      path: problem.path,
      message: `environment variable ${problem.variable} is not set${hint}`,
    };
  });
  const malformed = problems.some((problem) => problem.kind === "syntax");
  throw fail(malformed ? "CONFIG_INVALID" : "CONFIG_ENV_MISSING", issues, context);
}

/** Positions every issue in the file and orders them as they appear in it. */
function fail(
  code: "CONFIG_INVALID" | "CONFIG_ENV_MISSING",
  issues: ConfigIssue[],
  context: Context,
): ConfigError {
  const located = issues.map((issue) => ({ ...context.locate(issue.path), ...issue }));
  const order = (issue: ConfigIssue) => issue.line ?? Number.MAX_SAFE_INTEGER;
  located.sort((a, b) => order(a) - order(b) || (a.column ?? 0) - (b.column ?? 0));
  return new ConfigError(code, context.file, located);
}
