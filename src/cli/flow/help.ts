/** Help texts of `sophia flow` and its subcommands. */
export const FLOW_HELP = {
  main: `sophia flow — change data capture from PostgreSQL to sinks

Usage: sophia flow <run|status|backfill|dlq|export> [options]   (each has --help)

  run       run the flows of sophia.yaml, or one flow from flags (one-line form)
  status    slot lag, retained WAL, per-sink checkpoints, dead letters
  backfill  copy existing rows of a flow's tables (resumable)
  dlq       list, replay or drop dead letters of webhook sinks
  export    write an Estuary Flow catalog for the configured flows

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

Usage: sophia flow backfill <flow> [--table SCHEMA.TABLE]... [--config FILE]

Progress (rows/s, percentage, ETA) goes to stderr. Re-running continues where it stopped.`,

  export: `sophia flow export — an Estuary Flow catalog for the configured flows

Usage: sophia flow export --estuary [--out flow.yaml] [--config FILE]`,
} as const;
