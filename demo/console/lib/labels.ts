/** Small display helpers shared by the views. All output is plain text. */
import { localized, type ConversationSummary, type Translator } from '../../../src/index.js';

/** "Ana" or "Visitor 3f9a1c" when the visitor gave no name. */
export function visitorLabel(summary: Pick<ConversationSummary, 'visitorName' | 'visitorId'> | undefined, fallbackId: string, tr: Translator): string {
  const name = summary?.visitorName?.trim();
  if (name) return name;
  const id = (summary?.visitorId ?? fallbackId).replace(/[^a-zA-Z0-9]/g, '');
  return tr.t('console.conversation.anonymous', { id: id.slice(0, 6) || '?' });
}

/** Time for a list row: the time of day today, "Yesterday", or a date. */
export function shortWhen(iso: string, tr: Translator, now: number = Date.now()): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  const today = tr.day(d, now) === tr.t('day.today');
  return today ? tr.time(d) : tr.day(d, now);
}

/** One-line preview of the last message: its text, or for product cards the title / the count. */
export function previewText(summary: ConversationSummary, tr: Translator): string {
  const m = summary.lastMessage;
  if (!m) return '';
  let text = typeof m.text === 'string' ? m.text : '';
  if (m.kind === 'product' && m.product) text = localized(m.product.title, tr.locale);
  else if (m.kind === 'products' && Array.isArray(m.products)) text = tr.t('console.product.carousel', { count: m.products.length });
  else if (m.kind === 'reservation' && m.reservation) text = tr.t('console.reservation.preview', { title: localized(m.reservation.product.title, tr.locale) });
  else if (m.kind === 'coupon' && m.coupon) text = tr.t('console.coupon.preview', { title: localized(m.coupon.title, tr.locale) });
  else if (m.kind === 'coupon-claim' && m.coupon) text = tr.t('console.coupon.claimPreview', { title: localized(m.coupon.title, tr.locale) });
  text = text.replace(/\s+/g, ' ').trim();
  if (!text) return '';
  return m.author.role === 'agent' ? `${tr.t('message.you')}: ${text}` : text;
}
