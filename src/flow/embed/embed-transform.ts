/**
 * The embed transform: for inserts, updates and snapshot reads, chunk the
 * configured fields and attach vectors (`chunks`), or mark the event
 * `chunksUnchanged` when the embedded content did not change, without calling
 * the provider. Deletes and truncates pass through untouched.
 */
import { SophiaError } from "../../shared/errors.ts";
import type { Logger } from "../../shared/logger.ts";
import { type ChangeEvent, type Chunk, eventId } from "../events.ts";
import type { Transform } from "../transform.ts";
import { chunkText } from "./chunk.ts";
import type { ContentHashLookup, Embedder } from "./embedder.ts";
import { createEmbedder, type EmbedOptions, embedOptionsSchema } from "./options.ts";
import { planEvent } from "./plan.ts";
import { createSemaphore } from "./semaphore.ts";
import { contentHash } from "./text.ts";

export interface EmbedDeps {
  logger: Logger;
  /** The sink's stored hashes: rows whose hash matches are not embedded again (restarts, re-snapshots). */
  lookup?: ContentHashLookup;
  /** Replaces the configured provider (tests, custom providers written in code). */
  embedder?: Embedder;
}

export interface EmbedCounts {
  embeddedRows: number;
  unchangedRows: number;
  chunks: number;
}

export interface EmbedTransform extends Transform {
  readonly embedder: Embedder;
  readonly counts: Readonly<EmbedCounts>;
}

interface Work {
  index: number;
  hash: string;
  texts: string[];
}

export function createEmbed(
  options: EmbedOptions,
  deps: EmbedDeps,
  name = "embed",
): EmbedTransform {
  const parsed = embedOptionsSchema.parse(options);
  const embedder = deps.embedder ?? createEmbedder(parsed.provider);
  const counts: EmbedCounts = { embeddedRows: 0, unchangedRows: 0, chunks: 0 };
  const lookups = createSemaphore(8);
  const controller = new AbortController();

  async function storedHashMatches(event: ChangeEvent, hash: string): Promise<boolean> {
    if (deps.lookup === undefined) return false;
    const table = `${event.source.schema}.${event.source.table}`;
    const lookup = deps.lookup;
    return (await lookups(() => lookup(table, event.key))) === hash;
  }

  async function plan(events: ChangeEvent[], out: ChangeEvent[]): Promise<Work[]> {
    const pending = events.map(async (event, index): Promise<Work | undefined> => {
      const decision = planEvent(event, parsed);
      if (decision.kind === "pass") return undefined;
      if (decision.kind === "unknown")
        deps.logger.warn(
          { transform: name, event: eventId(event), missing: decision.missing },
          "embedded field is an unchanged TOAST value the old row lacks; keeping stored chunks (set REPLICA IDENTITY FULL on the table)",
        );
      if (decision.kind !== "embed") return keep(out, index, event);
      const hash = contentHash(decision.text, embedder.name, parsed.chunk);
      if (await storedHashMatches(event, hash)) return keep(out, index, event);
      return { index, hash, texts: chunkText(decision.text, parsed.chunk) };
    });
    return (await Promise.all(pending)).filter((w) => w !== undefined);
  }

  function keep(out: ChangeEvent[], index: number, event: ChangeEvent): undefined {
    out[index] = { ...event, chunksUnchanged: true };
    counts.unchangedRows++;
    return undefined;
  }

  return {
    name,
    embedder,
    counts,
    async apply(events) {
      const out = [...events];
      const work = await plan(events, out);
      const texts = work.flatMap((w) => w.texts);
      const vectors = texts.length === 0 ? [] : await embedder.embed(texts, controller.signal);
      if (vectors.length !== texts.length)
        throw new SophiaError(
          "FLOW_EMBED_FAILED",
          `embedder ${embedder.name} returned ${vectors.length} vectors for ${texts.length} texts`,
          {
            hint: "a custom Embedder must return one vector per text, in order",
          },
        );
      let next = 0;
      for (const w of work) {
        const chunks: Chunk[] = w.texts.map((text, index) => ({
          index,
          text,
          embedding: vectors[next++]!,
          contentHash: w.hash,
        }));
        out[w.index] = { ...events[w.index]!, chunks, chunksUnchanged: false };
        counts.embeddedRows++;
        counts.chunks += chunks.length;
      }
      return out;
    },
    async stop() {
      controller.abort(
        new SophiaError("FLOW_EMBED_FAILED", `embed "${name}" stopped while embedding`),
      );
    },
  };
}
