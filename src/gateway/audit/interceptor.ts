import type { CallInfo, Interceptor } from "../mcp/call-pipeline.ts";
import { toolErrorResult } from "../mcp/outcomes.ts";
import type { CallOutcome } from "../upstream/types.ts";
import { isoNow } from "./clock.ts";
import type { AuditQueue } from "./queue.ts";
import { type AuditRecord, classify } from "./record.ts";
import { type Redaction, redactArguments } from "./redact.ts";

const FAILED = toolErrorResult(new Error("call failed"));

/**
 * First in the pipeline, so it sees every outcome: denied by policy, rate
 * limited, served from cache, or run. Writing is queued; the call never waits.
 * No async function: one `then` per call instead of an extra promise and frame.
 */
export function auditInterceptor(queue: AuditQueue, redaction: Redaction): Interceptor {
  return (call, next) => {
    const started = performance.now();
    const requestId = call.context.request?.requestId;
    let pending: Promise<CallOutcome>;
    try {
      pending = next();
    } catch (error) {
      pending = Promise.reject(error);
    }
    return pending.then(
      (outcome) => {
        queue.push(recordOf(call, outcome, started, requestId, redaction));
        return outcome;
      },
      (error: unknown) => {
        queue.push(recordOf(call, FAILED, started, requestId, redaction));
        throw error;
      },
    );
  };
}

function recordOf(
  call: CallInfo,
  outcome: CallOutcome,
  started: number,
  requestId: string | undefined,
  redaction: Redaction,
): AuditRecord {
  const { principal } = call;
  const classified = classify(outcome);
  return {
    time: isoNow(),
    requestId,
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
  };
}
