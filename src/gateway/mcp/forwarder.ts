import type { Logger } from "../../shared/logger.ts";
import type { Principal } from "../auth/principal.ts";
import { INVALID_PARAMS } from "../jsonrpc/codes.ts";
import type { Params } from "../jsonrpc/messages.ts";
import type { Session } from "../session/session.ts";
import type { SubscriptionCounts } from "../session/subscriptions.ts";
import type { CallContext, CallOutcome, Upstream } from "../upstream/types.ts";
import { whenReady } from "../upstream/when-ready.ts";
import {
  type CallInfo,
  type CallKind,
  type CallPipeline,
  EMPTY_PIPELINE,
} from "./call-pipeline.ts";
import { errorToWire, failure, toolErrorResult } from "./outcomes.ts";
import { isLogLevel } from "./protocol.ts";

/** Who made a call and under which name; the call pipeline needs both. */
export interface CallMeta {
  principal: Principal;
  exposedName: string;
}

export type CallStatus = "ok" | "tool_error" | "error";

/** Hooks for metrics; the gateway passes its Prometheus registry here. */
export interface CallObserver {
  started(server: string, tool: string): void;
  finished(server: string, tool: string, status: CallStatus, seconds: number): void;
}

/**
 * Sends routed calls upstream. The one place that turns upstream failures into
 * what clients see, counts calls for metrics, and keeps the shared upstream
 * state (subscriptions, log level) consistent across clients.
 */
export class Forwarder {
  readonly #observer: CallObserver | undefined;
  readonly #subscriptions: SubscriptionCounts;
  readonly #logger: Logger;
  #pipeline: CallPipeline = EMPTY_PIPELINE;

  constructor(options: {
    observer?: CallObserver;
    subscriptions: SubscriptionCounts;
    logger: Logger;
  }) {
    this.#observer = options.observer;
    this.#subscriptions = options.subscriptions;
    this.#logger = options.logger;
  }

  /** Installs the interceptors and list filters the gateway built from config (once, at start). */
  usePipeline(pipeline: CallPipeline): void {
    this.#pipeline = pipeline;
  }

  get pipeline(): CallPipeline {
    return this.#pipeline;
  }

