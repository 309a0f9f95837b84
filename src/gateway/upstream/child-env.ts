/**
 * Variables a child inherits from the gateway. Anything else (tokens, cloud
 * credentials, NODE_OPTIONS) must be given to the server explicitly in its
 * `env`, so one server's secrets never leak into another's process.
 */
const INHERITED = [
  "PATH",
  "HOME",
  "USER",
  "LOGNAME",
  "SHELL",
  "LANG",
  "LC_ALL",
  "LC_CTYPE",
  "TERM",
  "TMPDIR",
  "TZ",
  // Windows needs these to start almost anything.
  "SystemRoot",
  "SYSTEMDRIVE",
  "windir",
  "COMSPEC",
  "PATHEXT",
  "TEMP",
  "TMP",
  "USERNAME",
  "USERPROFILE",
  "HOMEDRIVE",
  "HOMEPATH",
  "APPDATA",
  "LOCALAPPDATA",
  "ProgramFiles",
];

/**
 * The environment of a stdio server: the minimal inherited set, then the
 * server's configured variables over it. `parent` is the gateway's own
 * environment; this is the one place the upstream part reads it.
 */
export function childEnv(
  configured: Record<string, string>,
  parent: NodeJS.ProcessEnv = process.env,
): Record<string, string> {
  const env: Record<string, string> = {};
  for (const key of INHERITED) {
    const value = parent[key];
    if (value !== undefined) env[key] = value;
  }
  return Object.assign(env, configured);
}
