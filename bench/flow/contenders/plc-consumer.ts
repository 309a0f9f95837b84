/**
 * Baseline: the consumer most Node projects write, on `pg-logical-replication`
 * with pgoutput, posting each change (`each`) or batches of up to 1,000 changes
 * (`batch`, flushed at 1,000 or at each commit) to the receiver, acknowledging
 * after the POST. Run as its own process: node plc-consumer.ts <url> <slot> <publication> <receiver> <each|batch>
 */
import { LogicalReplicationService, PgoutputPlugin } from "pg-logical-replication";
import { Agent, request } from "undici";

const [url, slot, publication, receiver, mode] = process.argv.slice(2) as [
  string,
  string,
  string,
  string,
  string,
];
const agent = new Agent({ connections: 1, keepAliveTimeout: 60_000 });
let buffer: Record<string, unknown>[] = [];

async function post(rows: Record<string, unknown>[]): Promise<void> {
  const response = await request(receiver, {
    method: "POST",
    dispatcher: agent,
    headers: { "content-type": "application/json" },
    body: JSON.stringify(rows),
  });
  await response.body.dump();
}

const service = new LogicalReplicationService(
  { connectionString: url },
  { acknowledge: { auto: false, timeoutSeconds: 0 }, flowControl: { enabled: true } },
);
service.on("data", async (lsn: string, log: { tag: string; new?: Record<string, unknown> }) => {
  if (log.tag === "insert" && log.new) {
    if (mode === "each") {
      await post([log.new]);
      await service.acknowledge(lsn);
      return;
    }
    buffer.push(log.new);
    if (buffer.length < 1000) return;
  } else if (log.tag !== "commit" || buffer.length === 0) return;
  const rows = buffer;
  buffer = [];
  await post(rows);
  await service.acknowledge(lsn);
});
service.on("error", (error: Error) => {
  process.stderr.write(`plc-consumer: ${error.message}\n`);
});
process.on("SIGTERM", () => {
  void service.stop().finally(() => process.exit(0));
});
await service.subscribe(
  new PgoutputPlugin({ protoVersion: 1, publicationNames: [publication] }),
  slot,
);
