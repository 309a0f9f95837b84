import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { isSophiaError } from "../../shared/errors.ts";
import { decodeFrame, encodeStatusUpdate } from "./framing.ts";
import { decodePgoutput, UNCHANGED } from "./pgoutput.ts";

/** Hand-built protocol bytes. */
class Bytes {
  parts: Buffer[] = [];
  u8(v: number): this {
    this.parts.push(Buffer.from([v]));
    return this;
  }
  ch(c: string): this {
    return this.u8(c.charCodeAt(0));
  }
  i16(v: number): this {
    const b = Buffer.alloc(2);
    b.writeInt16BE(v);
    this.parts.push(b);
    return this;
  }
  i32(v: number): this {
    const b = Buffer.alloc(4);
    b.writeInt32BE(v);
    this.parts.push(b);
    return this;
  }
  u64(v: bigint): this {
    const b = Buffer.alloc(8);
    b.writeBigUInt64BE(v);
    this.parts.push(b);
    return this;
  }
  str(s: string): this {
    this.parts.push(Buffer.from(`${s}\0`));
    return this;
  }
  text(s: string): this {
    const body = Buffer.from(s);
    return this.ch("t").i32(body.length).raw(body);
  }
  raw(b: Buffer): this {
    this.parts.push(b);
    return this;
  }
  done(): Buffer {
    return Buffer.concat(this.parts);
  }
}

const MS_2024 = Date.UTC(2024, 0, 1);
const micros2024 = BigInt(MS_2024 - Date.UTC(2000, 0, 1)) * 1000n;

test("Begin and Commit: LSNs, commit time in epoch ms, xid", () => {
  const begin = decodePgoutput(
    new Bytes().ch("B").u64(0x16b374d848n).u64(micros2024).i32(777).done(),
  );
  assert.deepEqual(begin, {
    tag: "begin",
    finalLsn: 0x16b374d848n,
    commitTimeMs: MS_2024,
    xid: 777,
  });
  const commit = decodePgoutput(new Bytes().ch("C").u8(0).u64(10n).u64(20n).u64(micros2024).done());
  assert.deepEqual(commit, {
    tag: "commit",
    flags: 0,
    commitLsn: 10n,
    endLsn: 20n,
    commitTimeMs: MS_2024,
  });
});

test("Relation, Type and Origin", () => {
  const relation = decodePgoutput(
    new Bytes()
      .ch("R")
      .i32(16385)
      .str("public")
      .str("items")
      .ch("d")
      .i16(2)
      .u8(1)
      .str("id")
      .i32(23)
      .i32(-1)
      .u8(0)
      .str("body")
      .i32(25)
      .i32(-1)
      .done(),
  );
  assert.deepEqual(relation, {
    tag: "relation",
    relationId: 16385,
    schema: "public",
    table: "items",
    replicaIdentity: "d",
    columns: [
      { isKey: true, name: "id", typeOid: 23, typeMod: -1 },
      { isKey: false, name: "body", typeOid: 25, typeMod: -1 },
    ],
  });
  assert.deepEqual(
    decodePgoutput(new Bytes().ch("Y").i32(99999).str("public").str("vector").done()),
    {
      tag: "type",
      typeOid: 99999,
      schema: "public",
      name: "vector",
    },
  );
  assert.deepEqual(decodePgoutput(new Bytes().ch("O").u64(5n).str("origin1").done()), {
    tag: "origin",
    originLsn: 5n,
    name: "origin1",
  });
});

test("Insert, Update with old key and old tuple, Delete: tuple kinds n, u, t", () => {
  const tuple = (b: Bytes) => b.i16(3).text("1").ch("n").ch("u");
  const insert = decodePgoutput(tuple(new Bytes().ch("I").i32(7).ch("N")).done());
  assert.deepEqual(insert, { tag: "insert", relationId: 7, newTuple: ["1", null, UNCHANGED] });
  const plain = decodePgoutput(tuple(new Bytes().ch("U").i32(7).ch("N")).done());
  assert.deepEqual(plain, {
    tag: "update",
    relationId: 7,
    oldKind: null,
    oldTuple: null,
    newTuple: ["1", null, UNCHANGED],
  });
  const keyed = decodePgoutput(
    new Bytes().ch("U").i32(7).ch("K").i16(1).text("0").ch("N").i16(1).text("2").done(),
  );
  assert.deepEqual(keyed, {
    tag: "update",
    relationId: 7,
    oldKind: "K",
    oldTuple: ["0"],
    newTuple: ["2"],
  });
  const full = decodePgoutput(
    new Bytes().ch("U").i32(7).ch("O").i16(1).text("é").ch("N").i16(1).text("ü").done(),
  );
  assert.deepEqual(full, {
    tag: "update",
    relationId: 7,
    oldKind: "O",
    oldTuple: ["é"],
    newTuple: ["ü"],
  });
  const del = decodePgoutput(new Bytes().ch("D").i32(7).ch("K").i16(1).text("1").done());
  assert.deepEqual(del, { tag: "delete", relationId: 7, oldKind: "K", oldTuple: ["1"] });
});

