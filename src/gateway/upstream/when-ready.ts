import type { Upstream } from "./types.ts";

/** Waits until an upstream that is still starting becomes ready; false once it is down or stopped, or `ms` passed. */
export function whenReady(upstream: Upstream, ms: number): Promise<boolean> {
  if (upstream.state === "ready") return Promise.resolve(true);
  if (upstream.state !== "starting" && upstream.state !== "restarting")
    return Promise.resolve(false);
  return new Promise((resolve) => {
    const timer = setTimeout(() => finish(false), ms);
    const off = upstream.onStateChange((state) => {
      if (state === "ready") finish(true);
      else if (state === "stopped" || state === "down") finish(false);
    });
    function finish(ready: boolean) {
      clearTimeout(timer);
      off();
      resolve(ready);
    }
  });
}
