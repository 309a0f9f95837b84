/**
 * JSON-RPC code for a call refused by a rate limit or quota (implementation-
 * defined range, like the security codes -32030..-32032). `data` carries
 * `retryAfterMs` and the rule; the REST façade answers 429 with Retry-After.
 */
export const RATE_LIMITED = -32029;
