import type { Upstream } from "./types.ts";

/** Waits until an upstream that is still starting becomes ready, or `ms` passes. */
export function whenReady(upstream: Upstream, ms: number): Promise<boolean> {
  if (upstream.state === "ready") return Promise.resolve(true);
  if (upstream.state === "stopped") return Promise.resolve(false);
  return new Promise((resolve) => {
    const timer = setTimeout(() => finish(false), ms);
    const off = upstream.onStateChange((state) => {
      if (state === "ready") finish(true);
      else if (state === "stopped") finish(false);
    });
    function finish(ready: boolean) {
      clearTimeout(timer);
      off();
      resolve(ready);
    }
  });
}
