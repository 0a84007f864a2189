-- Vitrine schema v3: localized option labels on products, reservation / try-on requests and the
-- shop's reservation settings, coupons and their claims, and staff quick replies.
-- Same SQL on PGlite and PostgreSQL.

-- ProductOption[]: display labels of the variants' option names and values, per locale.
ALTER TABLE products ADD COLUMN options jsonb NOT NULL DEFAULT '[]';

-- ReservationSettings of the shop; NULL: the defaults (reservations disabled).
ALTER TABLE shops ADD COLUMN reservation_settings jsonb;

CREATE TABLE reservations (
  id               text PRIMARY KEY,
  shop             text NOT NULL REFERENCES shops(id) ON DELETE CASCADE,
  conversation_id  text NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
  product          jsonb NOT NULL,                   -- ProductSnapshot taken when requested
  variant_id       text,
  start_at         timestamptz(3) NOT NULL,
  end_at           timestamptz(3) NOT NULL,
  state            text NOT NULL CHECK (state IN ('requested', 'proposed', 'confirmed', 'declined', 'cancelled')),
  time_zone        text NOT NULL,
  created_at       timestamptz(3) NOT NULL DEFAULT now(),
  updated_at       timestamptz(3) NOT NULL DEFAULT now(),
  CHECK (end_at > start_at)
);
-- Capacity of a slot: open reservations of the shop starting at that instant.
CREATE INDEX reservations_open_start_idx ON reservations (shop, start_at)
  WHERE state IN ('requested', 'proposed', 'confirmed');
-- The staff list (all states, soonest first) and a conversation's reservations.
CREATE INDEX reservations_shop_start_idx ON reservations (shop, start_at, id);
CREATE INDEX reservations_conversation_idx ON reservations (conversation_id);

CREATE TABLE coupons (
  shop           text NOT NULL REFERENCES shops(id) ON DELETE CASCADE,
  id             text NOT NULL,
  code           text NOT NULL,
  title          jsonb NOT NULL,                     -- LocalizedText
  conditions     jsonb NOT NULL DEFAULT '{}',        -- LocalizedText (may be empty)
  value          jsonb NOT NULL,                     -- CouponValue
  min_spend      jsonb,                              -- Money or NULL
  expires_at     timestamptz(3),
  max_claims     integer CHECK (max_claims > 0),
  active         boolean NOT NULL DEFAULT true,
  -- Maintained in the transaction that stores the coupon / claim message.
  sent_count     integer NOT NULL DEFAULT 0 CHECK (sent_count >= 0),
  claimed_count  integer NOT NULL DEFAULT 0 CHECK (claimed_count >= 0),
  created_at     timestamptz(3) NOT NULL DEFAULT now(),
  updated_at     timestamptz(3) NOT NULL DEFAULT now(),
  PRIMARY KEY (shop, id)
);
CREATE INDEX coupons_shop_created_idx ON coupons (shop, created_at DESC, id DESC);

-- One claim per customer and coupon: the primary key guarantees it under concurrency.
CREATE TABLE coupon_claims (
  shop        text NOT NULL,
  coupon_id   text NOT NULL,
  visitor_id  text NOT NULL REFERENCES visitors(id) ON DELETE CASCADE,
  code        text NOT NULL,                         -- the code as revealed (kept if the coupon's code changes)
  claimed_at  timestamptz(3) NOT NULL DEFAULT now(),
  PRIMARY KEY (shop, coupon_id, visitor_id),
  FOREIGN KEY (shop, coupon_id) REFERENCES coupons (shop, id) ON DELETE CASCADE
);

CREATE TABLE quick_replies (
  shop        text NOT NULL REFERENCES shops(id) ON DELETE CASCADE,
  id          text NOT NULL,
  text        text NOT NULL,
  position    integer NOT NULL,
  created_at  timestamptz(3) NOT NULL DEFAULT now(),
  updated_at  timestamptz(3) NOT NULL DEFAULT now(),
  PRIMARY KEY (shop, id)
);
CREATE INDEX quick_replies_shop_position_idx ON quick_replies (shop, position, id);
