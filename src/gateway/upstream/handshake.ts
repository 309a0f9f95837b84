import { SophiaError } from "../../shared/errors.ts";
import type { Params } from "../jsonrpc/messages.ts";
import type { UpstreamInfo } from "./types.ts";

/** The revision we ask for; the server may answer with an older one it supports. */
export const PROTOCOL_VERSION = "2025-11-25";
export const SUPPORTED_PROTOCOL_VERSIONS: readonly string[] = [
  "2024-11-05",
  "2025-03-26",
  "2025-06-18",
  "2025-11-25",
];
export const CLIENT_INFO = { name: "sophia-gateway", version: "0.1.0" };

/**
 * The gateway declares every client capability any downstream client might
 * have, because one upstream connection serves all of them; a request the
 * calling client cannot serve is answered with an error for that call only.
 */
export function initializeParams(): Params {
  return {
    protocolVersion: PROTOCOL_VERSION,
    capabilities: {
      sampling: {},
      elicitation: { form: {}, url: {} },
      roots: { listChanged: true },
    },
    clientInfo: CLIENT_INFO,
  };
}

/** Checks an `initialize` result and extracts what the gateway needs from it. */
export function readInitializeResult(
  server: string,
  result: Record<string, unknown>,
): UpstreamInfo {
  const version = result.protocolVersion;
  if (typeof version !== "string" || !SUPPORTED_PROTOCOL_VERSIONS.includes(version)) {
    throw new SophiaError(
      "UPSTREAM_PROTOCOL",
      `server ${server} answered initialize with protocol version ${JSON.stringify(version)}, which the gateway does not speak (it speaks ${SUPPORTED_PROTOCOL_VERSIONS.join(", ")})`,
      { hint: "upgrade the server or its MCP SDK" },
    );
  }
  const capabilities = isObject(result.capabilities) ? result.capabilities : {};
  const serverInfo = isObject(result.serverInfo) ? result.serverInfo : {};
  const info: UpstreamInfo = {
    protocolVersion: version,
    capabilities,
    serverInfo: {
      ...serverInfo,
      name: typeof serverInfo.name === "string" ? serverInfo.name : server,
      version: typeof serverInfo.version === "string" ? serverInfo.version : "unknown",
    },
  };
  if (typeof result.instructions === "string") info.instructions = result.instructions;
  return info;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Runs the start-up of server `name` within `limit` ms, or fails with a hint. */
export async function withinConnectTimeout<T>(
  name: string,
  limit: number,
  task: Promise<T>,
): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      reject(
        new SophiaError(
          "UPSTREAM_TIMEOUT",
          `server ${name} did not start and initialize within ${limit} ms`,
          {
            hint: `check that the server starts on its own, or raise connectTimeout for server ${name}`,
          },
        ),
      );
    }, limit);
  });
  try {
    return await Promise.race([task, deadline]);
  } finally {
    clearTimeout(timer);
  }
}
