import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { createServer as createHttpsServer } from "node:https";
import type { AddressInfo } from "node:net";
import type { SophiaConfig } from "../config/types.ts";
import { errorMessage, SophiaError } from "../shared/errors.ts";
import type { Logger } from "../shared/logger.ts";
import { buildSecurity, type Security } from "./auth/security.ts";
import { Catalog } from "./catalog/catalog.ts";
import { LIST_CHANGED } from "./catalog/list-kinds.ts";
import { isLoopback } from "./http/guard.ts";
import { handleMcp } from "./http/mcp-endpoint.ts";
import { ModernEndpoint } from "./http/modern-endpoint.ts";
import { sendJson, sendText } from "./http/respond.ts";
import { createRouter } from "./http/router.ts";
import { Dispatcher } from "./mcp/dispatcher.ts";
import { announceListChanged, fanOut } from "./mcp/fanout.ts";
import { GATEWAY_VERSION } from "./mcp/initialize.ts";
import { readiness } from "./ops/health.ts";
import { GatewayMetrics } from "./ops/metrics.ts";
import { Reloader, type ReloadReport, reloadCounter } from "./reload/index.ts";
import { ResilienceMetrics } from "./resilience/index.ts";
import { callTool, listTools, openApi, type RestDeps } from "./rest/tools-api.ts";
import { parkedStatePrefix, type SharedSetup, sharedSessionsFor } from "./scaleout/index.ts";
import { UpstreamSecrets } from "./secrets/index.ts";
import { SessionStore } from "./session/session-store.ts";
import type { BuiltinRegistry } from "./upstream/builtin-transport.ts";
import { type UpstreamHooks, upstreamFactory } from "./upstream/create-upstream.ts";
import type { Upstream } from "./upstream/types.ts";

export type UpstreamFactory = (
  name: string,
  config: SophiaConfig["servers"][string],
  logger: Logger,
  hooks?: UpstreamHooks,
) => Upstream;

export interface GatewayOptions {
  config: SophiaConfig;
  logger: Logger;
  /** For tests and embedding: how upstreams are created. */
  createUpstream?: UpstreamFactory;
  /** Built-in servers (knowledge, sql, workflows) by name, registered by the CLI. */
  builtins?: BuiltinRegistry;
}

/**
 * The gateway as a whole: upstreams, the catalog over them, the protocol
 * dispatcher, sessions, metrics, and the HTTP server in front. `start()`
 * connects upstreams then listens; `stop()` drains and stops everything.
 */
export class Gateway {
  readonly upstreams = new Map<string, Upstream>();
  readonly catalog: Catalog;
  readonly dispatcher: Dispatcher;
  readonly sessions: SessionStore;
  readonly metrics: GatewayMetrics;
  readonly #modern: ModernEndpoint;
  readonly #config: SophiaConfig;
  readonly #logger: Logger;
  readonly #security: Security;
  readonly #secrets: UpstreamSecrets;
  #server: Server | undefined;
  #draining = false;
  /** POST and DELETE requests whose response has not closed yet (see handler). */
  #activeRequests = 0;
  #starting: Promise<void> | undefined;
  /** Sessions shared through Redis (`gateway.sessions.store: redis`); undefined for memory. */
  readonly #shared: SharedSetup | undefined;
  readonly #factory: UpstreamFactory;
  readonly #resilience: ResilienceMetrics;
  readonly #reloader: Reloader;

