/** The state store a flow's `state:` setting names. */
import { resolve } from "node:path";
import type { StateLocation } from "../config/types.ts";
import { FileStateStore } from "./file-store.ts";
import { PgStateStore } from "./pg-store.ts";
import type { StateStore } from "./store.ts";

export async function openStateStore(location: StateLocation, cwd: string): Promise<StateStore> {
  const store =
    location.kind === "file"
      ? new FileStateStore(resolve(cwd, location.dir))
      : new PgStateStore(location.connectionString, location.schema);
  try {
    await store.open();
  } catch (error) {
    await store.close().catch(() => undefined);
    throw error;
  }
  return store;
}
