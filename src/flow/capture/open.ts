/** openCapture: preflight, publication and slot, then the first replication session. */
import type { Logger } from "../../shared/logger.ts";
import type { CaptureOptions } from "./api.ts";
import { preflight } from "./preflight.ts";
import { ensurePublication } from "./publication.ts";
import { ensureSlot } from "./slot.ts";
import { SourceDb } from "./source-db.ts";
import { Capture } from "./stream.ts";

/**
 * Checks the source (FLOW_SOURCE_NOT_READY says what to run), creates or
 * checks the publication and slot, and starts streaming from the slot's
 * confirmed position. Rejects with FLOW_SLOT_IN_USE / FLOW_SLOT_INVALIDATED.
 */
export async function openCapture(options: CaptureOptions, logger: Logger): Promise<Capture> {
  const db = new SourceDb(options.connectionString);
  try {
    const keys = await db.use(async (client) => {
      const infos = await preflight(client, options.tables);
      await ensurePublication(client, options.publication, options.tables, infos, logger);
      await ensureSlot(client, options.slot, logger);
      return new Map(infos.map((info) => [info.name, info.keyColumns]));
    });
    const capture = new Capture(options, logger, db, keys);
    await capture.start();
    return capture;
  } catch (error) {
    await db.close();
    throw error;
  }
}
