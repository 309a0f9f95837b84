/** JSON-RPC code for a call to a tool whose definition changed and is not approved (pinning mode "block"). */
export const TOOL_DEFINITION_CHANGED = -32035;
