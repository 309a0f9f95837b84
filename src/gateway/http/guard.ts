import type { IncomingHttpHeaders } from "node:http";
import { isIPv4 } from "node:net";

const LOOPBACK_HOSTS = new Set(["localhost", "127.0.0.1", "[::1]", "::1"]);

function hostnameOf(hostHeader: string): string {
  if (hostHeader.startsWith("[")) return hostHeader.slice(0, hostHeader.indexOf("]") + 1);
  const colon = hostHeader.lastIndexOf(":");
  return (colon === -1 ? hostHeader : hostHeader.slice(0, colon)).toLowerCase();
}

export function isLoopback(host: string): boolean {
  // An IPv4 check, not a prefix: "127.0.0.1.evil.example" is a DNS name an attacker controls.
  return LOOPBACK_HOSTS.has(host) || (host.startsWith("127.") && isIPv4(host));
}

/**
 * DNS-rebinding protection. A gateway bound to loopback only answers requests
 * addressed to a loopback name; a browser Origin must be loopback or listed in
 * `gateway.allowedOrigins`. Requests without Origin (non-browser clients) pass.
 * Returns the reason for refusing, or undefined.
 */
export function checkOrigin(
  headers: IncomingHttpHeaders,
  boundToLoopback: boolean,
  allowedOrigins: readonly string[],
): string | undefined {
  const host = headers.host;
  if (boundToLoopback && host !== undefined && !isLoopback(hostnameOf(host))) {
    return `Host "${host}" is not a loopback name; the gateway listens on loopback only`;
  }
  const origin = headers.origin;
  if (origin === undefined || allowedOrigins.includes(origin) || allowedOrigins.includes("*"))
    return undefined;
  let originHost: string;
  try {
    originHost = new URL(origin).hostname;
  } catch {
    return `Origin "${origin}" is not a valid origin`;
  }
  if (isLoopback(originHost) || isLoopback(`[${originHost}]`)) return undefined;
  return `Origin "${origin}" is not allowed; add it to gateway.allowedOrigins`;
}
