// <vitrine-reservation-card>: states, allowed visitor steps, "updated below", pending, hostile text, locales.
import type { ChatMessage } from '../../src/index.js';
import { HOSTILE, message, reservation, mountCard, partText as part, stubConversation, unmountAll } from '../commerce-fixtures.test-helpers.js';
import { afterEach, describe, equal, it, waitFor } from '../test-utils.js';
import './vitrine-reservation-card.js';
import type { VitrineReservationCard } from './vitrine-reservation-card.js';

afterEach(unmountAll);

const card = (m: ChatMessage, messages: ChatMessage[], props: Partial<VitrineReservationCard> = {}) => mountCard('vitrine-reservation-card', m, messages, props);
const actions = (el: Element) => [...el.shadowRoot!.querySelectorAll<HTMLButtonElement>('[part~="reservation-action"]')].map((b) => b.dataset.action).join(',');

describe('<vitrine-reservation-card>', () => {
  it('shows each state as text with the visitor steps it allows (latest message only)', async () => {
    const expected: Record<string, [string, string]> = {
      requested: ['Requested', 'cancel'],
      proposed: ['New time proposed', 'confirm,decline,cancel'],
      confirmed: ['Confirmed', 'cancel'],
      declined: ['Declined', ''],
      cancelled: ['Cancelled', ''],
    };
    for (const [state, [label, steps]] of Object.entries(expected)) {
      const m = message({ kind: 'reservation', reservation: reservation(state as never), action: 'request' });
      const el = await card(m, [m]);
      equal(part(el, 'reservation-state'), `${{ requested: '…', proposed: '↻', confirmed: '✓', declined: '✕', cancelled: '–' }[state]}${label}`, state);
      equal(el.shadowRoot!.querySelector('[part~="reservation-card"]')!.getAttribute('data-state'), state);
      equal(actions(el), steps, `${state} steps`);
    }
  });

  it('older messages of a reservation say "Updated below" and offer no steps; a step calls updateReservation', async () => {
    const first = message({ kind: 'reservation', reservation: reservation('requested'), action: 'request' });
    const second = message({ kind: 'reservation', reservation: reservation('proposed', { start: '2026-11-29T06:00:00.000Z', end: '2026-11-29T06:30:00.000Z' }), action: 'propose', mine: false });
    const all = [first, second];
    const conv = stubConversation(all);
    const old = await card(first, all, { conversation: conv });
    equal(part(old, 'reservation-superseded'), 'Updated below');
    equal(actions(old), '');
    const latest = await card(second, all, { conversation: conv });
    equal(part(latest, 'reservation-superseded'), null);
    equal(part(latest, 'reservation-slot'), 'Sun, Nov 29 14:00–14:30 (China Standard Time)');
    latest.shadowRoot!.querySelector<HTMLButtonElement>('[data-action="confirm"]')!.click();
    equal(conv.calls[0].method, 'updateReservation');
    equal(JSON.stringify(conv.calls[0].args), JSON.stringify(['r1', 'confirm']));
    // A refused step shows why.
    conv.fail = { code: 'conflict', message: 'not allowed' };
    const cancel = await waitFor(() => latest.shadowRoot!.querySelector<HTMLButtonElement>('[data-action="cancel"]:not(:disabled)'), 'buttons enabled again');
    cancel.click();
    await waitFor(() => part(latest, 'reservation-error'), 'error');
    equal(part(latest, 'reservation-error'), 'Could not update the reservation. That conflicts with a newer change.');
  });

  it('pending and failed outbox messages; hostile note and option label render as text; zh-CN', async () => {
    const pending = message({ kind: 'reservation', seq: null, id: null, status: 'sending' });
    equal(part(await card(pending, [pending]), 'reservation-pending'), 'Sending reservation…');
    const failed = message({ kind: 'reservation', seq: null, id: null, status: 'failed', error: { code: 'conflict', message: 'slot full' } });
    equal(part(await card(failed, [failed]), 'reservation-pending'), 'Could not send the request. That conflicts with a newer change.');
    const full = message({ kind: 'reservation', seq: null, id: null, status: 'failed', error: { code: 'conflict', message: 'that time is no longer available', reason: 'slot_full' } });
    equal(part(await card(full, [full]), 'reservation-pending'), 'Could not send the request. That time has just been taken — please pick another.');

    const hostile = message({ kind: 'reservation', reservation: reservation('confirmed', { variantId: 'g43' }), action: 'confirm', text: HOSTILE });
    const el = await card(hostile, [hostile]);
    equal(part(el, 'reservation-note'), `Note: ${HOSTILE}`);
    equal(part(el, 'reservation-variant'), `Size: 43, Colour: ${HOSTILE}`);
    equal(el.shadowRoot!.querySelectorAll('img').length, 0, 'no image: javascript: URL dropped, nothing injected');

    const zh = await card(hostile, [hostile], { locale: 'zh-CN' });
    equal(part(zh, 'reservation-state'), '✓已确认');
    equal(part(zh, 'reservation-slot'), '11月28日周六 14:00–14:30（中国标准时间）');
    equal(part(zh, 'reservation-variant'), '尺码: 43, 颜色: 灰色');
    equal(part(zh, 'reservation-title'), '灰色跑鞋');
  });
});
