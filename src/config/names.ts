/**
 * Server names and prefixes end up in tool names (`<prefix><separator><tool>`)
 * and URLs, so they are restricted, and the gateway must be able to split an
 * aggregated name back at the first separator without ambiguity.
 */
import type { IssueList } from "./issues.ts";
import type { ServerConfig } from "./types.ts";

export const NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_-]{0,31}$/;
const NAME_RULE = 'use 1 to 32 letters, digits, "_" or "-", starting with a letter or digit';

/** Reports a bad server key; the caller skips the entry so odd keys never reach an object. */
export function checkServerName(name: string, section: string, issues: IssueList): boolean {
  if (NAME_PATTERN.test(name)) return true;
  const fixed = name
    .replaceAll(/[^A-Za-z0-9_-]+/g, "-")
    .replace(/^[-_]+/, "")
    .slice(0, 32);
  const example = NAME_PATTERN.test(fixed) ? ` (e.g. "${fixed}")` : "";
  issues.add([section, name], `invalid server name: ${NAME_RULE}${example}`);
  return false;
}

/** Separator conflicts and duplicate prefixes, once the separator is known. */
export function checkPrefixes(
  servers: Record<string, ServerConfig>,
  separator: string,
  section: string,
  issues: IssueList,
): void {
  const owners = new Map<string, string>();
  for (const [name, server] of Object.entries(servers)) {
    const custom = server.prefix !== name;
    const prefixPath = custom ? [section, name, "prefix"] : [section, name];
    if (splitsEarly(name, separator)) {
      const how = name.includes(separator) ? "contains" : "ends with part of";
      issues.add([section, name], `server name ${how} the separator "${separator}"; rename it`);
    }
    if (custom && !NAME_PATTERN.test(server.prefix)) {
      issues.expected(
        prefixPath,
        `expected a prefix that follows the name rule: ${NAME_RULE}`,
        server.prefix,
      );
    } else if (custom && splitsEarly(server.prefix, separator)) {
      issues.add(
        prefixPath,
        `prefix contains the separator "${separator}" or ends with part of it`,
      );
    }
    const owner = owners.get(server.prefix);
    if (owner === undefined) owners.set(server.prefix, name);
    else
      issues.add(
        prefixPath,
        `prefix "${server.prefix}" is already used by server "${owner}"; set a different "prefix"`,
      );
  }
}

/** True when `<prefix><separator>` would be split before the end of the prefix. */
function splitsEarly(prefix: string, separator: string): boolean {
  return `${prefix}${separator}`.indexOf(separator) !== prefix.length;
}
