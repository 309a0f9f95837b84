import { SophiaError } from "../../shared/errors.ts";
import type { Upstream } from "../upstream/types.ts";
import { LIST_METHOD, type ListItem, type ListKind } from "./list-kinds.ts";

/** Upstreams that page forever are cut off here rather than looping. */
const MAX_PAGES = 100;

/** Fetches every page of one list from one upstream. */
export async function fetchList(upstream: Upstream, kind: ListKind): Promise<ListItem[]> {
  const items: ListItem[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    const outcome = await upstream.request(
      LIST_METHOD[kind],
      cursor === undefined ? undefined : { cursor },
    );
    if ("error" in outcome) {
      throw new SophiaError(
        "UPSTREAM_PROTOCOL",
        `server ${upstream.name} answered ${LIST_METHOD[kind]} with error ${outcome.error.code}: ${outcome.error.message}`,
      );
    }
    const list = outcome.result[kind];
    if (!Array.isArray(list)) {
      throw new SophiaError(
        "UPSTREAM_PROTOCOL",
        `server ${upstream.name} answered ${LIST_METHOD[kind]} without a "${kind}" array`,
      );
    }
    items.push(...(list as ListItem[]));
    const next = outcome.result.nextCursor;
    if (typeof next !== "string" || next === "") return items;
    cursor = next;
  }
  throw new SophiaError(
    "UPSTREAM_PROTOCOL",
    `server ${upstream.name} returned more than ${MAX_PAGES} pages for ${LIST_METHOD[kind]}`,
  );
}
