/**
 * Runtime validation of every inbound payload, shared by the client and the server.
 * Built on valibot: each schema's output type matches the wire type in `types.ts`.
 */
import * as v from 'valibot';
import { LIMITS } from './limits.js';
import type { ProtocolError } from './errors.js';
import type { Product } from './catalogue.js';
import type {
  ConversationGetRequest,
  ConversationListRequest,
  HandshakeAuth,
  HistoryGetRequest,
  MessageSendRequest,
  ProductGetRequest,
  ProductSearchRequest,
  ReadSetRequest,
  ReservationSlotsRequest,
  TypingSetRequest,
} from './types.js';
import type { ReservationSettings } from './commerce.js';

const id = v.pipe(v.string(), v.minLength(1), v.maxLength(LIMITS.idMaxLength), v.regex(/^[A-Za-z0-9_-]+$/, 'must be letters, digits, _ or -'));
const seq = v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(Number.MAX_SAFE_INTEGER));
const limit = v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(LIMITS.pageMax));

/** Handshake `auth` object. */
export const handshakeAuthSchema = v.object({
  protocol: v.literal(1),
  shop: v.pipe(v.string(), v.minLength(1), v.maxLength(LIMITS.shopMaxLength), v.regex(/^[a-z0-9][a-z0-9_-]*$/, 'must be lower-case letters, digits, _ or -')),
  role: v.picklist(['visitor', 'agent']),
  token: v.optional(v.pipe(v.string(), v.minLength(1), v.maxLength(LIMITS.tokenMaxLength))),
  identity: v.optional(
    v.object({
      name: v.optional(v.pipe(v.string(), v.trim(), v.maxLength(LIMITS.nameMaxLength))),
      email: v.optional(v.pipe(v.string(), v.maxLength(254), v.email())),
    }),
  ),
});

const clientId = v.pipe(v.string(), v.minLength(1), v.maxLength(LIMITS.clientIdMaxLength), v.regex(/^[A-Za-z0-9_.:-]+$/, 'must be letters, digits, _ . : or -'));
const text = v.pipe(
  v.string(),
  v.check((s) => s.trim().length > 0, 'must not be empty'),
  v.maxLength(LIMITS.textMaxLength, `must be at most ${LIMITS.textMaxLength} characters`),
);
const caption = v.optional(v.pipe(v.string(), v.maxLength(LIMITS.textMaxLength, `must be at most ${LIMITS.textMaxLength} characters`)));

/** A shop's product id: its own handle or SKU family. */
export const productIdSchema = v.pipe(
  v.string(),
  v.minLength(1),
  v.maxLength(LIMITS.productIdMaxLength),
  v.regex(/^[A-Za-z0-9][A-Za-z0-9_.:-]*$/, 'must be letters, digits, _ . : or -'),
);

/** ISO 4217 currency code. */
export const currencySchema = v.pipe(v.string(), v.regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code like CNY'));

/** Money: integer minor units and a currency. */
export const moneySchema = v.object({
  amount: v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(Number.MAX_SAFE_INTEGER)),
  currency: currencySchema,
});

