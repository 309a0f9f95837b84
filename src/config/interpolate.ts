/**
 * `${VAR}` substitution in string values. It runs on the parsed value tree, so
 * a substituted value is always exactly one string: it can never add keys,
 * list items or YAML syntax, and it is never substituted again.
 *
 *   ${NAME}            the variable; unset is an error
 *   ${NAME:-default}   the default when NAME is unset or empty (as in a shell)
 *   $${                a literal `${`
 */
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

/** Environment lookup for `sophia.yaml`: plain variable names only. */
export function envResolver(env: Record<string, string | undefined>): Resolve {
  return (name) => {
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
