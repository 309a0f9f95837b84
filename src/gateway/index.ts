/** The gateway's public surface. Other parts use only what is exported here. */
export { Gateway, type GatewayOptions, type UpstreamFactory } from "./gateway.ts";
export { StdioServer } from "./stdio/stdio-server.ts";
export { GATEWAY_VERSION } from "./mcp/initialize.ts";
export type { Upstream, UpstreamInfo, UpstreamState, CallContext, CallOutcome } from "./upstream/types.ts";
