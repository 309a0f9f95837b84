import type { Interceptor } from "../mcp/call-pipeline.ts";
import { toolErrorResult } from "../mcp/outcomes.ts";
import type { CallOutcome } from "../upstream/types.ts";
import type { AuditQueue } from "./queue.ts";
import { classify } from "./record.ts";
import { type Redaction, redactArguments } from "./redact.ts";
import { currentRequest } from "./request-context.ts";

/**
 * First in the pipeline, so it sees every outcome: denied by policy, rate
 * limited, served from cache, or run. Writing is queued; the call never waits.
 */
export function auditInterceptor(queue: AuditQueue, redaction: Redaction): Interceptor {
  return async (call, next) => {
    const started = performance.now();
    let outcome: CallOutcome | undefined;
    try {
      outcome = await next();
      return outcome;
    } finally {
      const { principal } = call;
      const classified = classify(outcome ?? toolErrorResult(new Error("call failed")));
      queue.push({
        time: new Date().toISOString(),
        requestId: currentRequest()?.requestId,
        subject: principal.subject,
        method: principal.method,
        keyId: principal.keyId,
        server: call.server,
        kind: call.kind,
        name: call.name,
        outcome: classified.outcome,
        latencyMs: Math.round((performance.now() - started) * 1000) / 1000,
        error: classified.error,
        arguments: redactArguments(call.arguments, redaction),
      });
    }
  };
}
