import { readFileSync } from "node:fs";
import type { SecureContextOptions } from "node:tls";
import { Registry } from "prom-client";
import type { SophiaConfig } from "../../config/types.ts";
import { SophiaError } from "../../shared/errors.ts";
import type { Logger } from "../../shared/logger.ts";
import type { Catalog } from "../catalog/catalog.ts";
import {
  type AccessCheck,
  CallPipeline,
  type Interceptor,
  type ListFilter,
} from "../mcp/call-pipeline.ts";
import { readPolicies } from "../policy/config.ts";
import { policyAccessCheck, policyFilter, policyInterceptor } from "../policy/interceptor.ts";
import { buildTraffic, type Traffic } from "../tracing/traffic.ts";
import { readAuth, readTls } from "./config.ts";
import { GatewayAuth, type HttpAuth } from "./http-auth.ts";
import { JwtVerifier } from "./jwt.ts";
import { openKeyStore } from "./open-key-store.ts";

export interface Security {
  /** Undefined when authentication is off: every caller is anonymous. */
  auth: HttpAuth | undefined;
  pipeline: CallPipeline;
  /** Options for an HTTPS server, when `gateway.tls` is set. */
  tls: (SecureContextOptions & { requestCert: boolean; rejectUnauthorized: boolean }) | undefined;
  /** Rate limits, cache, audit, pinning, tracing: their HTTP wrapper, /readyz note and shutdown. */
  traffic: Traffic;
}

/**
 * Builds authentication, the call pipeline and TLS from config. The pipeline's
 * order is fixed: the audit log outermost (it records every outcome), then
 * policy (who may call what), tool pinning, rate limits, the result cache
 * and tracing next to the upstream — so a denied call is never counted,
 * cached or run, and a cache hit still counts against the caller's limits.
 */
export function buildSecurity(
  config: SophiaConfig,
  catalog: Catalog,
  logger: Logger,
  registry: Registry = new Registry(),
): Security {
  const auth = readAuth(config);
  const tls = readTls(config);
  const policies = readPolicies(config);
  const traffic = buildTraffic(config, catalog, registry, logger);
  // The audit log wraps the whole chain so it records denied and rate-limited calls too.
  const interceptors: Interceptor[] = [...traffic.before];
  const listFilters: ListFilter[] = [];
  const accessChecks: AccessCheck[] = [];
  if (policies) {
    interceptors.push(policyInterceptor(policies));
    listFilters.push(policyFilter(policies));
    accessChecks.push(policyAccessCheck(policies));
  }
  interceptors.push(...traffic.after);
  listFilters.push(...traffic.listFilters);
  const pipeline = new CallPipeline({
    interceptors,
    listFilters,
    accessChecks,
    annotations: (server, name) => {
      const tool = catalog.serverList(server, "tools")?.find((t) => t.name === name);
      return tool?.annotations as Record<string, unknown> | undefined;
    },
  });
  const mtls = tls?.ca !== undefined;
  const httpAuth =
    auth &&
    new GatewayAuth(
      auth,
      {
        keys: auth.keyStore && openKeyStore(auth.keyStore),
        jwt: auth.jwt ? new JwtVerifier(auth.jwt) : undefined,
        mtls,
      },
      logger.child({ part: "auth" }),
    );
  return { auth: httpAuth, pipeline, tls: tls && tlsOptions(tls), traffic };
}

function tlsOptions(tls: NonNullable<ReturnType<typeof readTls>>): Security["tls"] {
  const read = (path: string, what: string) => {
    try {
      return readFileSync(path);
    } catch (error) {
      throw new SophiaError("CONFIG_INVALID", `cannot read the TLS ${what} ${path}`, {
        hint: "check gateway.tls in the configuration (paths are relative to the config file)",
        cause: error,
      });
    }
  };
  return {
    cert: read(tls.cert, "certificate"),
    key: read(tls.key, "key"),
    ...(tls.ca ? { ca: read(tls.ca, "CA bundle") } : {}),
    // Ask for a client certificate whenever a CA is set; refuse the handshake without one only if required.
    requestCert: tls.ca !== undefined,
    rejectUnauthorized: tls.requireClientCert,
  };
}