/** A link a card may open or load: `https:`, `http:` or a path on the same server. Nothing else (no `javascript:`, no `data:`). */
export const linkSchema = v.pipe(
  v.string(),
  v.maxLength(LIMITS.urlMaxLength),
  v.check((s) => /^https?:\/\//i.test(s) || (s.startsWith('/') && !s.startsWith('//')), 'must be an http(s) URL or a path starting with /'),
);

/** Text per locale: locale tag -> text, at least one entry. */
export const localizedTextSchema = (max: number) =>
  v.pipe(
    v.record(v.pipe(v.string(), v.regex(/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/, 'must be a locale tag like zh-CN')), v.pipe(v.string(), v.maxLength(max))),
    v.check((r) => Object.keys(r).length > 0 && Object.keys(r).length <= 10, 'must have 1 to 10 locales'),
  );

/** Localized text with no empty entry. */
export function nonEmptyLocalizedText(max: number) {
  return v.pipe(
    localizedTextSchema(max),
    v.check((r: Record<string, string>) => Object.values(r).every((s) => s.trim().length > 0), 'must not contain empty text'),
  );
}

/** Product data a page passes with `askAbout` (untrusted; rendered as text only). */
export const pageProductSchema = v.object({
  id: productIdSchema,
  title: v.union([v.pipe(v.string(), v.minLength(1), v.maxLength(LIMITS.productTitleMaxLength)), localizedTextSchema(LIMITS.productTitleMaxLength)]),
  price: v.optional(moneySchema),
  image: v.optional(linkSchema),
  url: v.optional(linkSchema),
});

const contextInputSchema = v.union([
  v.object({ feedItemId: id, productId: v.optional(productIdSchema) }),
  v.object({ productId: productIdSchema }),
  v.object({ product: pageProductSchema }),
]);

/** A coupon's id: chosen by the shop (letters, digits, `_`, `-`). */
export const couponIdSchema = v.pipe(
  v.string(),
  v.minLength(1),
  v.maxLength(LIMITS.couponCodeMaxLength),
  v.regex(/^[A-Za-z0-9][A-Za-z0-9_-]*$/, 'must be letters, digits, _ or -'),
);
const instant = v.pipe(v.string(), v.isoTimestamp('must be an ISO 8601 timestamp'));
const reservationBase = { conversationId: id, clientId, kind: v.literal('reservation'), text: caption } as const;

/** `message:send` kind `reservation`: one schema per action. */
export const reservationSendSchema = v.variant('action', [
  v.object({ ...reservationBase, action: v.literal('request'), productId: productIdSchema, variantId: v.optional(productIdSchema), start: instant }),
  v.object({ ...reservationBase, action: v.literal('propose'), reservationId: id, start: instant }),
  v.object({ ...reservationBase, action: v.picklist(['confirm', 'decline', 'cancel']), reservationId: id }),
]);

/** `message:send`. Text longer than the limit is reported as `too_large` by {@link validate}. */
export const messageSendSchema = v.variant('kind', [
  reservationSendSchema,
  v.object({ conversationId: id, clientId, kind: v.literal('coupon'), couponId: couponIdSchema, text: caption }),
  v.object({ conversationId: id, clientId, kind: v.literal('coupon-claim'), couponId: couponIdSchema }),
  v.object({ conversationId: id, clientId, kind: v.literal('text'), text, context: v.optional(contextInputSchema) }),
  v.object({ conversationId: id, clientId, kind: v.literal('product'), productId: productIdSchema, text: caption }),
  v.object({
    conversationId: id,
    clientId,
    kind: v.literal('products'),
    productIds: v.pipe(
      v.array(productIdSchema),
      v.minLength(LIMITS.carouselMin, `must list ${LIMITS.carouselMin} to ${LIMITS.carouselMax} products`),
      v.maxLength(LIMITS.carouselMax, `must list ${LIMITS.carouselMin} to ${LIMITS.carouselMax} products`),
      v.check((ids) => new Set(ids).size === ids.length, 'must not repeat a product'),
    ),
    text: caption,
  }),
]);

/** `product:search` (agents). */
export const productSearchSchema = v.object({
  query: v.optional(v.pipe(v.string(), v.maxLength(LIMITS.queryMaxLength))),
  limit: v.optional(limit),
  after: v.optional(productIdSchema),
});

/** `product:get`. */
export const productGetSchema = v.object({
  productIds: v.pipe(v.array(productIdSchema), v.minLength(1), v.maxLength(LIMITS.productGetMax)),
  watch: v.optional(v.boolean()),
});

/** `reservation:slots`. */
export const reservationSlotsSchema = v.object({
  from: v.optional(v.pipe(v.string(), v.isoDate('must be a date like 2026-11-28'))),
  days: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(LIMITS.slotDaysMax))),
});

const clock = v.pipe(v.string(), v.regex(/^([01]\d|2[0-3]):[0-5]\d$|^24:00$/, 'must be a time like 09:30'));
const dayHours = v.pipe(
  v.array(v.pipe(v.tuple([clock, clock]), v.check(([a, b]) => a < b, 'must open before it closes'))),
  v.maxLength(4, 'must have at most 4 opening periods'),
);

