/**
 * Every `sophia` command. Each is loaded only when run, so `sophia gateway`
 * never pays for the stack generator's or the flow engine's imports.
 * A command returns its exit code; it throws a SophiaError for anything the
 * user must fix, which `main` prints with its hint.
 */
import type { Io } from "./io.ts";

export type Command = (args: string[], io: Io) => Promise<number>;

export interface CommandEntry {
  /** One line for `sophia --help`. */
  summary: string;
  load(): Promise<Command>;
}

export const COMMANDS: Record<string, CommandEntry> = {
  up: {
    summary: "Run everything in one process from sophia.yaml (or embedded defaults)",
    load: async () => (await import("./serve-command.ts")).upCommand,
  },
  gateway: {
    summary: "Run the MCP gateway only (sophia.yaml or a client-style mcpServers JSON file)",
    load: async () => (await import("./serve-command.ts")).gatewayCommand,
  },
  keys: {
    summary: "Create, list and revoke the gateway's API keys",
    load: async () => (await import("./keys.ts")).keysCommand,
  },
  tools: {
    summary: "List tool definitions pinned by the gateway and approve the ones that changed",
    load: async () => (await import("./tools-admin.ts")).toolsCommand,
  },
  stack: {
    summary: "Generate deployment files (Compose, Dockerfiles, workflows, Pulumi) from sophia.yaml",
    load: async () => (await import("./stack/command.ts")).stackCommand,
  },
  lint: {
    summary:
      "Check Dockerfiles and Compose files (merged with overrides) for security and build mistakes",
    load: async () => (await import("./lint.ts")).lintCommand,
  },
  flow: {
    summary: "Change data capture: run flows, status, backfill, dead letters, export",
    load: async () => (await import("./flow/command.ts")).flowCommand,
  },
};
