/**
 * `node bench/flow/hot-path.ts [--rows 100000] [--rounds 5]`: CPU cost per row
 * of each stage of the webhook path, in memory (no PostgreSQL, no socket):
 * pgoutput decode → change events → request bodies → HMAC. Rows look like
 * the flow benchmark's (id bigint, ts_ms float8, payload text). Prints the
 * best round's CPU time (user + system, so other load on the machine moves it
 * less than wall time) in µs per row for each stage.
 */
import { parseArgs } from "node:util";
import { Assembler } from "../../src/flow/capture/assembler.ts";
import { decodePgoutput } from "../../src/flow/capture/pgoutput.ts";
import { RelationCache } from "../../src/flow/capture/relations.ts";
import type { ChangeEvent } from "../../src/flow/events.ts";
import { splitRequests } from "../../src/flow/sinks/webhook/batching.ts";
import { sign } from "../../src/flow/sinks/webhook/signature.ts";

const { values } = parseArgs({
  options: {
    rows: { type: "string", default: "100000" },
    rounds: { type: "string", default: "9" },
  },
});
const ROWS = Number(values.rows);
const ROUNDS = Number(values.rounds);
const PER_TX = 1000;

function frame(body: Buffer): Buffer {
  const out = Buffer.alloc(25 + body.length);
  out[0] = 0x77;
  body.copy(out, 25);
  return out;
}

function cstr(text: string): Buffer {
  return Buffer.from(`${text}\0`);
}

function relationMessage(): Buffer {
  const columns: [string, number][] = [
    ["id", 20],
    ["ts_ms", 701],
    ["payload", 25],
  ];
  const parts = [
    Buffer.from("R"),
    u32(16400),
    cstr("public"),
    cstr("bench_flow_x"),
    Buffer.from("d"),
  ];
  parts.push(i16(columns.length));
  columns.forEach(([name, oid], i) => {
    parts.push(Buffer.from([i === 0 ? 1 : 0]), cstr(name), u32(oid), u32(0xffffffff));
  });
  return frame(Buffer.concat(parts));
}

function u32(v: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(v >>> 0);
  return b;
}
function i16(v: number): Buffer {
  const b = Buffer.alloc(2);
  b.writeInt16BE(v);
  return b;
}
function u64(v: bigint): Buffer {
  const b = Buffer.alloc(8);
  b.writeBigUInt64BE(v);
  return b;
}
function text(value: string): Buffer {
  const body = Buffer.from(value);
  return Buffer.concat([Buffer.from("t"), u32(body.length), body]);
}

function insertMessage(id: number): Buffer {
  const ts = String(1_795_800_000_000 + id * 0.137);
  const payload = `row-${id}-0123456789abcdef0123456789abcdef`;
  return frame(
    Buffer.concat([
      Buffer.from("I"),
      u32(16400),
      Buffer.from("N"),
      i16(3),
      text(String(id)),
      text(ts),
      text(payload),
    ]),
  );
}

function messages(): Buffer[] {
  const out: Buffer[] = [relationMessage()];
  for (let tx = 0; tx < ROWS / PER_TX; tx++) {
    const lsn = 0x1000000n + BigInt(tx) * 0x10000n;
    out.push(
      frame(Buffer.concat([Buffer.from("B"), u64(lsn), u64(800_000_000_000n), u32(900 + tx)])),
    );
    for (let i = 0; i < PER_TX; i++) out.push(insertMessage(tx * PER_TX + i + 1));
    out.push(
      frame(
        Buffer.concat([
          Buffer.from("C"),
          Buffer.from([0]),
          u64(lsn),
          u64(lsn + 8n),
          u64(800_000_000_000n),
        ]),
      ),
    );
  }
  return out;
}

function time(what: string, run: () => void): void {
  let best = Number.POSITIVE_INFINITY;
  for (let round = 0; round < ROUNDS; round++) {
    const started = process.cpuUsage();
    run();
    const used = process.cpuUsage(started);
    best = Math.min(best, (used.user + used.system) / 1000);
  }
  console.log(`${what.padEnd(34)} ${((best * 1000) / ROWS).toFixed(2).padStart(6)} µs/row`);
}

const input = messages();
let events: ChangeEvent[] = [];
function decodeAll(): ChangeEvent[] {
  const out: ChangeEvent[] = [];
  const assembler = new Assembler(new RelationCache(), {
    event: (e) => out.push(e),
    commit: () => {},
  });
  for (const chunk of input) assembler.push(decodePgoutput(chunk, 25));
  return out;
}
time("decode pgoutput only", () => {
  for (const chunk of input) decodePgoutput(chunk, 25);
});
time("decode + assemble events", () => {
  events = decodeAll();
});
let bodies: Buffer[] = [];
time("request bodies (1,000 events)", () => {
  bodies = [];
  for (let i = 0; i < events.length; i += PER_TX)
    for (const r of splitRequests(events.slice(i, i + PER_TX), 1000, 1 << 20)) bodies.push(r.body);
});
time("HMAC-SHA256 of the bodies", () => {
  for (const body of bodies) sign("bench-secret-0123456789abcdef", body, 1_800_000_000);
});
time("all stages", () => {
  const all = decodeAll();
  for (let i = 0; i < all.length; i += PER_TX)
    for (const r of splitRequests(all.slice(i, i + PER_TX), 1000, 1 << 20))
      sign("bench-secret-0123456789abcdef", r.body, 1_800_000_000);
});
console.log(`body bytes per row: ${(bodies.reduce((n, b) => n + b.length, 0) / ROWS).toFixed(0)}`);