/** True when `zone` is an IANA time zone this runtime knows. */
export function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** A shop's reservation settings (REST `PUT /api/settings/reservations`). */
export const reservationSettingsSchema = v.object({
  enabled: v.boolean(),
  timeZone: v.pipe(v.string(), v.maxLength(64), v.check(isTimeZone, 'must be an IANA time zone like Asia/Shanghai')),
  hours: v.object({ mon: dayHours, tue: dayHours, wed: dayHours, thu: dayHours, fri: dayHours, sat: dayHours, sun: dayHours }),
  slotMinutes: v.pipe(v.number(), v.integer(), v.minValue(15), v.maxValue(240)),
  capacity: v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(100)),
  horizonDays: v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(60)),
  leadMinutes: v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(7 * 24 * 60)),
});

/**
 * A coupon as staff create it (REST `PUT /api/coupons/:id`). `percent` is 1 to 100; amounts use
 * minor units of a known currency; `expiresAt` must be in the future when created (checked by the server).
 */
export const couponInputSchema = v.pipe(
  v.object({
    id: couponIdSchema,
    code: v.pipe(v.string(), v.trim(), v.minLength(1), v.maxLength(LIMITS.couponCodeMaxLength), v.regex(/^[A-Za-z0-9_-]+$/, 'must be letters, digits, _ or -')),
    title: nonEmptyLocalizedText(LIMITS.productTitleMaxLength),
    conditions: v.optional(
      v.pipe(
        v.record(v.pipe(v.string(), v.regex(/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/, 'must be a locale tag like zh-CN')), v.pipe(v.string(), v.maxLength(500))),
        v.check((r) => Object.keys(r).length <= 10, 'must have at most 10 locales'),
      ),
      {},
    ),
    value: v.variant('type', [
      v.object({ type: v.literal('amount'), amount: v.lazy(() => productMoneySchema) }),
      v.object({ type: v.literal('percent'), percent: v.pipe(v.number(), v.integer('must be a whole percentage'), v.minValue(1), v.maxValue(100)) }),
    ]),
    minSpend: v.nullish(v.lazy(() => productMoneySchema), null),
    expiresAt: v.nullish(instant, null),
    maxClaims: v.nullish(v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(1_000_000_000)), null),
    active: v.optional(v.boolean(), true),
  }),
  v.forward(
    v.check((c) => c.minSpend === null || c.value.type !== 'amount' || c.minSpend.currency === c.value.amount.currency, 'must use the currency of the value'),
    ['minSpend'],
  ),
);

/** Output of {@link couponInputSchema}. */
export type CouponInput = v.InferOutput<typeof couponInputSchema>;

/** A quick reply as staff save it. */
export const quickReplyInputSchema = v.object({ text });

// ---- catalogue input (REST admin API, CSV/JSON import, console forms) ----

let currencies: Set<string> | null = null;
/** True for ISO 4217 codes this runtime knows (`Intl.supportedValuesOf('currency')`); any well-formed code where that is missing. */
export function isKnownCurrency(code: string): boolean {
  if (!/^[A-Z]{3}$/.test(code)) return false;
  if (!currencies) {
    const intl = Intl as unknown as { supportedValuesOf?: (key: string) => string[] };
    currencies = new Set(typeof intl.supportedValuesOf === 'function' ? intl.supportedValuesOf('currency') : []);
  }
  return currencies.size === 0 || currencies.has(code);
}

/** Digits after the decimal point of `currency` (CNY/USD/EUR 2, JPY/KRW 0), from Intl. */
export function currencyDigits(currency: string): number {
  return new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
}

/** A currency the runtime knows (stricter than {@link currencySchema}: `ABC` is well formed but unknown). */
export const knownCurrencySchema = v.pipe(currencySchema, v.check(isKnownCurrency, 'is not a known ISO 4217 currency'));

/** Money of catalogue input: integer minor units and a known currency. */
export const productMoneySchema = v.object({
  amount: v.pipe(v.number(), v.integer('must be an integer amount in minor units'), v.minValue(0), v.maxValue(Number.MAX_SAFE_INTEGER)),
  currency: knownCurrencySchema,
});

