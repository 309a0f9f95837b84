/**
 * Pulumi ESC over its REST API: open the environment (POST …/open, which
 * evaluates it and returns a session id), then read the opened values
 * (GET …/open/<id>). The token goes only in the Authorization header and
 * never into a message.
 */
import { SophiaError } from "../../shared/errors.ts";
import type { EscSecretsConfig } from "./config.ts";
import type { SecretProvider } from "./provider.ts";

export class EscProvider implements SecretProvider {
  readonly description: string;
  readonly #config: EscSecretsConfig;
  readonly #base: string;

  constructor(config: EscSecretsConfig) {
    this.#config = config;
    const path = [config.org, config.project, config.environment].map(encodeURIComponent).join("/");
    this.#base = `${config.url}/environments/${path}`;
    this.description = `Pulumi ESC environment ${config.org}/${config.project}/${config.environment}`;
  }

  async read(): Promise<unknown> {
    // The session only has to outlive the read that follows at once.
    const opened = await this.#request("POST", "/open?duration=10m", "open");
    const id = (opened as { id?: unknown }).id;
    if (typeof id !== "string" || id === "")
      throw this.#error("open", "the answer carried no session id");
    const environment = await this.#request("GET", `/open/${encodeURIComponent(id)}`, "read");
    return escValues((environment as { properties?: unknown }).properties ?? {});
  }

  async #request(method: string, suffix: string, step: string): Promise<unknown> {
    let response: Response;
    try {
      response = await fetch(`${this.#base}${suffix}`, {
        method,
        headers: {
          authorization: `token ${this.#config.token}`,
          accept: "application/json",
        },
        signal: AbortSignal.timeout(this.#config.timeoutMs),
      });
    } catch (error) {
      const why = (error as Error).name === "TimeoutError" ? "timed out" : (error as Error).message;
      throw this.#error(step, `cannot reach ${this.#config.url}: ${why}`, error);
    }
    const body = await response.text();
    if (!response.ok) throw this.#error(step, `HTTP ${response.status}${escMessage(body)}`);
    try {
      return JSON.parse(body) as unknown;
    } catch (error) {
      throw this.#error(step, "the answer is not JSON", error);
    }
  }

  #error(step: string, why: string, cause?: unknown): SophiaError {
    return new SophiaError("SECRETS_UNAVAILABLE", `${this.description}: ${step} failed: ${why}`, {
      hint: "check gateway.secrets (org, project, environment), that the token may open the environment, and that the ESC API is reachable",
      cause,
    });
  }
}

/** ESC's error body is `{code, message}`; its message says what was wrong (never a secret). */
function escMessage(body: string): string {
  try {
    const message = (JSON.parse(body) as { message?: unknown }).message;
    return typeof message === "string" ? ` (${message.slice(0, 200)})` : "";
  } catch {
    return "";
  }
}

/**
 * An opened environment's `properties` map names to ESC Values
 * (`{value, secret, unknown, trace}`) whose `value` is a scalar, an array of
 * Values or a map of Values: this strips them down to plain JSON. Unknown
 * values (not computable now) are left out.
 */
export function escValues(properties: unknown): unknown {
  return mapValues(properties, fromValue);
}

function fromValue(node: unknown): unknown {
  if (typeof node !== "object" || node === null) return undefined;
  const value = node as { value?: unknown; unknown?: unknown };
  if (value.unknown === true) return undefined;
  if (Array.isArray(value.value)) return value.value.map(fromValue);
  return mapValues(value.value, fromValue);
}

function mapValues(node: unknown, map: (item: unknown) => unknown): unknown {
  if (typeof node !== "object" || node === null || Array.isArray(node)) return node;
  return Object.fromEntries(Object.entries(node).map(([key, item]) => [key, map(item)]));
}