  /** A tool call, through the call pipeline when one is configured. */
  tool(
    upstream: Upstream,
    tool: string,
    params: Params,
    context: CallContext,
    meta: CallMeta,
  ): Promise<CallOutcome> {
    if (!this.#pipeline.active) return this.#tool(upstream, tool, params, context);
    const call = this.#info("tool", upstream, tool, params, context, meta);
    return this.#pipeline.run(call, () => this.#tool(upstream, tool, params, context));
  }

  /** prompts/get and resources/read, through the call pipeline when one is configured. */
  read(
    kind: "prompt" | "resource",
    upstream: Upstream,
    params: Params,
    context: CallContext,
    meta: CallMeta,
  ): Promise<CallOutcome> {
    const method = kind === "prompt" ? "prompts/get" : "resources/read";
    if (!this.#pipeline.active) return this.call(upstream, method, params, context);
    const name = String(kind === "prompt" ? params.name : params.uri);
    const call = this.#info(kind, upstream, name, params, context, meta);
    return this.#pipeline.run(call, () => this.call(upstream, method, params, context));
  }

  #info(
    kind: CallKind,
    upstream: Upstream,
    name: string,
    params: Params,
    context: CallContext,
    meta: CallMeta,
  ): CallInfo {
    const args = params.arguments;
    return {
      principal: meta.principal,
      server: upstream.name,
      kind,
      name,
      exposedName: meta.exposedName,
      arguments:
        typeof args === "object" && args !== null && !Array.isArray(args)
          ? (args as Record<string, unknown>)
          : undefined,
      params,
      annotations: kind === "tool" ? this.#pipeline.annotationsOf(upstream.name, name) : undefined,
      context,
    };
  }

  /** Failures to reach the tool become a tool error result, never a transport error. */
  async #tool(
    upstream: Upstream,
    tool: string,
    params: Params,
    context: CallContext,
  ): Promise<CallOutcome> {
    const started = performance.now();
    this.#observer?.started(upstream.name, tool);
    let status: CallStatus = "error";
    try {
      if (upstream.state === "starting") await whenStarted(upstream);
      const outcome = await upstream.request("tools/call", params, context);
      status = "error" in outcome ? "error" : outcome.result.isError === true ? "tool_error" : "ok";
      return outcome;
    } catch (error) {
      this.#logger.warn(
        { server: upstream.name, tool, err: errorToWire(error).message },
        "tool call failed",
      );
      return toolErrorResult(error);
    } finally {
      this.#observer?.finished(upstream.name, tool, status, (performance.now() - started) / 1000);
    }
  }

  /** Any other request: a failure to reach the upstream is a JSON-RPC error naming the server. */
  async call(
    upstream: Upstream,
    method: string,
    params: Params | undefined,
    context?: CallContext,
  ): Promise<CallOutcome> {
    try {
      if (upstream.state === "starting") await whenStarted(upstream);
      return await upstream.request(method, params, context);
    } catch (error) {
      return { error: errorToWire(error) };
    }
  }

  /**
   * completion/complete for a prompt or resource template: refused when the
   * caller may not use that prompt or resource (completions reveal its values).
   */
  complete(
    kind: "prompt" | "resource",
    name: string,
    upstream: Upstream,
    params: Params,
    context: CallContext,
    meta: CallMeta,
  ): Promise<CallOutcome> {
    const refused = this.#pipeline.checkAccess({ ...meta, server: upstream.name, kind, name });
    if (refused) return Promise.resolve(refused);
    return this.call(upstream, "completion/complete", params, context);
  }

  /** resources/subscribe and /unsubscribe, reference-counted per upstream. */
  async subscription(
    session: Session,
    upstream: Upstream,
    method: string,
    uri: string,
  ): Promise<CallOutcome> {
    if (method === "resources/subscribe") {
      // A resource the caller may not read cannot be followed either.
      const refused = this.#pipeline.checkAccess({
        principal: session.principal,
        server: upstream.name,
        kind: "resource",
        name: uri,
        exposedName: uri,
      });
      if (refused) return refused;
      if (session.subscriptions.has(uri)) return { result: {} };
      session.subscriptions.add(uri);
      if (!this.#subscriptions.add(upstream.name, uri)) return { result: {} };
      const outcome = await this.call(upstream, method, { uri });
      if ("error" in outcome) {
        session.subscriptions.delete(uri);
        this.#subscriptions.remove(upstream.name, uri);
      }
      return outcome;
    }
    if (!session.subscriptions.delete(uri)) return { result: {} };
    if (!this.#subscriptions.remove(upstream.name, uri)) return { result: {} };
    return this.call(upstream, method, { uri });
  }

  /** Drops every subscription a closing session held. */
  releaseSubscriptions(session: Session, upstreamFor: (uri: string) => Upstream | undefined): void {
    for (const uri of session.subscriptions) {
      const upstream = upstreamFor(uri);
      if (upstream && this.#subscriptions.remove(upstream.name, uri)) {
        void this.call(upstream, "resources/unsubscribe", { uri });
      }
    }
    session.subscriptions.clear();
  }

  /**
   * logging/setLevel: the session's threshold filters what it receives; the
   * upstream (shared) is asked for the level too so it sends enough.
   */
  async setLogLevel(
    session: Session,
    params: Params | undefined,
    upstream: Upstream | undefined,
  ): Promise<CallOutcome> {
    const level = params?.level;
    if (!isLogLevel(level))
      return failure(
        INVALID_PARAMS,
        `logging/setLevel needs a level, one of debug … emergency; got ${JSON.stringify(level)}`,
      );
    session.logLevel = level;
    if (upstream) return this.call(upstream, "logging/setLevel", { level });
    return { result: {} };
  }
}

/** A call that arrives while its server is still starting waits for it (up to its connect timeout). */
function whenStarted(upstream: Upstream): Promise<boolean> {
  return whenReady(upstream, upstream.config.connectTimeoutMs);
}