test("Truncate and logical Message", () => {
  const truncate = decodePgoutput(new Bytes().ch("T").i32(2).u8(1).i32(7).i32(8).done());
  assert.deepEqual(truncate, { tag: "truncate", options: 1, relationIds: [7, 8] });
  const message = decodePgoutput(
    new Bytes().ch("M").u8(1).u64(42n).str("sophia.heartbeat").i32(2).raw(Buffer.from("hi")).done(),
  );
  assert.deepEqual(message, {
    tag: "message",
    transactional: true,
    lsn: 42n,
    prefix: "sophia.heartbeat",
    content: Buffer.from("hi"),
  });
});

test("XLogData and keepalive framing; the pgoutput message is decoded in place", () => {
  const inner = new Bytes().ch("B").u64(1n).u64(0n).i32(3).done();
  const frame = new Bytes().ch("w").u64(100n).u64(200n).u64(micros2024).raw(inner).done();
  const decoded = decodeFrame(frame);
  assert.equal(decoded.kind, "xlog");
  if (decoded.kind !== "xlog") return;
  assert.equal(decoded.walStart, 100n);
  assert.equal(decoded.walEnd, 200n);
  assert.equal(decodePgoutput(frame, decoded.payloadStart).tag, "begin");
  assert.deepEqual(decodeFrame(new Bytes().ch("k").u64(300n).u64(micros2024).u8(1).done()), {
    kind: "keepalive",
    walEnd: 300n,
    sendTimeMicros: Number(micros2024),
    replyRequested: true,
  });
});

test("standby status update carries the acknowledged position as write, flush and apply", () => {
  const update = encodeStatusUpdate(0xabcn, Date.UTC(2000, 0, 1) + 1);
  assert.equal(update.length, 34);
  assert.equal(String.fromCharCode(update[0] as number), "r");
  assert.equal(update.readBigUInt64BE(1), 0xabcn);
  assert.equal(update.readBigUInt64BE(9), 0xabcn);
  assert.equal(update.readBigUInt64BE(17), 0xabcn);
  assert.equal(update.readBigInt64BE(25), 1000n);
  assert.equal(update[33], 0);
});

function decodesOrFailsClearly(run: () => unknown): void {
  try {
    run();
  } catch (error) {
    assert.ok(isSophiaError(error, "FLOW_PROTOCOL"), `unexpected error: ${String(error)}`);
  }
}

test("fuzz: random bytes decode or fail with FLOW_PROTOCOL, never anything else", () => {
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) => {
      const buf = Buffer.from(bytes);
      decodesOrFailsClearly(() => decodePgoutput(buf));
      decodesOrFailsClearly(() => decodeFrame(buf));
    }),
    { numRuns: 5000 },
  );
});

test("fuzz: valid messages truncated or corrupted at any byte fail clearly", () => {
  const samples = [
    new Bytes()
      .ch("R")
      .i32(1)
      .str("s")
      .str("t")
      .ch("f")
      .i16(1)
      .u8(1)
      .str("id")
      .i32(23)
      .i32(-1)
      .done(),
    new Bytes()
      .ch("U")
      .i32(7)
      .ch("O")
      .i16(2)
      .text("1")
      .ch("u")
      .ch("N")
      .i16(2)
      .text("2")
      .ch("n")
      .done(),
    new Bytes().ch("T").i32(2).u8(0).i32(7).i32(8).done(),
    new Bytes().ch("M").u8(0).u64(42n).str("p").i32(3).raw(Buffer.from("abc")).done(),
  ];
  fc.assert(
    fc.property(fc.constantFrom(...samples), fc.nat(), fc.nat(255), (sample, at, value) => {
      const cut = sample.subarray(0, at % sample.length);
      decodesOrFailsClearly(() => decodePgoutput(cut));
      const flipped = Buffer.from(sample);
      flipped[at % flipped.length] = value;
      decodesOrFailsClearly(() => decodePgoutput(flipped));
    }),
    { numRuns: 5000 },
  );
});
