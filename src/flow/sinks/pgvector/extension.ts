/** The pgvector extension: present, creatable, or a clear error naming the fix. */
import type pg from "pg";
import { SophiaError } from "../../../shared/errors.ts";

export async function vectorAvailability(
  db: pg.Pool,
): Promise<"installed" | "available" | "missing"> {
  const result = await db.query<{ installed: string | null }>(
    "SELECT installed_version AS installed FROM pg_available_extensions WHERE name = 'vector'",
  );
  const row = result.rows[0];
  if (row === undefined) return "missing";
  return row.installed === null ? "available" : "installed";
}

export async function ensureVectorExtension(
  db: pg.Pool,
  sink: string,
  create: boolean,
): Promise<void> {
  const state = await vectorAvailability(db);
  if (state === "installed") return;
  if (state === "available" && create) {
    await db.query("CREATE EXTENSION IF NOT EXISTS vector");
    return;
  }
  throw new SophiaError(
    "FLOW_SINK_FAILED",
    state === "missing"
      ? `sink "${sink}": the pgvector extension is not installed on this PostgreSQL server`
      : `sink "${sink}": the pgvector extension is available but not created in this database`,
    {
      hint:
        state === "missing"
          ? "install it on the server (Debian/Ubuntu: apt-get install postgresql-15-pgvector, matching your PostgreSQL major version), then run CREATE EXTENSION vector; or set columnType: real[]"
          : "run CREATE EXTENSION vector as a superuser, or set createTable: true so the sink creates it",
    },
  );
}

/** The `vector` type's OID as this connection resolves the name: binary vector[] parameters carry it. */
export async function vectorTypeOid(db: pg.Pool, sink: string): Promise<number> {
  const result = await db.query<{ oid: number | null }>(
    "SELECT to_regtype('vector')::oid::int AS oid",
  );
  const oid = result.rows[0]?.oid;
  if (oid !== null && oid !== undefined) return oid;
  throw new SophiaError(
    "FLOW_SINK_FAILED",
    `sink "${sink}": the type "vector" is not visible to this connection`,
    {
      hint: "put the schema pgvector was created in on the role's search_path, or create the extension in public",
    },
  );
}
