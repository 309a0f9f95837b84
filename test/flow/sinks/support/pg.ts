/** A private schema per test in the real PostgreSQL, dropped afterwards. */
import pg from "pg";
import { uniqueName } from "./events.ts";

export const PG_URL =
  process.env.SOPHIA_TEST_PG_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";

export interface TestSchema {
  name: string;
  db: pg.Client;
  drop(): Promise<void>;
}

export async function createSchema(prefix: string): Promise<TestSchema> {
  const name = uniqueName(prefix);
  const db = new pg.Client({ connectionString: PG_URL });
  await db.connect();
  await db.query(`CREATE SCHEMA ${name}`);
  return {
    name,
    db,
    async drop() {
      await db.query(`DROP SCHEMA ${name} CASCADE`);
      await db.end();
    },
  };
}
