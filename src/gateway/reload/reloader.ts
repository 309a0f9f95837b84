import type { ServerConfig, SophiaConfig } from "../../config/types.ts";
import { errorMessage } from "../../shared/errors.ts";
import type { Logger } from "../../shared/logger.ts";
import type { Catalog } from "../catalog/catalog.ts";
import type { Upstream } from "../upstream/types.ts";
import { whenReady } from "../upstream/when-ready.ts";
import { type ConfigDiff, diffConfigs } from "./diff.ts";

export type ReloadResult = "ok" | "invalid" | "failed";

export interface ReloadReport {
  result: ReloadResult;
  added: string[];
  removed: string[];
  changed: string[];
  /** Servers whose replacement did not become ready: the old one keeps serving. */
  kept: string[];
  needsRestart: string[];
  error?: string;
}

export interface ReloadDeps {
  upstreams: Map<string, Upstream>;
  catalog: Catalog;
  /** Makes an upstream for a server, wired to the gateway (catalog, fan-out, metrics); not started. */
  create(name: string, config: ServerConfig): Upstream;
  drainMs(): number;
  logger: Logger;
  counted(result: ReloadResult): void;
}

/**
 * Applies a new configuration to a running gateway: added servers start,
 * removed ones drain then stop, changed ones are replaced (the new upstream
 * is ready before the old one hands over, and calls in flight on the old one
 * finish). Unchanged servers are untouched. Reloads run one at a time.
 */
export class Reloader {
  readonly #deps: ReloadDeps;
  #current: SophiaConfig;
  #queue: Promise<unknown> = Promise.resolve();

  constructor(deps: ReloadDeps, current: SophiaConfig) {
    this.#deps = deps;
    this.#current = current;
  }

  /** Loads the next configuration and applies it; an invalid one is logged and the old one kept. */
  reload(load: () => SophiaConfig | Promise<SophiaConfig>): Promise<ReloadReport> {
    const run = this.#queue.then(() => this.#reload(load));
    this.#queue = run.catch(() => {});
    return run;
  }

  async #reload(load: () => SophiaConfig | Promise<SophiaConfig>): Promise<ReloadReport> {
    const log = this.#deps.logger;
    let next: SophiaConfig;
    try {
      next = await load();
    } catch (error) {
      log.error(
        { err: errorMessage(error) },
        "new configuration rejected; the old one keeps serving",
      );
      return this.#done(empty("invalid", errorMessage(error)));
    }
    const diff = diffConfigs(this.#current, next);
    for (const what of diff.needsRestart)
      log.warn({ setting: what }, "configuration change needs a restart; not applied");
    const report = { ...empty("ok"), ...pick(diff), kept: [] as string[] };
    try {
      await this.#apply(diff, next, report);
    } catch (error) {
      report.result = "failed";
      report.error = errorMessage(error);
      log.error({ err: report.error }, "configuration reload failed");
    }
    // Servers are now as `next` says, except replacements that failed (kept as they were).
    this.#current = { ...this.#current, servers: merged(this.#current, next, report.kept) };
    log.info({ ...pick(diff), kept: report.kept }, "configuration reloaded");
    return this.#done(report);
  }

  async #apply(diff: ConfigDiff, next: SophiaConfig, report: ReloadReport): Promise<void> {
    const serverOf = (name: string) => next.servers[name] as ServerConfig;
    await Promise.all([
      ...diff.added.map((name) => this.#add(name, serverOf(name))),
      ...diff.changed.map(async (name) => {
        if (!(await this.#replace(name, serverOf(name)))) report.kept.push(name);
      }),
      ...diff.removed.map((name) => this.#remove(name)),
    ]);
  }

  async #add(name: string, config: ServerConfig): Promise<void> {
    const upstream = this.#deps.create(name, config);
    this.#deps.upstreams.set(name, upstream);
    this.#deps.catalog.add(upstream);
    await upstream.start().catch((error: unknown) => {
      this.#deps.logger.warn(
        { server: name, err: errorMessage(error) },
        "added server not ready yet",
      );
    });
  }

  /** Starts the new upstream; only once it is ready does it take over. */
  async #replace(name: string, config: ServerConfig): Promise<boolean> {
    const old = this.#deps.upstreams.get(name);
    const fresh = this.#deps.create(name, config);
    const ready = await fresh.start().then(
      () => true,
      () => whenReady(fresh, 0),
    );
    if (!ready) {
      this.#deps.logger.error(
        { server: name, err: fresh.lastError },
        "changed server did not become ready; the old one keeps serving",
      );
      await fresh.stop(0);
      return false;
    }
    this.#deps.upstreams.set(name, fresh);
    this.#deps.catalog.replace(fresh);
    old?.handOver?.(fresh);
    await this.#deps.catalog.refresh(name);
    await old?.stop(this.#deps.drainMs());
    return true;
  }

  async #remove(name: string): Promise<void> {
    const old = this.#deps.upstreams.get(name);
    this.#deps.upstreams.delete(name);
    this.#deps.catalog.forget(name);
    this.#deps.catalog.remove(name);
    await old?.stop(this.#deps.drainMs());
  }

  #done(report: ReloadReport): ReloadReport {
    this.#deps.counted(report.result);
    return report;
  }
}

function empty(result: ReloadResult, error?: string): ReloadReport {
  const report: ReloadReport = {
    result,
    added: [],
    removed: [],
    changed: [],
    kept: [],
    needsRestart: [],
  };
  if (error !== undefined) report.error = error;
  return report;
}

function pick(diff: ConfigDiff) {
  const { added, removed, changed, needsRestart } = diff;
  return { added, removed, changed, needsRestart };
}

function merged(current: SophiaConfig, next: SophiaConfig, kept: string[]) {
  const servers = { ...next.servers };
  for (const name of kept) {
    const old = current.servers[name];
    if (old !== undefined) servers[name] = old;
  }
  return servers;
}
