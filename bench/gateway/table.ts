/** Renders cells as one aligned text table. */
import type { Cell } from "./cell.ts";

const HEADER = [
  "target",
  "C",
  "req/s",
  "p50 ms",
  "p99 ms",
  "errors",
  "RSS MB",
  "tree MB",
  "vs direct",
  "cpu%",
  "gen cpu%",
  "others%",
  "open s",
];

function fixed(value: number | undefined, digits: number): string {
  return value === undefined || Number.isNaN(value) ? "-" : value.toFixed(digits);
}

function row(cell: Cell): string[] {
  if (cell.status === "failed") {
    const reason = cell.reason.split("\n")[0] ?? "";
    return [cell.target, String(cell.concurrency), `target failed: ${reason}`];
  }
  const { load, rss } = cell;
  const errors = Object.values(load.errors).reduce((a, b) => a + b, 0) + load.initErrors;
  return [
    cell.target,
    String(cell.concurrency),
    fixed(load.reqPerSec, 0),
    fixed(load.latency.p50Ms, 2),
    fixed(load.latency.p99Ms, 2),
    String(errors),
    fixed(rss.peakProcessMb, 0),
    fixed(rss.peakTreeMb, 0),
    cell.ratioToDirect === undefined ? "-" : `${cell.ratioToDirect.toFixed(2)}x`,
    fixed(cell.cpuPercent.tree, 0),
    fixed(load.loadCpuPercent, 0),
    fixed(cell.cpuPercent.others, 0),
    fixed(load.initMs / 1000, 1),
  ];
}

export function renderTable(cells: Cell[]): string {
  const rows = cells.map(row);
  const widths = HEADER.map((title, i) => {
    // A failure message spans the remaining columns and does not widen them.
    const lengths = rows
      .filter((r) => i < r.length - 1 || r.length === HEADER.length)
      .map((r) => (r[i] ?? "").length);
    return Math.max(title.length, ...lengths);
  });
  const format = (cols: string[]): string =>
    cols
      .map((col, i) => {
        if (cols.length < HEADER.length && i === cols.length - 1) return col;
        return i < 1 ? col.padEnd(widths[i] ?? 0) : col.padStart(widths[i] ?? 0);
      })
      .join("  ");
  const rule = widths.map((w) => "-".repeat(w)).join("  ");
  return [format(HEADER), rule, ...rows.map(format)].join("\n");
}
