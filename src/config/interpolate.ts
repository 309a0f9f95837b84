/**
 * `${VAR}` substitution in string values. It runs on the parsed value tree, so
 * a substituted value is always exactly one string: it can never add keys,
 * list items or YAML syntax, and it is never substituted again.
 *
 *   ${NAME}            the variable; unset is an error
 *   ${NAME:-default}   the default when NAME is unset or empty (as in a shell)
 *   ${file:/abs/path}  the file's content, one trailing newline removed (Docker/Kubernetes secrets)
 *   ${secret:a.b.c}    left for the gateway's secret provider (gateway.secrets): see secretReference
 *   $${                a literal `${`
 */
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { isAbsolute } from "node:path";
import type { ConfigPath } from "./path.ts";
import { isPlainObject } from "./values.ts";

/** What a variable name resolves to. `unset` carries the environment variable to ask for. */
export type Lookup =
  | { kind: "value"; value: string }
  | { kind: "unset"; variable: string; hint?: string }
  | { kind: "invalid"; message: string };

export type Resolve = (name: string) => Lookup;

export type InterpolationProblem =
  | { kind: "missing"; path: ConfigPath; variable: string; hint: string | undefined }
  | { kind: "syntax"; path: ConfigPath; message: string };

export interface TreeResult {
  value: unknown;
  problems: InterpolationProblem[];
  /** Paths (as `JSON.stringify(path)`) whose string received a substitution: never echo them. */
  substituted: Set<string>;
}

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Environment lookup for `sophia.yaml`: variable names, `file:` and `secret:` references. */
export function envResolver(env: Record<string, string | undefined>): Resolve {
  return (name) => {
    if (name.startsWith("file:")) return readSecretFile(name.slice(5));
    if (name.startsWith("secret:")) return secretLookup(name.slice(7));
    if (!ENV_NAME.test(name)) {
      return {
        kind: "invalid",
        message: `"\${${name}}" is not a variable reference: names use letters, digits and _ and do not start with a digit (write $\${ for a literal \${)`,
      };
    }
    const value = env[name];
    return value === undefined ? { kind: "unset", variable: name } : { kind: "value", value };
  };
}

/**
 * `${file:/run/secrets/x}`: read when the configuration is loaded. The error
 * names the file and the reason, never any content.
 */
function readSecretFile(path: string): Lookup {
  if (!isAbsolute(path))
    return {
      kind: "invalid",
      message: `\${file:${path}} needs an absolute path (like \${file:/run/secrets/token})`,
    };
  try {
    return { kind: "value", value: readFileSync(path, "utf8").replace(/\r?\n$/, "") };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? "unreadable";
    const why =
      code === "ENOENT" ? "it does not exist" : code === "EACCES" ? "permission denied" : code;
    return {
      kind: "invalid",
      message: `cannot read the file ${path} named by \${file:…}: ${why} (check the path and that the file is mounted and readable)`,
    };
  }
}

const SECRET_PATH = /^[A-Za-z0-9_-]+(?:\.[A-Za-z0-9_-]+)*$/;

/**
 * A per-process nonce: a `${secret:…}` reference becomes a marker carrying it,
 * so text that arrives through `${VAR}` or `${file:…}` can never pose as a
 * reference (a substituted value is still never substituted again). The NUL
 * bytes make an unresolved marker fail loudly in a header or environment.
 */
const SECRET_NONCE = randomBytes(12).toString("hex");
const SECRET_MARKER = new RegExp(`\u0000secret:${SECRET_NONCE}:([^\u0000]+)\u0000`, "g");

/** The marker a `${secret:path}` reference leaves in the loaded configuration. */
export function secretReference(path: string): string {
  return `\u0000secret:${SECRET_NONCE}:${path}\u0000`;
}

/** Secret paths referenced in `text`, in order (empty when none). */
export function secretPaths(text: string): string[] {
  return [...text.matchAll(SECRET_MARKER)].map((match) => match[1]!);
}

/** Replaces each secret reference in `text` with `lookup(path)`. */
export function fillSecrets(text: string, lookup: (path: string) => string): string {
  return text.replace(SECRET_MARKER, (_marker, path: string) => lookup(path));
}

function secretLookup(path: string): Lookup {
  if (!SECRET_PATH.test(path))
    return {
      kind: "invalid",
      message: `"\${secret:${path}}" is not a secret reference: use a dotted path like \${secret:github.token}`,
    };
  return { kind: "value", value: secretReference(path) };
}

/** Makes `text` come out of interpolation unchanged. */
export function escapeInterpolation(text: string): string {
  // A function replacement: in a replacement string `$$` would itself mean "$".
  return text.replaceAll("${", () => "$${");
}

export function interpolateString(
  text: string,
  resolve: Resolve,
  path: ConfigPath = [],
): { value: string; substituted: boolean; problems: InterpolationProblem[] } {
  const problems: InterpolationProblem[] = [];
  let out = "";
  let substituted = false;
  let index = 0;
  while (index < text.length) {
    if (text.startsWith("$${", index)) {
      out += "${";
      index += 3;
    } else if (text.startsWith("${", index)) {
      const close = text.indexOf("}", index + 2);
      if (close === -1) {
        problems.push({
          kind: "syntax",
          path,
          message: "unterminated ${ (write $${ for a literal ${)",
        });
        return { value: out + text.slice(index), substituted, problems };
      }
      const body = text.slice(index + 2, close);
      out += substitute(body, resolve, path, problems);
      substituted = true;
      index = close + 1;
    } else {
      out += text[index];
      index += 1;
    }
  }
  return { value: out, substituted, problems };
}

function substitute(
  body: string,
  resolve: Resolve,
  path: ConfigPath,
  problems: InterpolationProblem[],
): string {
  const split = body.indexOf(":-");
  const name = split === -1 ? body : body.slice(0, split);
  const fallback = split === -1 ? undefined : body.slice(split + 2);
  const found = resolve(name);
  if (found.kind === "invalid") {
    problems.push({ kind: "syntax", path, message: found.message });
    return "";
  }
  if (found.kind === "value" && (found.value !== "" || fallback === undefined)) return found.value;
  if (fallback !== undefined) return fallback;
  if (found.kind === "unset")
    problems.push({ kind: "missing", path, variable: found.variable, hint: found.hint });
  return "";
}

/** Interpolates every string value (never keys) of a JSON-like tree. */
export function interpolateTree(
  value: unknown,
  resolve: Resolve,
  path: ConfigPath = [],
): TreeResult {
  const result: TreeResult = { value: undefined, problems: [], substituted: new Set() };
  result.value = walk(value, path, resolve, result);
  return result;
}

function walk(value: unknown, path: ConfigPath, resolve: Resolve, result: TreeResult): unknown {
  if (typeof value === "string") {
    const done = interpolateString(value, resolve, path);
    result.problems.push(...done.problems);
    if (done.substituted) result.substituted.add(JSON.stringify(path));
    return done.value;
  }
  if (Array.isArray(value))
    return value.map((item, index) => walk(item, [...path, index], resolve, result));
  if (isPlainObject(value)) {
    // fromEntries defines own properties, so a `__proto__` key stays a plain key.
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [
        key,
        walk(item, [...path, key], resolve, result),
      ]),
    );
  }
  return value;
}
