/** Display helpers of the broadcast pages: times in the shop's zone, percentages, template previews. Plain text only. */
import { localized, renderTemplate, type CouponSnapshot, type CustomerRecord, type Translator } from '../../../src/index.js';

/** "24 Nov 2026, 10:00" in `timeZone` (falls back to the browser's zone when the zone is unknown). */
export function inZone(iso: string, timeZone: string, locale: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  try {
    return new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short', timeZone }).format(d);
  } catch {
    return new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' }).format(d);
  }
}

/** "10:00" (hour of a timeline bucket) in `timeZone`, with the day when it is not today. */
export function hourInZone(iso: string, timeZone: string, locale: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  try {
    return new Intl.DateTimeFormat(locale, { month: 'numeric', day: 'numeric', hour: '2-digit', minute: '2-digit', timeZone }).format(d);
  } catch {
    return d.toISOString().slice(5, 16).replace('T', ' ');
  }
}

/** The wall-clock date and time in `timeZone` at `at` (`YYYY-MM-DD`, `HH:mm`), for the schedule inputs. */
export function wallClock(at: Date, timeZone: string): { date: string; time: string } {
  let parts: Intl.DateTimeFormatPart[];
  try {
    parts = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).formatToParts(at);
  } catch {
    parts = new Intl.DateTimeFormat('en-CA', { year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).formatToParts(at);
  }
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '00';
  return { date: `${get('year')}-${get('month')}-${get('day')}`, time: `${get('hour')}:${get('minute')}` };
}

/** 0.4567 -> "45.7%" in the agent's language. */
export function percent(value: number, locale: string): string {
  return new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 1 }).format(Number.isFinite(value) ? value : 0);
}

/** A customer's name for lists: the name, the email, or a short id. */
export function customerLabel(c: Pick<CustomerRecord, 'id' | 'name' | 'email'>, tr: Translator): string {
  const name = c.name?.trim() || c.email?.trim();
  if (name) return name;
  return tr.t('console.conversation.anonymous', { id: c.id.replace(/[^a-zA-Z0-9]/g, '').slice(0, 6) || '?' });
}

/** A template rendered for one recipient in `locale` (plain text: bind it as text, never as HTML). */
export function renderFor(template: string, customer: Pick<CustomerRecord, 'values'> | null, coupon: Pick<CouponSnapshot, 'title'> | null, locale: string): string {
  const values = customer?.values ?? {};
  return renderTemplate(template, { name: values.name ?? null, tier: values.tier ?? null, points: values.points ?? null, coupon: coupon ? localized(coupon.title, locale) : null }, locale);
}
