/**
 * Loads a package the first time it is used. Features that are off by default
 * (Redis, tracing, PostgreSQL audit) keep their libraries out of start-up:
 * `sophia gateway` without them loads none of it. `require` is synchronous
 * (Node 24 also requires ES modules), so constructors stay synchronous.
 */
import { createRequire } from "node:module";

const requireHere = createRequire(import.meta.url);

export function lazyModule<T>(specifier: string): () => T {
  let loaded: T | undefined;
  return () => {
    loaded ??= requireHere(specifier) as T;
    return loaded;
  };
}