/** Limits of catalogue input (server-side; the wire limits are in {@link LIMITS}). */
export const CATALOGUE_LIMITS = {
  images: 10,
  tags: 30,
  tagMaxLength: 40,
  variants: 100,
  options: 5,
  optionNameMaxLength: 40,
  optionValueMaxLength: 80,
  skuMaxLength: 64,
  stockMax: 1_000_000_000,
} as const;

const nonEmptyLocalized = nonEmptyLocalizedText;

const optionLabelsSchema = v.pipe(
  v.array(
    v.object({
      name: v.pipe(v.string(), v.minLength(1), v.maxLength(CATALOGUE_LIMITS.optionNameMaxLength)),
      label: nonEmptyLocalized(CATALOGUE_LIMITS.optionNameMaxLength),
      values: v.pipe(
        v.record(v.pipe(v.string(), v.minLength(1), v.maxLength(CATALOGUE_LIMITS.optionValueMaxLength)), nonEmptyLocalized(CATALOGUE_LIMITS.optionValueMaxLength)),
        v.check((r) => Object.keys(r).length <= CATALOGUE_LIMITS.variants, `must have at most ${CATALOGUE_LIMITS.variants} values`),
      ),
    }),
  ),
  v.maxLength(CATALOGUE_LIMITS.options, `must have at most ${CATALOGUE_LIMITS.options} options`),
  v.check((os) => new Set(os.map((o) => o.name)).size === os.length, 'must not repeat an option name'),
);

/** One variant of a product input. Omitted fields default to `null` / `{}`. */
export const productVariantInputSchema = v.object({
  id: productIdSchema,
  sku: v.nullish(v.pipe(v.string(), v.trim(), v.minLength(1), v.maxLength(CATALOGUE_LIMITS.skuMaxLength)), null),
  options: v.optional(
    v.pipe(
      v.record(
        v.pipe(v.string(), v.minLength(1), v.maxLength(CATALOGUE_LIMITS.optionNameMaxLength)),
        v.pipe(v.string(), v.minLength(1), v.maxLength(CATALOGUE_LIMITS.optionValueMaxLength)),
      ),
      v.check((r) => Object.keys(r).length <= CATALOGUE_LIMITS.options, `must have at most ${CATALOGUE_LIMITS.options} options`),
    ),
    {},
  ),
  price: v.nullish(productMoneySchema, null),
  stock: v.nullish(v.pipe(v.number(), v.integer('must be a whole number'), v.minValue(0, 'must not be negative'), v.maxValue(CATALOGUE_LIMITS.stockMax)), null),
});

/**
 * A product as the shop sends it (REST `PUT /api/products/:id`, import, console form): a
 * {@link Product} without `updatedAt`, optional fields defaulted. Text is untrusted and stored as
 * given (clients render it as text); links must be `http(s):` or a path (no `javascript:`).
 * Every price of one product uses one currency.
 */
export const productInputSchema = v.pipe(
  v.object({
    id: productIdSchema,
    title: nonEmptyLocalized(LIMITS.productTitleMaxLength),
    description: v.optional(
      v.pipe(
        v.record(v.pipe(v.string(), v.regex(/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/, 'must be a locale tag like zh-CN')), v.pipe(v.string(), v.maxLength(LIMITS.productDescriptionMaxLength))),
        v.check((r) => Object.keys(r).length <= 10, 'must have at most 10 locales'),
      ),
      {},
    ),
    price: productMoneySchema,
    compareAt: v.nullish(productMoneySchema, null),
    images: v.optional(v.pipe(v.array(linkSchema), v.maxLength(CATALOGUE_LIMITS.images, `must have at most ${CATALOGUE_LIMITS.images} images`)), []),
    url: v.nullish(linkSchema, null),
    tags: v.optional(
      v.pipe(
        v.array(v.pipe(v.string(), v.trim(), v.minLength(1, 'must not be empty'), v.maxLength(CATALOGUE_LIMITS.tagMaxLength))),
        v.maxLength(CATALOGUE_LIMITS.tags, `must have at most ${CATALOGUE_LIMITS.tags} tags`),
      ),
      [],
    ),
    variants: v.optional(
      v.pipe(
        v.array(productVariantInputSchema),
        v.maxLength(CATALOGUE_LIMITS.variants, `must have at most ${CATALOGUE_LIMITS.variants} variants`),
        v.check((vs) => new Set(vs.map((x) => x.id)).size === vs.length, 'must not repeat a variant id'),
      ),
      [],
    ),
    options: v.optional(optionLabelsSchema, []),
  }),
  v.forward(
    v.check((p) => p.compareAt === null || p.compareAt.currency === p.price.currency, 'must use the currency of price'),
    ['compareAt'],
  ),
  v.forward(
    v.check((p) => p.variants.every((x) => x.price === null || x.price.currency === p.price.currency), 'variant prices must use the currency of price'),
    ['variants'],
  ),
);

