/** A location inside the configuration value tree: keys and list indexes. */
export type ConfigPath = readonly (string | number)[];

const PLAIN_KEY = /^[A-Za-z0-9_$-]+$/;

/** `servers.files.args[1]`; keys that would be ambiguous in dotted form are quoted: `env["A.B"]`. */
export function formatPath(path: ConfigPath): string {
  let out = "";
  for (const segment of path) {
    if (typeof segment === "number") out += `[${segment}]`;
    else if (PLAIN_KEY.test(segment)) out += out === "" ? segment : `.${segment}`;
    else out += `[${JSON.stringify(segment)}]`;
  }
  return out === "" ? "(top level)" : out;
}
