/**
 * Render-ready feed items (issue 5): title and body rendered from their templates for the customer
 * (`renderTemplate` with the feed's values and the coupon's title, in the locale), the send time,
 * products, coupon and call to action. The output is plain text: front ends render it with text
 * bindings only, and check URLs (image, call to action) with their own safe-URL rule.
 */
import type { Translator } from '../i18n/index.js';
import type { CampaignKind, FeedItem, FeedValues } from '../protocol/feed.js';
import type { ProductSnapshot } from '../protocol/catalogue.js';
import type { CouponSnapshot } from '../protocol/commerce.js';
import { renderTemplate } from '../protocol/template.js';

/** One feed item, ready to render. */
export interface FeedItemView {
  id: string;
  kind: CampaignKind;
  /** Rendered for the customer (plain text). */
  title: string;
  body: string;
  /** As sent (unchecked: front ends apply their URL rule). */
  image: string | null;
  /** ISO timestamp for `<time datetime>`. */
  datetime: string;
  /** "Today 14:05", "Yesterday 9:30 AM", "Nov 3, 2026 18:00". */
  time: string;
  products: ProductSnapshot[];
  coupon: CouponSnapshot | null;
  /** A link call to action (label in the locale; the URL unchecked). `null` when none or when it asks in the chat. */
  cta: { label: string; url: string } | null;
  /** The label of a call to action without URL ("Ask about this" opens the chat); `null`: the front end's own words. */
  askLabel: string | null;
  read: boolean;
}

/** Renders `item` for a customer with `values`, in the translator's locale (`now`: ms since epoch, for "Today"). */
export function feedItemView(item: FeedItem, values: FeedValues, tr: Translator, now: number = Date.now()): FeedItemView {
  const locale = tr.locale;
  const coupon = item.coupon ?? null;
  const templateValues = { name: values.name, tier: values.tier, points: values.points, coupon: coupon ? tr.localized(coupon.title) : null };
  const render = (text: FeedItem['title']): string => renderTemplate(tr.localized(text), templateValues, locale);
  const sent = new Date(item.sentAt);
  const valid = !Number.isNaN(sent.getTime());
  const ctaLabel = item.cta ? tr.localized(item.cta.label).trim() : '';
  return {
    id: item.id,
    kind: item.kind,
    title: render(item.title),
    body: render(item.body),
    image: item.image || null,
    datetime: item.sentAt,
    time: valid ? `${tr.day(sent, now)} ${tr.time(sent)}` : '',
    products: item.products ?? [],
    coupon,
    cta: item.cta?.url && ctaLabel ? { label: ctaLabel, url: item.cta.url } : null,
    askLabel: item.cta && !item.cta.url && ctaLabel ? ctaLabel : null,
    read: item.read,
  };
}
