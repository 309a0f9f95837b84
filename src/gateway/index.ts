/** The gateway's public surface. Other parts use only what is exported here. */
export { Gateway, type GatewayOptions, type UpstreamFactory } from "./gateway.ts";
export { GATEWAY_VERSION } from "./mcp/initialize.ts";
export { StdioServer } from "./stdio/stdio-server.ts";
export type {
  BuiltinConnect,
  BuiltinPeer,
  BuiltinRegistry,
  BuiltinServer,
  BuiltinSpec,
} from "./upstream/builtin-transport.ts";
export type {
  CallContext,
  CallOutcome,
  Upstream,
  UpstreamInfo,
  UpstreamState,
} from "./upstream/types.ts";
