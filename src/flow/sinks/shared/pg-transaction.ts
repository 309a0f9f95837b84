/** One transaction per batch: commit all of it or none of it. */
import type { Pool, PoolClient } from "pg";
import { errorMessage, SophiaError } from "../../../shared/errors.ts";

export async function inTransaction<T>(
  pool: Pool,
  work: (client: PoolClient) => Promise<T>,
): Promise<T> {
  const client = await pool.connect();
  let broken: Error | undefined;
  try {
    await client.query("BEGIN");
    const result = await work(client);
    await client.query("COMMIT");
    return result;
  } catch (error) {
    // A failed ROLLBACK means the connection is unusable: drop it from the pool.
    await client.query("ROLLBACK").catch((rollbackError: unknown) => {
      broken = rollbackError instanceof Error ? rollbackError : new Error(String(rollbackError));
    });
    throw error;
  } finally {
    client.release(broken);
  }
}

/**
 * A sink's batch write: one transaction, and any failure that is not already
 * a SophiaError reported as FLOW_SINK_FAILED naming the sink and `target`.
 */
export async function writeBatchInTransaction(
  pool: Pool,
  sink: string,
  target: string,
  work: (client: PoolClient) => Promise<void>,
): Promise<void> {
  try {
    await inTransaction(pool, work);
  } catch (error) {
    if (error instanceof SophiaError) throw error;
    throw new SophiaError(
      "FLOW_SINK_FAILED",
      `sink "${sink}": batch not written to ${target}: ${errorMessage(error)}`,
      {
        hint: "nothing of this batch was kept (one transaction); the engine retries it",
        cause: error,
      },
    );
  }
}
