/**
 * Backfill progress on stderr: a redrawn bar on a terminal, a plain line
 * every few seconds otherwise (logs and CI). Formatting is pure.
 */
import type { BackfillReport } from "../../flow/engine/backfill-run.ts";

export interface ProgressSample extends BackfillReport {
  elapsedMs: number;
}

const WIDTH = 20;

function duration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const rest = String(s % 60).padStart(2, "0");
  return h > 0 ? `${h}:${String(m).padStart(2, "0")}:${rest}` : `${m}:${rest}`;
}

const count = (n: number) => Math.round(n).toLocaleString("en-US");

/** "public.t [#########-----------] 45% 9,000/~20,000 rows · 3,200 rows/s · ETA 0:03" */
export function formatProgress(sample: ProgressSample): string {
  const copied = sample.rowsDone - sample.resumedAt;
  const rate = sample.elapsedMs > 0 ? (copied * 1000) / sample.elapsedMs : 0;
  const total = Math.max(sample.estimatedRows, sample.rowsDone);
  const parts = [sample.table];
  if (sample.estimatedRows > 0) {
    const ratio = sample.done ? 1 : Math.min(1, sample.rowsDone / total);
    const filled = Math.round(ratio * WIDTH);
    parts.push(`[${"#".repeat(filled)}${"-".repeat(WIDTH - filled)}]`);
    parts.push(`${Math.floor(ratio * 100)}%`);
    parts.push(`${count(sample.rowsDone)}/~${count(total)} rows`);
  } else parts.push(`${count(sample.rowsDone)} rows`);
  parts.push(`· ${count(rate)} rows/s`);
  if (sample.done) parts.push("· done");
  else if (sample.estimatedRows > 0 && rate > 0)
    parts.push(`· ETA ${duration((total - sample.rowsDone) / rate)}`);
  if (sample.resumedAt > 0) parts.push(`(resumed at ${count(sample.resumedAt)})`);
  return parts.join(" ");
}

export interface ProgressOutput {
  write(text: string): void;
  tty: boolean;
  now?: () => number;
  /** Plain lines at most this often when not a terminal. */
  everyMs?: number;
}

/** Turns progress reports into stderr output; one instance per command run. */
export function progressPrinter(output: ProgressOutput): (report: BackfillReport) => void {
  const now = output.now ?? Date.now;
  const startedAt = new Map<string, number>();
  let lastPlain = Number.NEGATIVE_INFINITY;
  return (report) => {
    const at = now();
    const started = startedAt.get(report.table) ?? at;
    startedAt.set(report.table, started);
    const line = formatProgress({ ...report, elapsedMs: at - started });
    if (output.tty) {
      output.write(`\r${line}\x1b[K${report.done ? "\n" : ""}`);
      return;
    }
    if (!report.done && at - lastPlain < (output.everyMs ?? 5000)) return;
    lastPlain = at;
    output.write(`${line}\n`);
  };
}
