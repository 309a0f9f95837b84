import { COMMANDS } from "./commands.ts";

/** `sophia --help`: the command list comes from the registry, so a new command is listed by adding it there. */
export function mainHelp(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((name) => name.length)) + 2;
  const lines = Object.entries(COMMANDS).map(
    ([name, entry]) => `  ${name.padEnd(width)}${entry.summary}`,
  );
  return `sophia — MCP gateway, change data capture and deployment for AI systems

Usage: sophia <command> [options]

Commands:
${lines.join("\n")}

Options:
  -h, --help       Show help (also: sophia <command> --help)
  -v, --version    Print the version

Configuration: ./sophia.yaml when present; see docs/configuration.md.
Exit codes: 0 ok, 1 runtime failure, 2 usage error, 3 configuration error, 4 cannot listen.`;
}

/** Help texts: one per command, printed by `--help` and on usage errors. */
export const HELP: Record<string, string> = {
  up: `sophia up — run every part of Sophia in one process

Usage: sophia up [--config FILE] [--host HOST] [--port PORT] [--log-level LEVEL]

Reads FILE, else ./sophia.yaml, else runs on embedded defaults (gateway on
127.0.0.1:8080, no upstream servers). Stops gracefully on Ctrl-C or SIGTERM.

Options:
  -c, --config FILE      sophia.yaml, or an mcpServers JSON file
      --host HOST        Interface to listen on (default from config: 127.0.0.1)
  -p, --port PORT        Port to listen on (default from config: 8080)
      --log-level LEVEL  fatal, error, warn, info, debug, trace or silent
  -h, --help             Show this help`,

  gateway: `sophia gateway — run the MCP gateway

Usage: sophia gateway [--config FILE] [--host HOST] [--port PORT] [--stdio]

Serves every configured MCP server behind one endpoint:
  POST/GET/DELETE /mcp                 all servers, names as <server>__<name>
  POST/GET/DELETE /servers/<name>/mcp  one server, unchanged
  GET  /v1/tools, POST /v1/tools/<server>/<tool>, GET /openapi.json
  GET  /healthz, /readyz, /metrics

FILE may be sophia.yaml or the JSON file MCP clients use
({"mcpServers": {...}}, as Claude Desktop, Cursor and VS Code write it).

Options:
  -c, --config FILE      Configuration file (default ./sophia.yaml)
      --host HOST        Interface to listen on (default 127.0.0.1)
  -p, --port PORT        Port to listen on (default 8080; 0 picks a free one)
      --stdio            Serve the aggregated gateway over stdin/stdout instead of HTTP
      --log-level LEVEL  fatal, error, warn, info, debug, trace or silent (logs go to stderr)
  -h, --help             Show this help`,
};
