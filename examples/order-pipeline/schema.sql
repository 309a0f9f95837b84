-- Source tables for the order pipeline example (run once in your database).
CREATE TABLE IF NOT EXISTS customers (
  id bigint PRIMARY KEY,
  name text NOT NULL,
  email text NOT NULL,
  tier text NOT NULL DEFAULT 'standard'
);
CREATE TABLE IF NOT EXISTS orders (
  id bigserial PRIMARY KEY,
  customer_id bigint NOT NULL REFERENCES customers (id),
  total_cents bigint NOT NULL,
  status text NOT NULL DEFAULT 'new',
  created_at timestamptz NOT NULL DEFAULT now()
);
-- A role for the read-only `sql` server (see docs/builtin-servers.md).
-- CREATE ROLE sophia_reader LOGIN PASSWORD '…';
-- GRANT USAGE ON SCHEMA public TO sophia_reader;
-- GRANT SELECT ON customers, orders TO sophia_reader;
