/** JSON-RPC and MCP wire error codes. Only the edges map local errors to these. */
export const PARSE_ERROR = -32700;
export const INVALID_REQUEST = -32600;
export const METHOD_NOT_FOUND = -32601;
export const INVALID_PARAMS = -32602;
export const INTERNAL_ERROR = -32603;
/** MCP: resource not found. */
export const RESOURCE_NOT_FOUND = -32002;
/** Implementation-defined server errors (-32000..-32099) used by the gateway. */
export const UPSTREAM_UNAVAILABLE = -32001;
export const UPSTREAM_TIMEOUT = -32003;
export const UPSTREAM_OVERLOADED = -32004;
export const SESSION_NOT_FOUND = -32005;
/** The request was cancelled by the client. */
export const REQUEST_CANCELLED = -32800;