  constructor(options: GatewayOptions) {
    this.#config = options.config;
    this.#logger = options.logger;
    const gateway = options.config.gateway;
    this.catalog = new Catalog({ separator: gateway.separator, logger: options.logger });
    this.sessions = new SessionStore(gateway.sessionIdleMs);
    this.metrics = new GatewayMetrics(
      () => this.upstreams.values(),
      () => this.sessions.size,
    );
    this.dispatcher = new Dispatcher({
      upstreams: this.upstreams,
      catalog: this.catalog,
      logger: options.logger,
      observer: this.metrics,
    });
    this.#security = buildSecurity(
      options.config,
      this.catalog,
      options.logger,
      this.metrics.registry,
    );
    this.dispatcher.forwarder.usePipeline(this.#security.pipeline);
    this.#secrets = new UpstreamSecrets(options.config, options.logger);
    this.#factory = this.#secrets.wrap(options.createUpstream ?? upstreamFactory(options.builtins));
    this.#resilience = new ResilienceMetrics(this.metrics.registry, () => this.upstreams.values());
    for (const [name, server] of Object.entries(options.config.servers)) {
      if (!server.enabled) continue;
      const upstream = this.#create(name, server);
      this.upstreams.set(name, upstream);
      this.catalog.add(upstream);
    }
    this.#reloader = new Reloader(
      {
        upstreams: this.upstreams,
        catalog: this.catalog,
        create: (name, server) => this.#create(name, server),
        drainMs: () => this.#config.gateway.drainMs,
        logger: options.logger.child({ part: "reload" }),
        counted: reloadCounter(this.metrics.registry),
      },
      options.config,
    );
    this.catalog.onChange((kind) => announceListChanged(kind, this.sessions.values()));
    this.#shared = sharedSessionsFor(options.config.gateway, {
      sessions: this.sessions,
      dispatcher: this.dispatcher,
      upstreams: this.upstreams,
      logger: options.logger,
    });
    this.#modern = new ModernEndpoint({
      dispatcher: this.dispatcher,
      catalog: this.catalog,
      upstreams: this.upstreams,
      logger: options.logger,
      ...(this.#shared ? { statePrefix: parkedStatePrefix(this.#shared.shared.instance) } : {}),
    });
  }

  /**
   * Hot reload (SIGHUP, file watch): loads the next configuration and applies
   * its servers (gateway/reload). An invalid one is logged and the old one
   * keeps serving; settings outside `servers` need a restart.
   */
  reload(load: () => SophiaConfig | Promise<SophiaConfig>): Promise<ReloadReport> {
    return this.#reloader.reload(load);
  }

  get draining(): boolean {
    return this.#draining;
  }

  /**
   * Connects every upstream in parallel; resolves when each is ready or has
   * failed its first start (it keeps retrying in the background). Requests
   * that need a server still starting wait for it, so callers need not await.
   */
  startUpstreams(): Promise<void> {
    this.#starting ??= this.#startAll();
    return this.#starting;
  }

  async #startAll(): Promise<void> {
    this.sessions.startSweeping((session) => {
      this.sessions.delete(session.id);
      this.dispatcher.closeSession(session);
    });
    this.#shared?.shared.start();
    await Promise.all(
      [...this.upstreams.values()].map((upstream) =>
        upstream.start().catch((error: unknown) => {
          this.#logger.warn(
            { server: upstream.name, err: errorMessage(error) },
            "upstream not ready yet; retrying in the background",
          );
        }),
      ),
    );
  }

  /**
   * Listens at once and starts upstreams behind it: /healthz answers from the
   * first moment, /readyz turns ready when every server is. Resolves with the base URL.
   */
  async listen(
    host = this.#config.gateway.host,
    port = this.#config.gateway.port,
  ): Promise<string> {
    const tls = this.#security.tls;
    const server = tls
      ? createHttpsServer({ keepAliveTimeout: 65_000, ...tls }, this.handler(host))
      : createServer({ keepAliveTimeout: 65_000 }, this.handler(host));
    this.#server = server;
    await new Promise<void>((resolve, reject) => {
      server.once("error", (error: NodeJS.ErrnoException) =>
        reject(
          new SophiaError(
            "LISTEN_FAILED",
            `cannot listen on ${host}:${port}: ${error.code ?? error.message}`,
            {
              hint:
                error.code === "EADDRINUSE"
                  ? "another process uses that port; pick another with --port or gateway.listen"
                  : undefined,
              cause: error,
            },
          ),
        ),
      );
      server.listen(port, host, () => resolve());
    });
    void this.startUpstreams();
    const { port: actual } = server.address() as AddressInfo;
    return `${tls ? "https" : "http"}://${host.includes(":") ? `[${host}]` : host}:${actual}`;
  }

  /**
   * The request handler, usable without a socket (tests) or behind another
   * server. POSTs and DELETEs are counted until their response closes, so a
   * drain also waits for a call that arrived but has not reached its upstream
   * yet (body, auth, limits); GETs are event streams that last until closed.
   */
  handler(
    host = this.#config.gateway.host,
  ): (req: IncomingMessage, res: ServerResponse) => Promise<void> {
    const handle = this.#routes(host);
    return (req, res) => {
      if (req.method === "GET") return handle(req, res);
      this.#activeRequests++;
      res.once("close", () => this.#activeRequests--);
      return handle(req, res);
    };
  }

  #routes(host: string): (req: IncomingMessage, res: ServerResponse) => Promise<void> {
    const rest: RestDeps = {
      catalog: this.catalog,
      upstreams: this.upstreams,
      forwarder: this.dispatcher.forwarder,
      maxBodyBytes: this.#config.gateway.maxBodyBytes,
      version: GATEWAY_VERSION,
    };
    const mcpDeps = {
      dispatcher: this.dispatcher,
      sessions: this.sessions,
      maxBodyBytes: this.#config.gateway.maxBodyBytes,
      logger: this.#logger,
      modern: this.#modern,
      ...(this.#shared ? { shared: this.#shared.shared } : {}),
    };
    // Request ids and spans for the audit log and tracing; the bare router when both are off.
    return this.#security.traffic.wrap(
      createRouter(
        {
          mcp: (req, res, scope, principal) => {
            if (this.#draining && req.method === "POST" && !req.headers["mcp-session-id"]) {
              // Behind a load balancer: try another instance; this one is going away.
              return sendJson(
                res,
                503,
                {
                  jsonrpc: "2.0",
                  id: null,
                  error: { code: -32001, message: "gateway is shutting down" },
                },
                { "retry-after": "5" },
              );
            }
            return handleMcp(req, res, scope, mcpDeps, principal);
          },
          listTools: (_req, res, principal) => listTools(res, rest, principal),
          callTool: (req, res, server, tool, principal) =>
            callTool(req, res, server, tool, rest, principal),
          openApi: (req, res, principal) => openApi(req, res, rest, principal),
          health: (res) => sendJson(res, 200, { status: "ok" }),
          ready: (res) => {
            const report = readiness(this.upstreams.values(), this.#draining);
            const changed = this.#security.traffic.changedTools();
            // Pinning "flag"/"block": changed definitions are reported; readiness is not affected.
            const body = changed?.length
              ? { ...report, toolDefinitions: `tool definitions changed: ${changed.join(", ")}` }
              : report;
            sendJson(res, report.ready ? 200 : 503, body);
          },
          metrics: async (res) =>
            sendText(
              res,
              200,
              await this.metrics.registry.metrics(),
              this.metrics.registry.contentType,
            ),
          upstream: (name) => this.upstreams.get(name),
          observe: (route, status) => this.metrics.httpRequest(route, status),
        },
        {
          boundToLoopback: isLoopback(host) || host === "localhost",
          allowedOrigins: this.#config.gateway.allowedOrigins,
          logger: this.#logger,
          ...(this.#security.auth ? { auth: this.#security.auth } : {}),
        },
      ),
    );
  }

  /** Drains: readiness turns false, in-flight calls get `drainMs` to finish, then upstreams stop. */
  async stop(): Promise<void> {
    this.#draining = true;
    this.sessions.stopSweeping();
    this.#secrets.stop();
    // Retries of parked calls would be refused while draining: release them now, not after drainMs.
    this.#modern.close();
    const server = this.#server;
    const deadline = Date.now() + this.#config.gateway.drainMs;
    // Still listening while calls drain: /readyz says 503 and new sessions get 503 + Retry-After.
    const busy = () =>
      this.#activeRequests > 0 || [...this.upstreams.values()].some((u) => u.inFlight > 0);
    while (Date.now() < deadline && busy()) {
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    const closed = server
      ? new Promise<void>((resolve) => server.close(() => resolve()))
      : Promise.resolve();
    // Upstreams first: calls still running fail with a tool error their clients can still receive.
    await Promise.all(
      [...this.upstreams.values()].map((u) => u.stop(Math.max(0, deadline - Date.now()))),
    );
    await new Promise((resolve) => setImmediate(resolve));
    for (const session of [...this.sessions.values()]) {
      this.sessions.delete(session.id);
      this.dispatcher.closeSession(session);
      if ("close" in session.standalone) (session.standalone as { close(): void }).close();
    }
    // Local copies only: the shared sessions live on for the other instances.
    await this.#shared?.close();
    server?.closeAllConnections();
    await closed;
    // After the last call: the audit log and spans are flushed, Redis closed.
    await this.#security.traffic.close();
  }

  #create(name: string, server: SophiaConfig["servers"][string]): Upstream {
    const upstream = this.#factory(name, server, this.#logger.child({ server: name }), {
      observer: this.#resilience,
      annotationsOf: (tool) =>
        this.catalog.serverList(name, "tools")?.find((t) => t.name === tool)?.annotations as
          | Record<string, unknown>
          | undefined,
    });
    this.#watch(upstream);
    return upstream;
  }

  #watch(upstream: Upstream): void {
    upstream.onNotification((notification) => {
      const kinds = LIST_CHANGED[notification.method];
      if (kinds) void this.catalog.refresh(upstream.name, kinds);
      fanOut(upstream, notification, this.sessions.values());
    });
    upstream.onStateChange((state) => {
      if (state === "ready") void this.catalog.refresh(upstream.name);
      else if (state === "down" || state === "restarting") this.catalog.forget(upstream.name);
    });
  }
}
