/**
 * The gateway's REST façade (`GET /v1/tools`, `POST /v1/tools/<server>/<tool>`) seen
 * from a node: one request helper and the mapping of its answers to n8n errors.
 */
import {
  type IDataObject,
  type IExecuteFunctions,
  type IHttpRequestMethods,
  type ILoadOptionsFunctions,
  type JsonObject,
  NodeApiError,
} from "n8n-workflow";

export const CREDENTIAL = "sophiaApi";

export interface GatewayAnswer {
  status: number;
  headers: Record<string, unknown>;
  body: unknown;
}

export interface GatewayTool {
  server: string;
  name: string;
  description?: string;
  inputSchema?: IDataObject;
  path?: string;
}

type Context = IExecuteFunctions | ILoadOptionsFunctions;

function baseUrl(url: unknown): string {
  return String(url ?? "").replace(/\/+$/, "");
}

/** Sends one request with the credential's API key; any HTTP status comes back as an answer. */
export async function gatewayRequest(
  ctx: Context,
  method: IHttpRequestMethods,
  path: string,
  body?: IDataObject,
  itemIndex = 0,
): Promise<GatewayAnswer> {
  const credentials = await ctx.getCredentials(CREDENTIAL);
  const url = `${baseUrl(credentials.url)}${path}`;
  try {
    const response = await ctx.helpers.httpRequestWithAuthentication.call(ctx, CREDENTIAL, {
      method,
      url,
      ...(body === undefined ? {} : { body }),
      json: true,
      returnFullResponse: true,
      ignoreHttpStatusErrors: true,
    });
    return {
      status: Number(response.statusCode),
      headers: (response.headers ?? {}) as Record<string, unknown>,
      body: response.body,
    };
  } catch (error) {
    throw new NodeApiError(ctx.getNode(), error as JsonObject, {
      message: `Cannot reach the Sophia gateway at ${baseUrl(credentials.url)}`,
      description: `${method} ${path} failed before an answer: ${(error as Error).message}. Check the credential's Gateway URL and that the gateway is running.`,
      itemIndex,
    });
  }
}

/** The `{error:{code,message}}` of a gateway error answer, when it has one. */
function errorOf(body: unknown): { code?: string; message?: string } {
  if (typeof body === "object" && body !== null && "error" in body) {
    const error = (body as { error: unknown }).error;
    if (typeof error === "object" && error !== null)
      return error as { code?: string; message?: string };
    if (typeof error === "string") return { message: error };
  }
  return {};
}

/** The text parts of a tool result, joined by new lines. */
export function resultText(body: unknown): string {
  const content = (body as { content?: unknown } | null)?.content;
  if (!Array.isArray(content)) return "";
  return content
    .filter((part) => part?.type === "text" && typeof part.text === "string")
    .map((part) => part.text as string)
    .join("\n");
}

const WHAT_TO_DO: Record<number, string> = {
  401: "The gateway needs a valid API key: check the credential's API Key (`sophia keys list`).",
  403: "The API key is valid but a gateway policy does not allow this call.",
  404: "Unknown server or tool: the Tool > List Tools operation shows what the gateway serves.",
  409: "The tool's definition changed since it was approved: `sophia tools approve` it again.",
  422: "The tool ran and reported an error: its message is above.",
  429: "The gateway's rate limit was reached: retry later (enable Retry On Fail on this node).",
  502: "The upstream MCP server answered with an error the gateway could not pass on.",
  503: "The upstream MCP server is unavailable (starting, restarting or overloaded).",
  504: "The tool did not answer within its timeout.",
};

/** The n8n error for a non-2xx gateway answer to `what` (for example `tool fx/echo`). */
export function answerError(
  ctx: Context,
  answer: GatewayAnswer,
  what: string,
  itemIndex: number,
): NodeApiError {
  const { status, body } = answer;
  const error = errorOf(body);
  let message = error.message ?? (status === 422 ? resultText(body) : "");
  if (message === "") message = typeof body === "string" && body !== "" ? body : `HTTP ${status}`;
  let description = WHAT_TO_DO[status] ?? `The gateway answered HTTP ${status}.`;
  const retryAfter = answer.headers["retry-after"];
  if (status === 429 && retryAfter !== undefined)
    description = `Retry after ${String(retryAfter)} s. ${description}`;
  const code = error.code ?? (status === 422 ? "TOOL_ERROR" : `HTTP_${status}`);
  const response: JsonObject = { status, code, message };
  return new NodeApiError(ctx.getNode(), response, {
    message: `Sophia ${what}: ${message} (${code}, HTTP ${status})`,
    description,
    httpCode: String(status),
    itemIndex,
  });
}

/** `GET /v1/tools`: every tool the credential's caller may see. */
export async function listTools(ctx: Context, itemIndex = 0): Promise<GatewayTool[]> {
  const answer = await gatewayRequest(ctx, "GET", "/v1/tools", undefined, itemIndex);
  if (answer.status !== 200) throw answerError(ctx, answer, "list tools", itemIndex);
  const tools = (answer.body as { tools?: unknown } | null)?.tools;
  return Array.isArray(tools) ? (tools as GatewayTool[]) : [];
}

/** `POST /v1/tools/<server>/<tool>`: the tool's result, or an error for any other status than 200. */
export async function callTool(
  ctx: IExecuteFunctions,
  server: string,
  tool: string,
  args: IDataObject,
  itemIndex: number,
): Promise<IDataObject> {
  const path = `/v1/tools/${encodeURIComponent(server)}/${encodeURIComponent(tool)}`;
  const answer = await gatewayRequest(ctx, "POST", path, args, itemIndex);
  if (answer.status !== 200) throw answerError(ctx, answer, `tool ${server}/${tool}`, itemIndex);
  return (answer.body ?? {}) as IDataObject;
}
