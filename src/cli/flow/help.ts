/** Help texts of `sophia flow` and its subcommands. */
export const FLOW_HELP = {
  main: `sophia flow — change data capture from PostgreSQL to sinks

Usage: sophia flow <run|status|backfill|dlq|export|capture|worker> [options]   (each has --help)

  run       run the flows of sophia.yaml, or one flow from flags (one-line form)
  status    slot lag, retained WAL, per-sink checkpoints, dead letters
  backfill  copy existing rows of a flow's tables (resumable)
  dlq       list, replay or drop dead letters of webhook sinks
  export    write an Estuary Flow catalog for the configured flows
  capture   distributed mode: read the slot, publish to NATS JetStream (one leader, others standby)
  worker    distributed mode: consume JetStream into the flow's sinks (one leader per sink)

Guide: docs/flow.md`,

  run: `sophia flow run — run flows until Ctrl-C / SIGTERM

Usage: sophia flow run [--config FILE] [--flow NAME]...
       sophia flow run --source URL --table SCHEMA.TABLE [--table ...] --webhook URL [--secret S]

Options:
  -c, --config FILE        sophia.yaml (default ./sophia.yaml)
      --flow NAME          run only this flow (repeatable; default: all)
      --source URL         one-line form: postgres:// URL of the source database
      --table S.T          one-line form: table to capture (repeatable)
      --webhook URL        one-line form: POST change events (JSON arrays) here
      --secret S           one-line form: HMAC secret for x-sophia-signature (16+ chars;
                           default $SOPHIA_WEBHOOK_SECRET, else one is generated and printed)
      --name NAME          one-line form: flow name (default: the first table's name)
      --state-dir DIR      one-line form: keep state in DIR instead of schema sophia_flow
      --metrics-port PORT  serve Prometheus /metrics (0 = any free port)
      --metrics-host HOST  interface for /metrics (default 127.0.0.1)
      --log-level LEVEL    fatal, error, warn, info, debug, trace or silent
  -h, --help               show this help

A stop finishes the batches in flight, acknowledges them and exits 0.`,

  status: `sophia flow status — where each flow is

Usage: sophia flow status [FLOW...] [--config FILE] [--json]

Shows per flow: the slot (active, wal_status, lag in bytes and seconds, retained WAL,
confirmed position), the engine's last report, each sink's checkpoint and dead letters.`,

  dlq: `sophia flow dlq — dead letters of webhook sinks

Usage: sophia flow dlq list   <flow> [--sink S] [--json]
       sophia flow dlq replay <flow> [--sink S] (--id ID... | --all)
       sophia flow dlq drop   <flow> [--sink S] (--id ID... | --all)

replay re-POSTs each letter with its original body and idempotency key and drops
the ones the receiver accepts; it exits 1 when some still fail.`,

  backfill: `sophia flow backfill — copy the rows already in a flow's tables

Usage: sophia flow backfill <flow> [--table SCHEMA.TABLE]... [--chunk N] [--restart] [--config FILE]

Starts the flow for the duration (changes keep streaming), copies each table in key
order, chunk by chunk, and stops once the last chunk is acknowledged by every sink.
Progress (percentage, rows/s, ETA) goes to stderr. Re-running continues after the
last acknowledged chunk; --restart copies from the first key again.
The flow must not be running elsewhere (the slot is in use): stop it, or configure
backfill: true / snapshot: initial so that sophia flow run backfills at its start.

Options:
  -c, --config FILE     sophia.yaml (default ./sophia.yaml)
      --table S.T       only this table (repeatable; default: every table of the flow)
      --chunk N         rows per chunk (default source.backfillChunk, 1000)
      --restart         ignore saved progress
      --log-level L     default warn`,

  export: `sophia flow export — an Estuary Flow catalog for the configured flows

Usage: sophia flow export --estuary [FLOW...] [--out flow.yaml] [--prefix acme/prod] [--config FILE]

Reads column types, nullability and keys from each flow's source database. Passwords
are never written: each becomes a secret reference such as \${SOPHIA_<FLOW>_SOURCE_PASSWORD}.
Without --out (or with --out -) the catalog goes to stdout. --prefix defaults to "sophia".`,

  capture: `sophia flow capture — distributed mode: publish a flow's changes to NATS JetStream

Usage: sophia flow capture <flow> [--config FILE] [--log-level L]

Needs flows.<flow>.distributed: { nats: URL }. One capture leads per flow (a PostgreSQL
advisory lock on the source); a second one waits as a standby and takes over when the
leader dies. The slot is acknowledged only after JetStream acknowledged every message.`,

  worker: `sophia flow worker — distributed mode: write a flow's JetStream stream into its sinks

Usage: sophia flow worker <flow> [--sink NAME]... [--config FILE] [--log-level L]

Each sink has a durable consumer (sophia_<sink>) and one leading worker (advisory lock);
others wait as standbys. Messages are acknowledged after the sink write; a worker that
dies leaves them unacknowledged and the next leader redelivers them in order.`,
} as const;