/** Output of {@link productInputSchema}: what the server stores. */
export type ProductInput = v.InferOutput<typeof productInputSchema>;

/** `history:get`. */
export const historyGetSchema = v.pipe(
  v.object({
    conversationId: id,
    afterSeq: v.optional(seq),
    beforeSeq: v.optional(seq),
    limit: v.optional(limit),
  }),
  v.check((r) => r.afterSeq === undefined || r.beforeSeq === undefined, 'afterSeq and beforeSeq are exclusive'),
);

/** `read:set`. */
export const readSetSchema = v.object({ conversationId: id, seq });

/** `typing:set`. */
export const typingSetSchema = v.object({ conversationId: id, typing: v.boolean() });

/** `conversation:list` (agents). */
export const conversationListSchema = v.object({
  limit: v.optional(limit),
  before: v.optional(v.pipe(v.string(), v.isoTimestamp())),
  beforeId: v.optional(id),
});

/** `conversation:get`. */
export const conversationGetSchema = v.object({ conversationId: id });

/** Result of {@link validate}. */
export type Validated<T> = { ok: true; value: T } | { ok: false; error: ProtocolError };

/**
 * Validates `input` against `schema`. Failures become `invalid_payload` (or `too_large` when a
 * length limit was exceeded) with a message naming the offending field.
 */
export function validate<S extends v.GenericSchema>(schema: S, input: unknown): Validated<v.InferOutput<S>> {
  const result = v.safeParse(schema, input);
  if (result.success) return { ok: true, value: result.output };
  const issue = result.issues[0];
  const path = issue.path?.map((p) => String(p.key)).join('.') ?? '';
  const tooLarge = issue.type === 'max_length' || issue.type === 'max_value';
  const where = path ? `${path}: ` : '';
  return {
    ok: false,
    error: {
      code: tooLarge && path === 'text' ? 'too_large' : 'invalid_payload',
      message: `${where}${issue.message}`,
    },
  };
}

// Compile-time checks: schema outputs must be assignable to the documented wire types.
type Assert<T extends true> = T;
type Extends<A, B> = A extends B ? true : false;
export type _SchemaChecks = [
  Assert<Extends<v.InferOutput<typeof handshakeAuthSchema>, HandshakeAuth>>,
  Assert<Extends<v.InferOutput<typeof messageSendSchema>, MessageSendRequest>>,
  Assert<Extends<v.InferOutput<typeof historyGetSchema>, HistoryGetRequest>>,
  Assert<Extends<v.InferOutput<typeof readSetSchema>, ReadSetRequest>>,
  Assert<Extends<v.InferOutput<typeof typingSetSchema>, TypingSetRequest>>,
  Assert<Extends<v.InferOutput<typeof conversationListSchema>, ConversationListRequest>>,
  Assert<Extends<v.InferOutput<typeof conversationGetSchema>, ConversationGetRequest>>,
  Assert<Extends<v.InferOutput<typeof productSearchSchema>, ProductSearchRequest>>,
  Assert<Extends<v.InferOutput<typeof productGetSchema>, ProductGetRequest>>,
  Assert<Extends<ProductInput, Omit<Product, 'updatedAt'>>>,
  Assert<Extends<v.InferOutput<typeof reservationSlotsSchema>, ReservationSlotsRequest>>,
  Assert<Extends<v.InferOutput<typeof reservationSettingsSchema>, ReservationSettings>>,
];
