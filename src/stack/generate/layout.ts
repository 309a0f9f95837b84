/**
 * Where generated files go. Files that tools look for at fixed places
 * (.github/, AGENTS.md, .dockerignore at the build context) sit at the project
 * root; everything else sits in the output folder (default `deploy`).
 * Every path is relative to the project root, with `/` separators.
 */
import { posix } from "node:path";
import type { StackModel } from "../model.ts";

export interface Layout {
  /** The output folder relative to the project root, e.g. "deploy". */
  out: string;
}

export function layoutFor(out: string): Layout {
  const normal = posix.normalize(out.replaceAll("\\", "/")).replace(/\/+$/, "");
  return { out: normal === "" ? "." : normal };
}

/** A path inside the output folder, relative to the project root. */
export function inOut(layout: Layout, path: string): string {
  return layout.out === "." ? path : `${layout.out}/${path}`;
}

/** A project-root path as seen from the output folder (Compose resolves paths from its file). */
export function fromOut(layout: Layout, rootPath: string): string {
  const relative = posix.relative(layout.out, rootPath === "" ? "." : rootPath);
  return relative === "" ? "." : relative;
}

/** Secrets only the data services and n8n read; the rest go to the gateway and flow. */
export const INFRA_SECRETS = new Set([
  "postgres_password",
  "redis_password",
  "n8n_encryption_key",
  "n8n_runners_auth_token",
]);

export function appSecrets(model: StackModel): string[] {
  return model.secrets.filter((name) => !INFRA_SECRETS.has(name));
}
