/** The upstream side of the gateway: connections to MCP servers, shared by every client. */
export { type BackoffPolicy, backoffDelay, DEFAULT_BACKOFF } from "./backoff.ts";
export { isCancelled } from "./call-errors.ts";
export { Connection, type ConnectionOptions } from "./connection.ts";
export { createUpstream } from "./create-upstream.ts";
export { CLIENT_INFO, PROTOCOL_VERSION, SUPPORTED_PROTOCOL_VERSIONS } from "./handshake.ts";
export { type HttpTransportOptions, StreamableHttpTransport } from "./http-transport.ts";
export { LegacySseTransport, type SseTransportOptions } from "./sse-transport.ts";
export { StdioTransport, type StdioTransportOptions } from "./stdio-transport.ts";
export type {
  CallContext,
  CallOutcome,
  Upstream,
  UpstreamInfo,
  UpstreamState,
  UpstreamTransport,
} from "./types.ts";
export { ManagedUpstream, type ManagedUpstreamOptions, type ReplicaStatus } from "./upstream.ts";
