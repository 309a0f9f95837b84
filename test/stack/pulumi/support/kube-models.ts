/** Validates recorded Kubernetes objects with kubernetes-models (the upstream OpenAPI schemas). */
import type { RecordedResource } from "./run-program.ts";

interface ModelClass {
  new (data: unknown): { validate(): void };
}

/** "kubernetes:apps/v1:Deployment" → "kubernetes-models/apps/v1/Deployment" (core/v1 lives under v1/). */
export function modelModule(type: string): string {
  const [, groupVersion, kind] = type.split(":");
  if (groupVersion === undefined || kind === undefined)
    throw new Error(`not a Kubernetes type: ${type}`);
  const path = groupVersion.startsWith("core/") ? groupVersion.slice("core/".length) : groupVersion;
  return `kubernetes-models/${path}/${kind}`;
}

/** Throws with the schema's message when an object does not validate. */
export async function validateObject(resource: RecordedResource): Promise<void> {
  const module = (await import(modelModule(resource.type))) as Record<string, ModelClass>;
  const kind = resource.type.split(":")[2] ?? "";
  const Model = module[kind];
  if (Model === undefined) throw new Error(`kubernetes-models has no ${kind}`);
  try {
    new Model(resource.inputs).validate();
  } catch (error) {
    throw new Error(
      `${resource.type} ${resource.name}: ${error instanceof Error ? error.message : error}`,
    );
  }
}
