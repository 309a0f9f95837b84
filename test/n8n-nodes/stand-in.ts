/**
 * Stand-ins for the n8n execution contexts the nodes use (IExecuteFunctions,
 * ILoadOptionsFunctions, IWebhookFunctions), small and faithful where it matters:
 * HTTP goes over a real socket with the credential's own `authenticate` headers,
 * and `httpRequestWithAuthentication` keeps n8n's option semantics (json,
 * returnFullResponse, ignoreHttpStatusErrors).
 */
import { type Credential, type Item, type Json, loadCredential } from "./dist.ts";

const CREDENTIAL_CLASSES = { sophiaApi: "SophiaApi", sophiaFlowWebhookApi: "SophiaFlowWebhookApi" };
type CredentialType = keyof typeof CREDENTIAL_CLASSES;

/** n8n's `={{ … }}` parameter values, for the plain JavaScript our credentials use. */
export function resolveExpression(value: string, credentials: Json): string {
  if (!value.startsWith("=")) return value;
  return value.slice(1).replace(/\{\{(.+?)\}\}/g, (_all, expression: string) => {
    const evaluate = new Function("$credentials", `return (${expression});`);
    return String(evaluate(credentials));
  });
}

interface RequestOptions {
  method?: string;
  url: string;
  baseURL?: string;
  body?: unknown;
  json?: boolean;
  returnFullResponse?: boolean;
  ignoreHttpStatusErrors?: boolean;
}

export interface HttpLog {
  method: string;
  url: string;
  headers: Record<string, string>;
}

/** An HTTP request as n8n's helper makes it, with the named credential's authentication. */
export async function requestWithCredential(
  credential: Credential,
  values: Json,
  options: RequestOptions,
  log: HttpLog[] = [],
): Promise<unknown> {
  const headers: Record<string, string> = { accept: "application/json" };
  for (const [name, value] of Object.entries(credential.authenticate?.properties.headers ?? {}))
    headers[name.toLowerCase()] = resolveExpression(value, values);
  let body: string | undefined;
  if (options.body !== undefined) {
    headers["content-type"] = "application/json";
    body = JSON.stringify(options.body);
  }
  // As axios (under n8n's helper) joins them: one slash between base URL and path.
  const url = options.baseURL
    ? `${options.baseURL.replace(/\/+$/, "")}/${options.url.replace(/^\/+/, "")}`
    : options.url;
  const method = options.method ?? "GET";
  log.push({ method, url, headers });
  const response = await fetch(url, { method, headers, ...(body ? { body } : {}) });
  const text = await response.text();
  let parsed: unknown = text;
  if (options.json !== false && text !== "") {
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = text;
    }
  }
  if (!options.ignoreHttpStatusErrors && response.status >= 400)
    throw Object.assign(new Error(`Request failed with status code ${response.status}`), {
      httpCode: String(response.status),
    });
  if (!options.returnFullResponse) return parsed;
  return {
    statusCode: response.status,
    statusMessage: response.statusText,
    headers: Object.fromEntries(response.headers),
    body: parsed,
  };
}

/** Runs a credential's `test` request the way n8n's "Test credential" does. */
export async function testCredential(credential: Credential, values: Json) {
  const request = credential.test!.request;
  return (await requestWithCredential(credential, values, {
    method: request.method ?? "GET",
    baseURL: resolveExpression(request.baseURL, values),
    url: request.url,
    json: true,
    returnFullResponse: true,
    ignoreHttpStatusErrors: true,
  })) as { statusCode: number; body: unknown };
}

const NODE = {
  id: "stand-in-node",
  name: "Sophia",
  type: "n8n-nodes-sophia.sophia",
  typeVersion: 1,
  position: [0, 0],
  parameters: {},
};

export interface ContextOptions {
  /** Credential values by type, e.g. { sophiaApi: { url, apiKey } }. */
  credentials: Partial<Record<CredentialType, Json>>;
  /** Node parameters; a function gives each item its own value (like an expression). */
  parameters: Json;
  items?: Item[];
  continueOnFail?: boolean;
}

function credentialsOf(options: ContextOptions, type: string): Json {
  const values = options.credentials[type as CredentialType];
  if (!values) throw new Error(`the stand-in has no credentials of type ${type}`);
  return values;
}

function parameterOf(
  options: ContextOptions,
  name: string,
  itemIndex: number,
  fallback?: unknown,
): unknown {
  if (name in options.parameters) {
    const value = options.parameters[name];
    return typeof value === "function" ? value(itemIndex) : value;
  }
  if (fallback !== undefined) return fallback;
  throw new Error(`the stand-in has no value for parameter "${name}"`);
}

/** A stand-in IExecuteFunctions (also serving as ILoadOptionsFunctions). */
export function executeContext(options: ContextOptions) {
  const http: HttpLog[] = [];
  return {
    http,
    getInputData: () => options.items ?? [{ json: {} }],
    getNode: () => NODE,
    continueOnFail: () => options.continueOnFail === true,
    getNodeParameter: (name: string, itemIndex: number, fallback?: unknown) =>
      parameterOf(options, name, itemIndex, fallback),
    getCurrentNodeParameter: (name: string) => parameterOf(options, name, 0, ""),
    getCredentials: async (type: string) => credentialsOf(options, type),
    helpers: {
      async httpRequestWithAuthentication(this: unknown, type: string, request: RequestOptions) {
        const credential = loadCredential(
          CREDENTIAL_CLASSES[type as CredentialType] as "SophiaApi" | "SophiaFlowWebhookApi",
        );
        return requestWithCredential(credential, credentialsOf(options, type), request, http);
      },
    },
  };
}

export interface WebhookRequest {
  rawBody: Buffer;
  headers: Record<string, string | string[]>;
}

/** A stand-in IWebhookFunctions; `answer` records what the node wrote to the response itself. */
export function webhookContext(options: ContextOptions, request: WebhookRequest) {
  const answer: { status?: number; body?: unknown } = {};
  const warnings: string[] = [];
  const req = {
    rawBody: undefined as Buffer | undefined,
    headers: request.headers,
    async readRawBody() {
      req.rawBody = request.rawBody;
    },
  };
  const res = {
    status(code: number) {
      answer.status = code;
      return res;
    },
    json(body: unknown) {
      answer.body = body;
      return res;
    },
  };
  return {
    answer,
    warnings,
    getNode: () => ({ ...NODE, name: "Sophia Trigger", type: "n8n-nodes-sophia.sophiaTrigger" }),
    getRequestObject: () => req,
    getResponseObject: () => res,
    getHeaderData: () => request.headers,
    getNodeParameter: (name: string, fallback?: unknown) => parameterOf(options, name, 0, fallback),
    getCredentials: async (type: string) => credentialsOf(options, type),
    logger: { warn: (message: string) => warnings.push(message) },
  };
}
