// <vitrine-coupon-card>: value and terms (en, zh-CN), claim, claimed from messages, expired, refused claims, receipt, hostile text.
import type { ChatMessage } from '../../src/index.js';
import { HOSTILE, coupon, message, mountCard, partText as part, stubConversation, unmountAll } from '../commerce-fixtures.test-helpers.js';
import { afterEach, describe, equal, it, waitFor } from '../test-utils.js';
import './vitrine-coupon-card.js';
import type { VitrineCouponCard } from './vitrine-coupon-card.js';

afterEach(unmountAll);

const card = (m: ChatMessage, messages: ChatMessage[], props: Partial<VitrineCouponCard> = {}) => mountCard('vitrine-coupon-card', m, messages, props);
const couponMessage = (extra = {}) => message({ kind: 'coupon', coupon: coupon(extra), mine: false });

describe('<vitrine-coupon-card>', () => {
  it('shows value, minimum spend, conditions and expiry; Claim calls claimCoupon', async () => {
    const m = couponMessage();
    const conv = stubConversation([m]);
    const el = await card(m, [m], { conversation: conv });
    equal(part(el, 'coupon-value'), 'CN¥50.00 off');
    equal(part(el, 'coupon-title'), 'Valentine gift');
    equal(part(el, 'coupon-min-spend'), 'On orders of CN¥300.00 or more');
    equal(part(el, 'coupon-conditions'), 'On necklaces');
    equal(el.shadowRoot!.querySelector('[part~="coupon-expiry"] time')!.getAttribute('datetime'), '2099-02-14T15:59:00.000Z');
    el.shadowRoot!.querySelector<HTMLButtonElement>('[part~="coupon-claim"]')!.click();
    equal(conv.calls[0].method, 'claimCoupon');
    equal(conv.calls[0].args[0], 'vday');
  });

  it('claimed (derived from the coupon-claim message): code, Copy, no Claim button; receipt', async () => {
    const m = couponMessage();
    const claim = message({ kind: 'coupon-claim', coupon: coupon(), claim: { code: 'LOVE50', claimedAt: new Date().toISOString() } });
    const el = await card(m, [m, claim]);
    equal(part(el, 'coupon-code'), 'LOVE50');
    equal(part(el, 'coupon-status'), '✓ Claimed');
    equal(el.shadowRoot!.querySelector('[part~="coupon-claim"]'), null);
    el.shadowRoot!.querySelector<HTMLButtonElement>('[part~="coupon-copy"]')!.click();
    await waitFor(() => part(el, 'coupon-copied'), 'copy feedback');
    const copied = part(el, 'coupon-copied');
    equal(copied === 'Copied' || copied === 'Code selected: press Ctrl+C (⌘C) to copy', true, `copy feedback: ${copied}`);
    const receipt = await card(claim, [m, claim]);
    equal(part(receipt, 'coupon-card'), 'You claimed Valentine gift: LOVE50');
  });

  it('expired: "Expired" and no button; percent value and zh-CN formatting', async () => {
    const m = couponMessage({ expiresAt: '2020-01-01T00:00:00.000Z' });
    const el = await card(m, [m]);
    equal(part(el, 'coupon-status'), '⌛ Expired');
    equal(el.shadowRoot!.querySelector('[part~="coupon-claim"]'), null);
    equal(el.shadowRoot!.querySelector('[part~="coupon-card"]')!.getAttribute('data-state'), 'expired');
    const pct = couponMessage({ value: { type: 'percent', percent: 15 }, minSpend: null });
    equal(part(await card(pct, [pct]), 'coupon-value'), '15% off');
    const zh = await card(couponMessage(), [], { locale: 'zh-CN' });
    equal(part(zh, 'coupon-value'), '立减 ¥50.00');
    equal(part(zh, 'coupon-min-spend'), '满 ¥300.00 可用');
    equal(part(zh, 'coupon-title'), '情人节礼券');
    equal(part(zh, 'coupon-claim'), '领取');
  });

  it('a refused claim shows the reason from the catalogue and drops the failed claim', async () => {
    const m = couponMessage();
    const failedClaim = message({ kind: 'coupon-claim', seq: null, id: null, status: 'failed', pending: { kind: 'coupon-claim', couponId: 'vday' } as never, clientId: 'claim-1' });
    const conv = stubConversation([m, failedClaim]);
    conv.fail = { code: 'conflict', message: 'the coupon has expired', reason: 'coupon_expired' };
    const el = await card(m, [m], { conversation: conv });
    el.shadowRoot!.querySelector<HTMLButtonElement>('[part~="coupon-claim"]')!.click();
    await waitFor(() => part(el, 'coupon-error'), 'error shown');
    equal(part(el, 'coupon-error'), 'This coupon has expired.');
    equal(conv.calls.some((c) => c.method === 'discard' && c.args[0] === 'claim-1'), true, 'failed claim discarded');
    conv.fail = { code: 'conflict', message: 'you have already claimed this coupon', reason: 'coupon_claimed' };
    el.shadowRoot!.querySelector<HTMLButtonElement>('[part~="coupon-claim"]')!.click();
    await waitFor(() => part(el, 'coupon-error') === 'You have already claimed this coupon.', 'claimed reason');
    // Without a reason the card does not guess from the server's (English, unlocalized) words.
    conv.fail = { code: 'conflict', message: 'the coupon has expired' };
    el.shadowRoot!.querySelector<HTMLButtonElement>('[part~="coupon-claim"]')!.click();
    await waitFor(() => part(el, 'coupon-error') === 'This coupon can no longer be claimed.', 'generic conflict');
  });

  it('hostile title and conditions render as text', async () => {
    const m = couponMessage({ title: { en: HOSTILE }, conditions: { en: HOSTILE } });
    const el = await card(m, [m]);
    equal(part(el, 'coupon-title'), HOSTILE);
    equal(part(el, 'coupon-conditions'), HOSTILE);
    equal(el.shadowRoot!.querySelectorAll('img').length, 0);
  });
});
