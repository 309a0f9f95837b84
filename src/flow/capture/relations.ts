/**
 * The relation cache: what pgoutput's Relation and Type messages said about
 * each table. A new Relation message (after ALTER TABLE) replaces the entry,
 * so later rows are read with the new columns.
 */
import type { RelationColumn } from "./pgoutput.ts";
import { parserFor, type ValueParser } from "./values.ts";

export interface CachedColumn {
  name: string;
  typeOid: number;
  parse: ValueParser;
}

export interface CachedRelation {
  id: number;
  schema: string;
  table: string;
  columns: CachedColumn[];
  /** Indexes into `columns` of the event key (primary key when known). */
  keyIndexes: number[];
}

export class RelationCache {
  readonly #relations = new Map<number, CachedRelation>();
  readonly #typeNames = new Map<number, string>();
  /** "schema.table" → primary key columns, from preflight (Relation flags mark every column under FULL). */
  readonly #keys: ReadonlyMap<string, readonly string[]>;

  constructor(keys: ReadonlyMap<string, readonly string[]> = new Map()) {
    this.#keys = keys;
  }

  setType(typeOid: number, name: string): void {
    this.#typeNames.set(typeOid, name);
  }

  set(id: number, schema: string, table: string, columns: RelationColumn[]): CachedRelation {
    const cached = columns.map((c) => ({
      name: c.name,
      typeOid: c.typeOid,
      parse: parserFor(c.typeOid, this.#typeNames.get(c.typeOid)),
    }));
    const relation = {
      id,
      schema,
      table,
      columns: cached,
      keyIndexes: keyIndexes(columns, this.#keys.get(`${schema}.${table}`)),
    };
    this.#relations.set(id, relation);
    return relation;
  }

  get(id: number): CachedRelation | undefined {
    return this.#relations.get(id);
  }
}

function keyIndexes(columns: RelationColumn[], known: readonly string[] | undefined): number[] {
  if (known !== undefined && known.length > 0) {
    const indexes = known.map((name) => columns.findIndex((c) => c.name === name));
    if (indexes.every((i) => i >= 0)) return indexes;
  }
  const flagged: number[] = [];
  columns.forEach((c, i) => {
    if (c.isKey) flagged.push(i);
  });
  return flagged;
}
