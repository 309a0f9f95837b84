/**
 * Column reshaping for the map transform (pure): computed fields, renames,
 * pick/drop, constants. Order: templates read the incoming row, then columns
 * are renamed, then picked/dropped, then the `set` fields are added.
 */
import type { ChangeEvent, Row } from "../events.ts";
import { isTemplate, parseTemplate, type Template } from "./template.ts";

export interface ReshapeSpec {
  rename?: Record<string, string>;
  drop?: string[];
  pick?: string[];
  /** Constants, or strings with `${column}` placeholders computed from the row. */
  set?: Record<string, unknown>;
}

type Setter = { field: string; constant: unknown } | { field: string; template: Template };

/** Compiles a spec once; the returned function reshapes one event. @throws TypeError on a bad template */
export function compileReshape(spec: ReshapeSpec): (event: ChangeEvent) => ChangeEvent {
  const setters: Setter[] = Object.entries(spec.set ?? {}).map(([field, value]) =>
    typeof value === "string" && isTemplate(value)
      ? { field, template: parseTemplate(value) }
      : { field, constant: value },
  );
  const rename = spec.rename ?? {};
  const keep = (column: string) =>
    (spec.pick === undefined || spec.pick.includes(column)) && !(spec.drop ?? []).includes(column);
  const columns = (row: Row): Row =>
    Object.fromEntries(
      Object.entries(row)
        .map(([column, value]) => [rename[column] ?? column, value] as const)
        .filter(([column]) => keep(column)),
    );
  return (event) => {
    const computed = compute(setters, event);
    const out: ChangeEvent = {
      ...event,
      key: renameOnly(event.key, rename),
      before: event.before === null ? null : columns(event.before),
      after: event.after === null ? null : { ...columns(event.after), ...computed.values },
    };
    if (event.previousKey !== undefined) out.previousKey = renameOnly(event.previousKey, rename);
    const unchanged = [
      ...(event.unchanged ?? []).map((c) => rename[c] ?? c).filter(keep),
      ...computed.unknown,
    ];
    if (unchanged.length > 0 || event.unchanged !== undefined) out.unchanged = unchanged;
    return out;
  };
}

/**
 * A computed field whose template reads a TOASTed column the update did not
 * send cannot be computed: it is marked unchanged so sinks keep the stored value.
 */
function compute(setters: Setter[], event: ChangeEvent): { values: Row; unknown: string[] } {
  const values: Row = {};
  const unknown: string[] = [];
  const after = event.after;
  if (after === null) return { values, unknown };
  for (const setter of setters) {
    if ("constant" in setter) values[setter.field] = setter.constant;
    else if (setter.template.columns.some((c) => !(c in after) && event.unchanged?.includes(c)))
      unknown.push(setter.field);
    else values[setter.field] = setter.template.render(after);
  }
  return { values, unknown };
}

function renameOnly(row: Row, rename: Record<string, string>): Row {
  return Object.fromEntries(Object.entries(row).map(([c, v]) => [rename[c] ?? c, v]));
}
