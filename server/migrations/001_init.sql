-- Vitrine schema v1: shops, agents and their sessions, visitors, conversations, messages.
-- Tokens are never stored: only their sha256 (hex).
-- Timestamps are kept with millisecond precision so they round-trip through ISO 8601 strings.

CREATE TABLE shops (
  id          text PRIMARY KEY,
  name        text NOT NULL,
  locale      text,
  created_at  timestamptz(3) NOT NULL DEFAULT now()
);

CREATE TABLE agents (
  id             text PRIMARY KEY,
  shop           text NOT NULL REFERENCES shops(id) ON DELETE CASCADE,
  email          text NOT NULL,
  name           text NOT NULL,
  password_hash  text NOT NULL,
  created_at     timestamptz(3) NOT NULL DEFAULT now(),
  UNIQUE (shop, email)
);
CREATE INDEX agents_email_idx ON agents (email);

CREATE TABLE agent_sessions (
  token_hash  text PRIMARY KEY,
  agent_id    text NOT NULL REFERENCES agents(id) ON DELETE CASCADE,
  created_at  timestamptz(3) NOT NULL DEFAULT now(),
  expires_at  timestamptz(3) NOT NULL
);
CREATE INDEX agent_sessions_agent_idx ON agent_sessions (agent_id);

CREATE TABLE visitors (
  id          text PRIMARY KEY,
  shop        text NOT NULL REFERENCES shops(id) ON DELETE CASCADE,
  token_hash  text NOT NULL UNIQUE,
  name        text,
  email       text,
  created_at  timestamptz(3) NOT NULL DEFAULT now()
);

CREATE TABLE conversations (
  id                text PRIMARY KEY,
  shop              text NOT NULL REFERENCES shops(id) ON DELETE CASCADE,
  visitor_id        text NOT NULL REFERENCES visitors(id) ON DELETE CASCADE,
  last_seq          integer NOT NULL DEFAULT 0 CHECK (last_seq >= 0),
  visitor_read_seq  integer NOT NULL DEFAULT 0 CHECK (visitor_read_seq >= 0),
  agent_read_seq    integer NOT NULL DEFAULT 0 CHECK (agent_read_seq >= 0),
  created_at        timestamptz(3) NOT NULL DEFAULT now(),
  updated_at        timestamptz(3) NOT NULL DEFAULT now(),
  UNIQUE (shop, visitor_id)
);
-- The agents' list: newest activity first, per shop.
CREATE INDEX conversations_shop_updated_idx ON conversations (shop, updated_at DESC, id DESC);

CREATE TABLE messages (
  id               text PRIMARY KEY,
  conversation_id  text NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
  seq              integer NOT NULL CHECK (seq > 0),
  client_id        text NOT NULL,
  author_role      text NOT NULL CHECK (author_role IN ('visitor', 'agent', 'assistant', 'system')),
  author_id        text NOT NULL,
  author_name      text,
  kind             text NOT NULL,
  text             text NOT NULL,
  created_at       timestamptz(3) NOT NULL DEFAULT now(),
  -- History and resync read by (conversation_id, seq): a reconnect costs O(missed messages).
  CONSTRAINT messages_conversation_seq_key UNIQUE (conversation_id, seq),
  CONSTRAINT messages_conversation_client_id_key UNIQUE (conversation_id, client_id)
);
