-- Source and output tables for the support ticket example.
CREATE TABLE IF NOT EXISTS tickets (
  id bigserial PRIMARY KEY,
  subject text NOT NULL,
  body text NOT NULL,
  product text,
  status text NOT NULL DEFAULT 'open',
  resolution text,
  created_at timestamptz NOT NULL DEFAULT now()
);
-- Drafts written by the n8n workflow for an agent to review.
CREATE TABLE IF NOT EXISTS reply_drafts (
  ticket_id bigint PRIMARY KEY REFERENCES tickets (id),
  draft text NOT NULL,
  similar jsonb NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
