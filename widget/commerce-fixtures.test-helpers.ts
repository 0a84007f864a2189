/** Fixtures for the commerce element tests: messages, stub conversations/clients (no server) and mounting. */
import type { ChatMessage, ConversationHandle, CouponSnapshot, ProductSnapshot, Reservation, ReservationSlotsPage, VitrineClient } from '../src/index.js';
import { atom } from 'nanostores';

export const HOSTILE = '<img src=x onerror=alert(1)>';

export const product: ProductSnapshot = {
  id: 'runner',
  title: { en: 'Grey runner', 'zh-CN': '灰色跑鞋' },
  price: { amount: 59900, currency: 'CNY' },
  compareAt: null,
  image: 'javascript:alert(1)',
  url: null,
  variants: [
    { id: 'g42', sku: null, options: { size: '42', colour: 'grey' }, price: null, stock: 3 },
    { id: 'g43', sku: null, options: { size: '43', colour: 'grey' }, price: null, stock: 1 },
  ],
  options: [
    { name: 'size', label: { en: 'Size', 'zh-CN': '尺码' }, values: {} },
    { name: 'colour', label: { en: 'Colour', 'zh-CN': '颜色' }, values: { grey: { en: HOSTILE, 'zh-CN': '灰色' } } },
  ],
  source: 'catalogue',
};

let seq = 0;
export function message(partial: Partial<ChatMessage>): ChatMessage {
  seq += 1;
  return {
    id: `m${seq}`,
    conversationId: 'c1',
    seq,
    clientId: `cl${seq}`,
    author: { role: 'visitor', id: 'v1', name: 'Visitor' },
    kind: 'text',
    text: '',
    createdAt: new Date().toISOString(),
    mine: true,
    status: 'sent',
    error: null,
    ...partial,
  } as ChatMessage;
}

export function reservation(state: Reservation['state'], extra: Partial<Reservation> = {}): Reservation {
  return {
    id: 'r1',
    product,
    variantId: 'g42',
    start: '2026-11-28T06:00:00.000Z',
    end: '2026-11-28T06:30:00.000Z',
    state,
    timeZone: 'Asia/Shanghai',
    ...extra,
  };
}

export function coupon(extra: Partial<CouponSnapshot> = {}): CouponSnapshot {
  return {
    id: 'vday',
    title: { en: 'Valentine gift', 'zh-CN': '情人节礼券' },
    conditions: { en: 'On necklaces', 'zh-CN': '限项链' },
    value: { type: 'amount', amount: { amount: 5000, currency: 'CNY' } },
    minSpend: { amount: 30000, currency: 'CNY' },
    expiresAt: '2099-02-14T15:59:00.000Z',
    ...extra,
  };
}

export interface StubCall {
  method: string;
  args: unknown[];
}

/** A conversation handle that records calls; `fail` makes the next call reject with that error. */
export function stubConversation(messages: ChatMessage[] = []): ConversationHandle & { calls: StubCall[]; fail: { code: string; message: string; reason?: string } | null } {
  const $messages = atom<ChatMessage[]>(messages);
  const calls: StubCall[] = [];
  const stub = {
    id: 'c1',
    calls,
    fail: null as { code: string; message: string; reason?: string } | null,
    $messages,
    $typing: atom([]),
    $unread: atom(0),
    $hasEarlier: atom(false),
  };
  const record =
    (method: string) =>
    (...args: unknown[]): Promise<ChatMessage> => {
      calls.push({ method, args });
      if (stub.fail) {
        const { code, message: text, reason } = stub.fail;
        return Promise.reject(Object.assign(new Error(text), { code, reason }));
      }
      return Promise.resolve(message({}));
    };
  return Object.assign(stub, {
    send: record('send'),
    sendProducts: record('sendProducts'),
    reserve: record('reserve'),
    updateReservation: record('updateReservation'),
    sendCoupon: record('sendCoupon'),
    claimCoupon: record('claimCoupon'),
    retry: record('retry'),
    discard: (clientId: string) => void calls.push({ method: 'discard', args: [clientId] }),
    markRead: () => {},
    setTyping: () => {},
    loadEarlier: () => Promise.resolve(),
  }) as unknown as ConversationHandle & { calls: StubCall[]; fail: { code: string; message: string; reason?: string } | null };
}

/** A client whose `getReservationSlots` answers `page` (or rejects with `error`). */
export function stubClient(page: ReservationSlotsPage | (() => Promise<ReservationSlotsPage>)): VitrineClient {
  return {
    getReservationSlots: () => (typeof page === 'function' ? page() : Promise.resolve(page)),
  } as unknown as VitrineClient;
}

export const slotsPage: ReservationSlotsPage = {
  timeZone: 'Asia/Shanghai',
  slotMinutes: 30,
  days: [
    {
      date: '2026-11-28',
      slots: [
        { start: '2026-11-28T02:00:00.000Z', end: '2026-11-28T02:30:00.000Z', available: true },
        { start: '2026-11-28T02:30:00.000Z', end: '2026-11-28T03:00:00.000Z', available: false },
        { start: '2026-11-28T03:00:00.000Z', end: '2026-11-28T03:30:00.000Z', available: true },
        { start: '2026-11-28T03:30:00.000Z', end: '2026-11-28T04:00:00.000Z', available: true },
      ],
    },
    { date: '2026-11-29', slots: [{ start: '2026-11-29T02:00:00.000Z', end: '2026-11-29T02:30:00.000Z', available: true }] },
  ],
};

type CommerceTag = 'vitrine-coupon-card' | 'vitrine-reservation-card' | 'vitrine-reservation-picker';
const mounted: Element[] = [];

/** Puts a commerce element in the document with `props` (locale `en` unless given) and waits for its render. */
export async function mount<K extends CommerceTag>(tag: K, props: Partial<HTMLElementTagNameMap[K]>): Promise<HTMLElementTagNameMap[K]> {
  const el = document.createElement(tag);
  Object.assign(el, { locale: 'en', ...props });
  document.body.append(el);
  mounted.push(el);
  await el.updateComplete;
  return el;
}

/** A message card (`message`, the conversation's `messages`, a stub conversation over them), mounted. */
export function mountCard<K extends 'vitrine-coupon-card' | 'vitrine-reservation-card'>(
  tag: K,
  m: ChatMessage,
  messages: ChatMessage[],
  props: Partial<HTMLElementTagNameMap[K]> = {},
): Promise<HTMLElementTagNameMap[K]> {
  return mount(tag, { message: m, messages, conversation: stubConversation(messages), ...props } as Partial<HTMLElementTagNameMap[K]>);
}

/** Removes every element `mount` put in the document (call it after each test). */
export function unmountAll(): void {
  for (const el of mounted.splice(0)) el.remove();
}

/** Text of the first `[part~=name]` in `el`'s shadow root, white space folded; null when there is none. */
export const partText = (el: Element, name: string): string | null => el.shadowRoot?.querySelector(`[part~="${name}"]`)?.textContent?.replace(/\s+/g, ' ').trim() ?? null;
