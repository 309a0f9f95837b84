import type { IncomingMessage, ServerResponse } from "node:http";
import type { TLSSocket } from "node:tls";
import type { Logger } from "../../shared/logger.ts";
import { sendJson } from "../http/respond.ts";
import { type AuthMethods, authenticate } from "./authenticator.ts";
import type { AuthConfig } from "./config.ts";
import type { Principal } from "./principal.ts";
import { challenge, describedPath, metadataDocument, metadataUrl } from "./resource-metadata.ts";
import { FORBIDDEN, UNAUTHENTICATED } from "./wire.ts";

export type AuthOutcome =
  | { ok: true; principal: Principal }
  | {
      ok: false;
      status: 401;
      error: "invalid_token" | "invalid_request" | undefined;
      reason: string;
    }
  | { ok: false; status: 403; scope: string; reason: string };

/** What the router asks of authentication; see GatewayAuth. */
export interface HttpAuth {
  servesMetadata(path: string): boolean;
  metadata(req: IncomingMessage, res: ServerResponse, path: string): void;
  protects(path: string): boolean;
  authenticate(req: IncomingMessage): Promise<AuthOutcome>;
  refuse(req: IncomingMessage, res: ServerResponse, path: string, outcome: AuthOutcome): void;
}

const OPEN = new Set(["/healthz", "/readyz"]);

/** The gateway as an OAuth 2.1 resource server (MCP authorization), with API keys and mTLS. */
export class GatewayAuth implements HttpAuth {
  readonly #config: AuthConfig;
  readonly #methods: AuthMethods;
  readonly #logger: Logger;

  constructor(config: AuthConfig, methods: AuthMethods, logger: Logger) {
    this.#config = config;
    this.#methods = methods;
    this.#logger = logger;
  }

  servesMetadata(path: string): boolean {
    return path.startsWith("/.well-known/oauth-protected-resource");
  }

  metadata(req: IncomingMessage, res: ServerResponse, path: string): void {
    const suffix = describedPath(path);
    if (suffix === undefined || req.method !== "GET") {
      sendJson(res, 404, {
        error: { code: "NOT_FOUND", message: `no metadata at ${path}` },
      });
      return;
    }
    sendJson(res, 200, metadataDocument(this.#base(req), suffix, this.#config), {
      "cache-control": "max-age=300",
    });
  }

  protects(path: string): boolean {
    return !OPEN.has(path) && !this.#config.publicPaths.includes(path);
  }

  async authenticate(req: IncomingMessage): Promise<AuthOutcome> {
    const socket = req.socket as Partial<TLSSocket>;
    const verified = socket.authorized === true && typeof socket.getPeerCertificate === "function";
    const result = await authenticate(this.#methods, {
      headers: req.headers,
      peerCertificate: verified ? socket.getPeerCertificate!() : undefined,
    });
    if (!result.ok) {
      this.#logger.info(
        { reason: result.reason, url: req.url },
        "request refused: not authenticated",
      );
      return { ok: false, status: 401, error: result.error, reason: result.reason };
    }
    const missing = this.#config.requiredScopes.filter((s) => !result.principal.scopes.includes(s));
    if (missing.length > 0) {
      const reason = `the credential lacks the scope ${missing.join(" ")}`;
      return { ok: false, status: 403, scope: this.#config.requiredScopes.join(" "), reason };
    }
    return result;
  }

  refuse(req: IncomingMessage, res: ServerResponse, path: string, outcome: AuthOutcome): void {
    if (outcome.ok) return;
    const resource_metadata = metadataUrl(this.#base(req), path);
    const header =
      outcome.status === 401
        ? challenge({
            resource_metadata,
            error: outcome.error,
            error_description: outcome.error && outcome.reason,
          })
        : challenge({
            error: "insufficient_scope",
            scope: outcome.scope,
            resource_metadata,
            error_description: outcome.reason,
          });
    const headers = { "www-authenticate": header };
    const message = `${outcome.status === 401 ? "Unauthorized" : "Forbidden"}: ${outcome.reason}`;
    if (path.startsWith("/v1/")) {
      const code = outcome.status === 401 ? "UNAUTHORIZED" : "FORBIDDEN";
      sendJson(res, outcome.status, { error: { code, message } }, headers);
      return;
    }
    const code = outcome.status === 401 ? UNAUTHENTICATED : FORBIDDEN;
    sendJson(res, outcome.status, { jsonrpc: "2.0", id: null, error: { code, message } }, headers);
  }

  /** The gateway's public base URL: configured, or what the client used to reach it. */
  #base(req: IncomingMessage): string {
    if (this.#config.resource) return this.#config.resource.replace(/\/$/, "");
    const encrypted = (req.socket as Partial<TLSSocket>).encrypted === true;
    return `${encrypted ? "https" : "http"}://${req.headers.host ?? "localhost"}`;
  }
}
