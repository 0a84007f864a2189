-- Vitrine schema v2: the shop catalogue (products and their variants) and message payloads for the
-- kinds `product` / `products` and for text messages with a product context.
-- Same SQL on PGlite and PostgreSQL. Money is integer minor units + ISO 4217 currency.

CREATE TABLE products (
  shop                 text NOT NULL REFERENCES shops(id) ON DELETE CASCADE,
  id                   text NOT NULL,
  title                jsonb NOT NULL,                 -- LocalizedText
  description          jsonb NOT NULL DEFAULT '{}',    -- LocalizedText (may be empty)
  price_amount         bigint NOT NULL CHECK (price_amount >= 0),
  price_currency       text NOT NULL,
  compare_at_amount    bigint CHECK (compare_at_amount >= 0),
  compare_at_currency  text,
  images               jsonb NOT NULL DEFAULT '[]',    -- string[]
  url                  text,
  tags                 jsonb NOT NULL DEFAULT '[]',    -- string[]
  -- Lower-cased id, titles (every locale), tags and variant SKUs, maintained by the server on every
  -- upsert. Search is a substring match over it (position(query IN search_text)), scoped by the
  -- primary key's shop prefix. No btree index helps a substring match and pg_trgm is not available
  -- on every backend (PGlite), so this is a scan of one shop's rows: fine for shop-size catalogues
  -- (thousands of products); a trigram or full-text index is the upgrade path.
  search_text          text NOT NULL DEFAULT '',
  created_at           timestamptz(3) NOT NULL DEFAULT now(),
  updated_at           timestamptz(3) NOT NULL DEFAULT now(),
  PRIMARY KEY (shop, id),
  CHECK ((compare_at_amount IS NULL) = (compare_at_currency IS NULL))
);

CREATE TABLE product_variants (
  shop            text NOT NULL,
  product_id      text NOT NULL,
  id              text NOT NULL,
  position        integer NOT NULL,
  sku             text,
  options         jsonb NOT NULL DEFAULT '{}',         -- Record<string, string>
  price_amount    bigint CHECK (price_amount >= 0),
  price_currency  text,
  stock           integer CHECK (stock >= 0),          -- NULL: stock not tracked
  PRIMARY KEY (shop, product_id, id),
  FOREIGN KEY (shop, product_id) REFERENCES products (shop, id) ON DELETE CASCADE,
  CHECK ((price_amount IS NULL) = (price_currency IS NULL))
);
-- Exact SKU look-ups (e.g. an order feed naming a SKU).
CREATE INDEX product_variants_sku_idx ON product_variants (shop, lower(sku)) WHERE sku IS NOT NULL;

-- Kind-specific data of a message, frozen at send time:
--   kind 'product':  {"product": ProductSnapshot}
--   kind 'products': {"products": ProductSnapshot[]}
--   kind 'text' with a context: {"context": {"product": ProductSnapshot}}
-- NULL for plain text messages (every message of schema v1).
ALTER TABLE messages ADD COLUMN payload jsonb;
