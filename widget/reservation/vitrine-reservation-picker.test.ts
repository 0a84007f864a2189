// <vitrine-reservation-picker> with stub client and conversation: slots, keyboard, submit, states, locales.
import { HOSTILE, mount, product, slotsPage, stubClient, stubConversation, unmountAll } from '../commerce-fixtures.test-helpers.js';
import type { ReservationCloseDetail } from '../events.js';
import { afterEach, assert, deepActiveElement, describe, equal, it, waitFor } from '../test-utils.js';
import './vitrine-reservation-picker.js';
import type { VitrineReservationPicker } from './vitrine-reservation-picker.js';

afterEach(unmountAll);

const picker = (props: Partial<VitrineReservationPicker>) => mount('vitrine-reservation-picker', { product, ...props });

const $$ = <E extends Element = HTMLElement>(el: Element, selector: string) => [...el.shadowRoot!.querySelectorAll<E>(selector)];
const text = (el: Element, part: string) => el.shadowRoot!.querySelector(`[part~="${part}"]`)?.textContent?.trim() ?? null;

describe('<vitrine-reservation-picker>', () => {
  it('shows days and slots in shop time (named zone); full slots are disabled; arrows move between slots; submit reserves', async () => {
    const conv = stubConversation();
    let closed: ReservationCloseDetail | null = null;
    const el = await picker({ client: stubClient(slotsPage), conversation: conv, variant: 'g43' });
    el.addEventListener('vitrine-reservation-close', (e) => (closed = e.detail));
    const slots = await waitFor(() => ($$(el, '[part~="picker-slot"]').length === 4 ? $$<HTMLButtonElement>(el, '[part~="picker-slot"]') : null), 'slots');
    equal(slots.map((s) => s.textContent!.trim()).join(' '), '10:00 10:30 11:00 11:30', 'Shanghai times');
    equal(slots[1].disabled, true, 'full slot disabled');
    equal(slots[1].getAttribute('aria-label'), '10:30, full');
    equal(text(el, 'picker-zone'), 'Times in shop time: China Standard Time');
    equal($$(el, '[part~="picker-day"]').length, 2);
    // Keyboard: the first free slot is the tab stop; ArrowRight skips the full one.
    equal(slots[0].tabIndex, 0);
    slots[0].focus();
    slots[0].dispatchEvent(new KeyboardEvent('keydown', { key: 'ArrowRight', bubbles: true }));
    equal(deepActiveElement(), slots[2], 'arrow skips the disabled slot');
    slots[2].dispatchEvent(new KeyboardEvent('keydown', { key: 'End', bubbles: true }));
    equal(deepActiveElement(), slots[3]);
    slots[3].click();
    await el.updateComplete;
    equal(slots[3].getAttribute('aria-pressed'), 'true');
    const note = $$<HTMLTextAreaElement>(el, '[part="picker-note"]')[0];
    note.value = 'Bring the 43 too';
    note.dispatchEvent(new Event('input'));
    await el.updateComplete;
    $$<HTMLButtonElement>(el, '[part~="picker-submit"]')[0].click();
    equal(conv.calls.length, 1);
    equal(conv.calls[0].method, 'reserve');
    equal(
      JSON.stringify(conv.calls[0].args[0]),
      JSON.stringify({ productId: 'runner', start: '2026-11-28T03:30:00.000Z', variantId: 'g43', text: 'Bring the 43 too' }),
    );
    equal((closed as ReservationCloseDetail | null)?.sent, true);
  });

  it('asks for a time before sending; Escape closes without sending', async () => {
    const conv = stubConversation();
    let closed: ReservationCloseDetail | null = null;
    const el = await picker({ client: stubClient(slotsPage), conversation: conv });
    el.addEventListener('vitrine-reservation-close', (e) => (closed = e.detail));
    await waitFor(() => $$(el, '[part~="picker-slot"]').length === 4, 'slots');
    $$<HTMLButtonElement>(el, '[part~="picker-submit"]')[0].click();
    await el.updateComplete;
    equal(text(el, 'picker-error'), 'Choose a time first.');
    equal(conv.calls.length, 0);
    $$<HTMLButtonElement>(el, '[part~="picker-slot"]')[0].dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true, composed: true }));
    equal((closed as ReservationCloseDetail | null)?.sent, false);
    equal(conv.calls.length, 0);
  });

  it('variant chips show localized option labels as text (hostile label stays text)', async () => {
    const en = await picker({ client: stubClient(slotsPage), conversation: stubConversation() });
    const chips = $$(en, '[part~="picker-variant"]');
    equal(chips[0].textContent, `42 / ${HOSTILE}`);
    equal(chips[0].getAttribute('title'), `Size: 42, Colour: ${HOSTILE}`);
    equal(en.shadowRoot!.querySelectorAll('img').length, 0, 'no injected image');
    const zh = await picker({ locale: 'zh-CN', client: stubClient(slotsPage), conversation: stubConversation() });
    equal($$(zh, '[part~="picker-variant"]')[1].textContent, '43 / 灰色');
    await waitFor(() => text(zh, 'picker-zone'), 'zone');
    equal(text(zh, 'picker-zone'), '以下为门店时间：中国标准时间');
    equal($$(zh, '[part~="picker-day"]')[0].textContent!.trim(), '11月28日周六');
  });

  it('loading, error (retry), not taken and empty states', async () => {
    let reject: ((e: unknown) => void) | null = null;
    const el = await picker({ client: stubClient(() => new Promise((_resolve, r) => (reject = r))), conversation: stubConversation() });
    equal(text(el, 'picker-status'), 'Loading free times…');
    assert(reject, 'request pending');
    (reject as (e: unknown) => void)(Object.assign(new Error('x'), { code: 'unavailable' }));
    await waitFor(() => el.shadowRoot!.querySelector('[data-state="error"]'), 'error state');
    assert(text(el, 'picker-status')!.startsWith('Could not load the free times. The service is unavailable'), text(el, 'picker-status') ?? '');
    el.client = stubClient({ ...slotsPage, days: slotsPage.days.map((d) => ({ ...d, slots: d.slots.map((s) => ({ ...s, available: false })) })) });
    await waitFor(() => text(el, 'picker-status') === 'No free times in the next 14 days.', 'empty state');
    equal($$<HTMLButtonElement>(el, '[part~="picker-submit"]')[0].disabled, false);
    el.client = stubClient(() => Promise.reject(Object.assign(new Error('no'), { code: 'not_found' })));
    await waitFor(() => text(el, 'picker-status')?.startsWith('This shop does not take reservations right now.'), 'not taken');
  });
});
