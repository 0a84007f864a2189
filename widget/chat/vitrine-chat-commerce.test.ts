// <vitrine-chat> with reservations and coupons against the real server (shop `wtr`): the commerce
// chunk loads on demand, Reserve on a card opens the picker and sends a request, staff proposals
// show the visitor's steps, coupons are claimed and stay claimed after a reload.
import type { ChatMessage } from '../../src/index.js';
import type { VitrineCouponCard } from '../coupon/vitrine-coupon-card.js';
import type { VitrineProductCard } from '../product-card/vitrine-product-card.component.js';
import type { VitrineReservationCard } from '../reservation/vitrine-reservation-card.js';
import type { VitrineReservationPicker } from '../reservation/vitrine-reservation-picker.js';
import { describe, equal, it, waitFor } from '../test-utils.js';
import { useRealChat } from './real-chat.test-helpers.js';

const chat = useRealChat();
const agent = chat.agentClient;
const openChat = chat.openChat;

async function api(path: string, method: string, body: unknown): Promise<Response> {
  return fetch(`${chat.info.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${chat.info.agentToken}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
}

const $$ = <E extends Element = HTMLElement>(root: Element, selector: string) => [...root.shadowRoot!.querySelectorAll<E>(selector)];
const part = (root: Element, name: string) => root.shadowRoot?.querySelector(`[part~="${name}"]`)?.textContent?.replace(/\s+/g, ' ').trim() ?? null;

describe('<vitrine-chat> reservations and coupons (real server)', () => {
  it('claims a coupon: code shown, still claimed after a reload; hostile coupon text stays text', async function () {
    const id = `wtr-${Date.now().toString(36)}`;
    const res = await api(`/api/coupons/${id}`, 'PUT', {
      code: 'LOVE50',
      title: { en: `Valentine <img src=x onerror=alert(1)>`, 'zh-CN': '情人节礼券' },
      conditions: { en: '<img src=x onerror=alert(1)>' },
      value: { type: 'amount', amount: { amount: 5000, currency: 'CNY' } },
      minSpend: { amount: 30000, currency: 'CNY' },
      expiresAt: new Date(Date.now() + 86_400_000 * 30).toISOString(),
    });
    if (res.status === 404) this.skip(); // a server without coupons
    equal(res.ok, true, `coupon created: ${res.status}`);
    const { el, conv } = await openChat();
    await agent().conversation(conv.id).sendCoupon(id);
    const card = await waitFor(() => $$<VitrineCouponCard>(el, 'vitrine-coupon-card')[0], 'coupon card');
    await waitFor(() => part(card, 'coupon-claim'), 'card upgraded (lazy chunk)');
    equal(part(card, 'coupon-value'), 'CN¥50.00 off');
    equal(part(card, 'coupon-title'), 'Valentine <img src=x onerror=alert(1)>');
    equal(part(card, 'coupon-conditions'), '<img src=x onerror=alert(1)>');
    equal(card.shadowRoot!.querySelectorAll('img').length, 0);
    card.shadowRoot!.querySelector<HTMLButtonElement>('[part~="coupon-claim"]')!.click();
    await waitFor(() => part(card, 'coupon-code') === 'LOVE50', 'code revealed');
    const receipt = await waitFor(() => $$<VitrineCouponCard>(el, 'vitrine-coupon-card').find((c) => c.message?.kind === 'coupon-claim' && part(c, 'coupon-code')), 'receipt');
    equal(part(receipt, 'coupon-card'), 'You claimed Valentine <img src=x onerror=alert(1)>: LOVE50');

    // Reload: a new client of the same visitor derives "claimed" from the stored messages.
    el.remove();
    const again = await openChat({ locale: 'zh-CN' });
    const fresh = await waitFor(() => $$<VitrineCouponCard>(again.el, 'vitrine-coupon-card').find((c) => c.message?.kind === 'coupon' && part(c, 'coupon-code')), 'claimed card after reload');
    equal(part(fresh, 'coupon-code'), 'LOVE50');
    equal(part(fresh, 'coupon-status'), '✓ 已领取');
    equal(fresh.shadowRoot!.querySelector('[part~="coupon-claim"]'), null);
  });

  it('Reserve on a card opens the picker, sends a request; a staff proposal offers Accept / Decline; the older message says "Updated below"', async function () {
    if (!chat.info.products) this.skip();
    const hours = { mon: [['00:00', '23:30']], tue: [['00:00', '23:30']], wed: [['00:00', '23:30']], thu: [['00:00', '23:30']], fri: [['00:00', '23:30']], sat: [['00:00', '23:30']], sun: [['00:00', '23:30']] };
    const res = await api('/api/settings/reservations', 'PUT', { enabled: true, timeZone: 'Asia/Shanghai', hours, slotMinutes: 30, capacity: 5, horizonDays: 14, leadMinutes: 0 });
    if (res.status === 404) this.skip();
    equal(res.ok, true, `settings saved: ${res.status}`);
    const { el, conv, visitor } = await openChat();
    await waitFor(() => visitor.$session.get()?.features.includes('reservations'), 'feature announced');
    const staff = agent();
    await staff.conversation(conv.id).sendProducts(['etoile-necklace']);
    const card = await waitFor(() => $$<VitrineProductCard>(el, 'vitrine-product-card')[0], 'card');
    const reserve = await waitFor(() => card.shadowRoot?.querySelector<HTMLButtonElement>('[part~="product-action-reserve"]'), 'Reserve action');
    equal(reserve.textContent!.trim(), 'Reserve / try in store');
    card.shadowRoot!.querySelector<HTMLButtonElement>('[data-variant="gold"]')?.click();
    reserve.click();
    const picker = await waitFor(() => $$<VitrineReservationPicker>(el, 'vitrine-reservation-picker')[0], 'picker');
    const slot = await waitFor(() => picker.shadowRoot?.querySelector<HTMLButtonElement>('[part~="picker-slot"]:not(:disabled)'), 'a free slot', 8000);
    equal(part(picker, 'picker-zone'), 'Times in shop time: China Standard Time');
    slot.click();
    await picker.updateComplete;
    picker.shadowRoot!.querySelector<HTMLButtonElement>('[part~="picker-submit"]')!.click();
    await waitFor(() => $$(el, 'vitrine-reservation-picker').length === 0, 'picker closed');
    const first = await waitFor(
      () => $$<VitrineReservationCard>(el, 'vitrine-reservation-card').find((c) => part(c, 'reservation-state')?.endsWith('Requested')),
      'requested card',
    );
    equal([...first.shadowRoot!.querySelectorAll<HTMLButtonElement>('[part~="reservation-action"]')].map((b) => b.dataset.action).join(','), 'cancel');
    const stored = await waitFor(() => conv.$messages.get().find((m: ChatMessage) => m.kind === 'reservation' && m.reservation), 'stored');
    equal(stored.reservation!.variantId, 'gold');

    const days = await staff.getReservationSlots({ days: 14 }).catch(() => null);
    const other = days?.days.flatMap((d) => d.slots).find((s) => s.available && s.start !== stored.reservation!.start);
    if (!other) return;
    await staff.conversation(conv.id).updateReservation(stored.reservation!.id, 'propose', { start: other.start });
    const proposed = await waitFor(
      () => $$<VitrineReservationCard>(el, 'vitrine-reservation-card').find((c) => part(c, 'reservation-state')?.endsWith('New time proposed')),
      'proposed card',
    );
    await waitFor(() => part(first, 'reservation-superseded') === 'Updated below', 'older card superseded');
    equal([...proposed.shadowRoot!.querySelectorAll<HTMLButtonElement>('[part~="reservation-action"]')].map((b) => b.dataset.action).join(','), 'confirm,decline,cancel');
    proposed.shadowRoot!.querySelector<HTMLButtonElement>('[data-action="confirm"]')!.click();
    await waitFor(
      () => $$<VitrineReservationCard>(el, 'vitrine-reservation-card').find((c) => part(c, 'reservation-state')?.endsWith('Confirmed')),
      'confirmed card',
    );
  });

  it('stays at the newest message while coupon cards load and grow, unless the reader scrolled up', async function () {
    const id = `wtr-pin-${Date.now().toString(36)}`;
    const res = await api(`/api/coupons/${id}`, 'PUT', {
      code: 'PIN10',
      title: { en: 'Pinned' },
      conditions: { en: 'A long condition that wraps over several lines of the card. '.repeat(4) },
      value: { type: 'percent', percent: 10 },
    });
    if (res.status === 404) this.skip();
    const { el, conv } = await openChat();
    const staff = agent().conversation(conv.id);
    for (let i = 0; i < 12; i++) await staff.send(`Line ${i} of a conversation long enough to scroll`);
    const list = el.shadowRoot!.querySelector<HTMLElement>('[part~="message-list"]')!;
    const gap = () => list.scrollHeight - list.scrollTop - list.clientHeight;
    await waitFor(() => list.scrollHeight > list.clientHeight && gap() < 8, 'scrollable list at its end');

    await staff.sendCoupon(id);
    const card = await waitFor(() => $$<VitrineCouponCard>(el, 'vitrine-coupon-card')[0], 'coupon card');
    await waitFor(() => part(card, 'coupon-claim'), 'card upgraded (lazy chunk)');
    await new Promise((r) => setTimeout(r, 300));
    equal(gap() < 8, true, `list left ${gap()} px above its end after the card grew`);

    // A reader who scrolled up is not pulled down by a growing card.
    list.scrollTop = 0;
    list.dispatchEvent(new Event('scroll'));
    await staff.sendCoupon(id);
    await waitFor(() => $$<VitrineCouponCard>(el, 'vitrine-coupon-card').length === 2, 'second coupon card');
    await new Promise((r) => setTimeout(r, 300));
    equal(list.scrollTop < 50, true, `reader's position kept (scrollTop ${list.scrollTop})`);
  });
});
