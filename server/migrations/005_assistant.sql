-- Vitrine schema v5: the AI assistant (issue 6). The shop's assistant settings and endpoint key, its
-- FAQ, and per-conversation assistant state (mode, pending hand-off, agent take-over). Streaming state,
-- `stopped` and `ai` of assistant replies live in messages.payload. Same SQL on PGlite and PostgreSQL.

-- AssistantSettings of the shop without the key; NULL: never configured (assistant off).
ALTER TABLE shops ADD COLUMN assistant_settings jsonb;
-- API key of the shop's language-model endpoint. Never returned by any API. Stored in clear until
-- secrets get their own handling (issue 9).
ALTER TABLE shops ADD COLUMN assistant_api_key text;

CREATE TABLE faq_entries (
  shop        text NOT NULL REFERENCES shops(id) ON DELETE CASCADE,
  id          text NOT NULL,
  question    jsonb NOT NULL,                      -- LocalizedText
  answer      jsonb NOT NULL,                      -- LocalizedText
  keywords    text[] NOT NULL DEFAULT '{}',
  created_at  timestamptz(3) NOT NULL DEFAULT now(),
  updated_at  timestamptz(3) NOT NULL DEFAULT now(),
  -- Per shop: seeded entries (e.g. the demo's `faq-returns`) keep their ids in every shop.
  PRIMARY KEY (shop, id)
);

-- NULL: the shop default (the assistant answers when the shop has it enabled); 'human' or 'assistant' once set.
ALTER TABLE conversations ADD COLUMN assistant_mode text CHECK (assistant_mode IN ('assistant', 'human'));
ALTER TABLE conversations ADD COLUMN handoff_at timestamptz(3);
ALTER TABLE conversations ADD COLUMN handoff_reason text;
ALTER TABLE conversations ADD COLUMN takeover_agent_id text;
ALTER TABLE conversations ADD COLUMN takeover_agent_name text;
ALTER TABLE conversations ADD COLUMN takeover_at timestamptz(3);
-- The console's hand-off queue: pending hand-offs of a shop, oldest first.
CREATE INDEX conversations_handoff_idx ON conversations (shop, handoff_at, id) WHERE handoff_at IS NOT NULL AND takeover_agent_id IS NULL;
-- The sweep of assistant replies left streaming by a crashed process.
CREATE INDEX messages_streaming_idx ON messages (created_at) WHERE (payload->>'streaming') = 'true';
