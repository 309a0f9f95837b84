/** Module functions the transform tests load through configuration. */
import type { ChangeEvent } from "../../events.ts";

export const notAFunction = 42;

export function isPublished(event: ChangeEvent): boolean {
  return event.after?.status === "published";
}

export async function slowIsPublished(event: ChangeEvent): Promise<boolean> {
  await new Promise((r) => setTimeout(r, 1));
  return event.after?.status === "published";
}

/** Splits a row with a `tags` array into one event per tag; drops rows without tags. */
export function perTag(event: ChangeEvent): ChangeEvent[] | null {
  const tags = event.after?.tags;
  if (!Array.isArray(tags) || tags.length === 0) return null;
  return tags.map((tag) => ({ ...event, after: { ...event.after, tag } }));
}

export function upperTitle(event: ChangeEvent): ChangeEvent {
  const title = event.after?.title;
  if (typeof title !== "string" || event.after === null) return event;
  return { ...event, after: { ...event.after, title: title.toUpperCase() } };
}

export async function addOwner(events: ChangeEvent[]): Promise<ChangeEvent[]> {
  const owners: Record<string, string> = { "1": "ada", "2": "linus" };
  return events.map((e) =>
    e.after === null ? e : { ...e, after: { ...e.after, owner: owners[String(e.key.id)] ?? null } },
  );
}

export function returnsNothing(): unknown {
  return undefined;
}

export default function keepAll(): boolean {
  return true;
}
