-- Vitrine schema v4: broadcast feeds (issue 5). Customer attributes and tags on visitors, saved
-- segments, campaigns (each broadcast stored once, with the snapshots taken when it was sent) and
-- per-recipient delivery state. Same SQL on PGlite and PostgreSQL.

-- Targeting data of a customer: attribute name -> text value, and lower-case tags.
ALTER TABLE visitors ADD COLUMN attributes jsonb NOT NULL DEFAULT '{}';
ALTER TABLE visitors ADD COLUMN tags text[] NOT NULL DEFAULT '{}';
CREATE INDEX visitors_attributes_idx ON visitors USING gin (attributes);
CREATE INDEX visitors_tags_idx ON visitors USING gin (tags);
-- Audience queries and the staff's customer list scan one shop's visitors ordered by id.
CREATE INDEX visitors_shop_id_idx ON visitors (shop, id);

-- BroadcastSettings of the shop; NULL: the defaults (3 per 7 days, the reservation settings' zone).
ALTER TABLE shops ADD COLUMN broadcast_settings jsonb;

CREATE TABLE segments (
  shop        text NOT NULL REFERENCES shops(id) ON DELETE CASCADE,
  id          text NOT NULL,
  name        text NOT NULL,
  rule        jsonb NOT NULL,                        -- SegmentRule
  created_at  timestamptz(3) NOT NULL DEFAULT now(),
  updated_at  timestamptz(3) NOT NULL DEFAULT now(),
  PRIMARY KEY (shop, id)
);

CREATE TABLE campaigns (
  shop          text NOT NULL REFERENCES shops(id) ON DELETE CASCADE,
  id            text NOT NULL,
  kind          text NOT NULL,
  state         text NOT NULL CHECK (state IN ('draft', 'scheduled', 'sending', 'sent', 'cancelled')),
  name          text NOT NULL,
  title         jsonb NOT NULL,                      -- LocalizedText templates
  body          jsonb NOT NULL DEFAULT '{}',         -- LocalizedText templates
  image         text,
  product_ids   text[] NOT NULL DEFAULT '{}',
  coupon_id     text,
  cta           jsonb,                               -- CampaignCta or NULL
  segment_id    text,                                -- NULL: every customer of the shop
  scheduled_at  timestamptz(3),
  time_zone     text,
  -- Set in the transaction that claims the campaign and stores its recipients.
  claimed_by    text,
  claimed_at    timestamptz(3),
  sent_at       timestamptz(3),
  products      jsonb,                               -- ProductSnapshot[] taken when sent
  coupon        jsonb,                               -- CouponSnapshot taken when sent (or NULL)
  segment_rule  jsonb,                               -- the rule as it was when sent (NULL: everyone)
  targeted      integer NOT NULL DEFAULT 0 CHECK (targeted >= 0),
  capped        integer NOT NULL DEFAULT 0 CHECK (capped >= 0),
  created_at    timestamptz(3) NOT NULL DEFAULT now(),
  updated_at    timestamptz(3) NOT NULL DEFAULT now(),
  PRIMARY KEY (shop, id),
  UNIQUE (id)
);
-- The scheduler's claim: due campaigns, soonest first.
CREATE INDEX campaigns_due_idx ON campaigns (scheduled_at) WHERE state = 'scheduled';
-- The staff list, newest first; a stuck 'sending' campaign.
CREATE INDEX campaigns_shop_created_idx ON campaigns (shop, created_at DESC, id DESC);
CREATE INDEX campaigns_sending_idx ON campaigns (claimed_at) WHERE state = 'sending';

-- One row per customer a campaign was sent to: per-recipient state only (the content is in campaigns).
-- No foreign key to campaigns: it cost a trigger per inserted row (thousands per claim), and it
-- guards nothing. The rows are inserted only by the claim transaction, which holds the campaign's
-- row lock; a campaign can be deleted only as a draft or cancelled, states that never have
-- recipients (BroadcastStore.deleteCampaign also refuses one that has any); a shop's deletion
-- removes its visitors, and their rows with them (the visitor foreign key below).
CREATE TABLE campaign_recipients (
  shop          text NOT NULL,
  campaign_id   text NOT NULL,                       -- campaigns.id (unique); see above
  visitor_id    text NOT NULL REFERENCES visitors(id) ON DELETE CASCADE,
  sent_at       timestamptz(3) NOT NULL,
  delivered_at  timestamptz(3),
  read_at       timestamptz(3),
  clicked_at    timestamptz(3),
  PRIMARY KEY (campaign_id, visitor_id)
);
-- A customer's feed (newest first) and the frequency cap (their recent broadcasts).
CREATE INDEX campaign_recipients_visitor_idx ON campaign_recipients (visitor_id, sent_at DESC);
