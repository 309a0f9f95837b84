/**
 * JSON-RPC codes for security refusals (implementation-defined range; the
 * gateway's other codes are in jsonrpc/codes.ts). docs/security.md lists them.
 */
/** No or invalid credentials (HTTP 401). */
export const UNAUTHENTICATED = -32031;
/** Authenticated but not allowed here: missing scope, another caller's session (HTTP 403). */
export const FORBIDDEN = -32032;
/** A policy rule denied this tool call, prompt or resource (HTTP 200, JSON-RPC error). */
export const POLICY_DENIED = -32030;
