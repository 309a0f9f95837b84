/** Sophia's version: in MCP server info, `sophia --version` and generated files. Kept in step with package.json. */
export const SOPHIA_VERSION = "0.1.0";
