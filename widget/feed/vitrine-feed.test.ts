// The broadcast feed in <vitrine-chat> against the real server (shop `wtr`): campaigns created and
// sent through the REST API reach the Feed tab (lazy chunk) live; badges; read-on-view; clicks and
// "Ask about this" recorded; template values rendered as text; zh-CN and en.
import { createVitrineClient, type FeedItem, type VisitorIdentity, type VitrineClient } from '../../src/index.js';
import { webPorts } from '../ports-web.js';
import { useRealChat } from '../chat/real-chat.test-helpers.js';
import type { VitrineChat } from '../chat/vitrine-chat.js';
import type { UnreadChangeDetail } from '../events.js';
import { sendKeys } from '@web/test-runner-commands';
import { assert, before, deepActiveElement, describe, equal, it, sleep, upsertProduct, waitFor } from '../test-utils.js';
import type { VitrineFeedItem } from './vitrine-feed-item.component.js';

const chat = useRealChat();

async function api<T = any>(path: string, method = 'GET', body?: unknown): Promise<T> {
  const res = await fetch(`${chat.info.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${chat.info.agentToken}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${text}`);
  return text ? JSON.parse(text) : (null as T);
}

let tagSeq = 0;
/** A segment holding only this visitor (campaigns of a test reach nobody else), with a profile. */
async function segmentFor(visitor: VitrineClient, attributes: Record<string, string> = {}): Promise<string> {
  const id = visitor.$session.get()?.userId;
  assert(id, 'visitor id');
  const tag = `wtr-feed-${Date.now().toString(36)}-${tagSeq++}`;
  await api(`/api/customers/${id}`, 'PATCH', { addTags: [tag], attributes });
  const segment = await api<{ id: string }>('/api/segments', 'POST', { name: tag, rule: { match: 'all', conditions: [{ tag, op: 'has' }] } });
  return segment.id;
}

/** Creates and sends a campaign; resolves with its id once the visitor's client has it. */
async function broadcast(visitor: VitrineClient, segmentId: string, fields: Record<string, unknown> = {}): Promise<string> {
  const { id } = await api<{ id: string }>('/api/campaigns', 'POST', {
    kind: 'new-arrival',
    name: 'WTR feed',
    title: { en: 'New in: Étoile earrings', 'zh-CN': '新品：星辰耳环' },
    body: { en: 'Gold-plated S925 silver, 8 mm pin.', 'zh-CN': 'S925 银镀金，针长 8 毫米。' },
    segmentId,
    ...fields,
  });
  await api(`/api/campaigns/${id}/send`, 'POST');
  await waitFor(() => visitor.feed.$items.get().some((i) => i.id === id), `feed:new ${id}`, 8000);
  return id;
}

const stats = (id: string) => api<{ delivered: number; read: number; clicked: number }>(`/api/campaigns/${id}/stats`);

const root = (el: Element): ShadowRoot => {
  assert(el.shadowRoot, `${el.localName} has a shadow root`);
  return el.shadowRoot;
};
const text = (node: Element | null | undefined): string | null => node?.textContent?.replace(/\s+/g, ' ').trim() ?? null;
const partOf = (el: Element, name: string) => root(el).querySelector<HTMLElement>(`[part~="${name}"]`);
const tab = (el: VitrineChat, name: 'chat' | 'feed') => partOf(el, `tab-${name}`);
/** A tab's own label (without its badge and screen-reader count). */
const label = (node: Element | null) => [...(node?.childNodes ?? [])].filter((n) => n.nodeType === Node.TEXT_NODE).map((n) => n.textContent).join('').trim();
const badge = (el: VitrineChat, name: 'chat' | 'feed') => partOf(el, `tab-${name}`)?.querySelector<HTMLElement>('[part~="tab-badge"]') ?? null;
const feedEl = (el: VitrineChat) => root(el).querySelector<HTMLElement>('vitrine-feed');
const feedItems = (el: VitrineChat): VitrineFeedItem[] => {
  const feed = feedEl(el);
  return feed?.shadowRoot ? [...feed.shadowRoot.querySelectorAll<VitrineFeedItem>('vitrine-feed-item')] : [];
};
const itemEl = (el: VitrineChat, id: string) => feedItems(el).find((i) => i.item?.id === id && i.shadowRoot?.querySelector('[part~="feed-item-title"]'));
const itemOf = (visitor: VitrineClient, id: string): FeedItem | undefined => visitor.feed.$items.get().find((i) => i.id === id);

/** Opens a chat whose server has feeds (the tab bar shows); `identity`: the visitor's handshake name. */
async function openFeedChat(props: Partial<VitrineChat> = {}, identity?: VisitorIdentity) {
  let opened: Awaited<ReturnType<typeof chat.openChat>>;
  if (identity) {
    const visitor = chat.track(createVitrineClient({ url: chat.info.url, shop: chat.info.shop, ports: webPorts(chat.info.shop), identity, autoConnect: false }));
    const el = document.createElement('vitrine-chat');
    el.locale = 'en';
    Object.assign(el, { ...props, client: visitor });
    document.body.append(el);
    chat.cleanups.push(() => el.remove());
    await el.updateComplete;
    el.show();
    const conv = await waitFor(() => visitor.$conversation.get(), 'visitor conversation');
    await waitFor(() => visitor.$connection.get() === 'online', 'visitor online');
    opened = { el, visitor, conv };
  } else {
    opened = await chat.openChat(props);
  }
  await waitFor(() => tab(opened.el, 'feed'), 'Feed tab');
  return opened;
}

describe('<vitrine-chat> broadcast feed (real server)', () => {
  before(async () => {
    // Tests send many broadcasts to one customer: lift the frequency cap (default 3 per 7 days).
    await api('/api/settings/broadcasts', 'PUT', { frequencyCap: { max: 100, days: 1 }, timeZone: 'Asia/Shanghai' });
  });

  it('shows an item sent through REST in the Feed tab, with template values as text (a hostile name stays literal), products and a CTA; zh-CN too', async function () {
    const hostile = '<img src=x onerror=alert(1)>';
    const { el, visitor } = await openFeedChat({}, { name: hostile });
    equal(label(tab(el, 'chat')), 'Chat');
    equal(label(tab(el, 'feed')), 'Feed');
    assert(badge(el, 'feed')?.hidden, 'no feed badge yet');
    equal(partOf(el, 'tabs')?.getAttribute('role'), 'tablist');
    equal(tab(el, 'chat')?.getAttribute('aria-selected'), 'true');
    const segment = await segmentFor(visitor, { points: '2000' });
    const products = chat.info.products ? ['etoile-necklace', 'perle-studs'] : [];
    const id = await broadcast(visitor, segment, {
      kind: 'member-benefit',
      title: { en: 'Hi {{name|there}}, new earrings', 'zh-CN': '{{name|朋友}}您好，耳环上新' },
      body: { en: 'You have {{points}} points.', 'zh-CN': '您有 {{points}} 积分。' },
      image: '/img/earrings.svg',
      productIds: products,
      cta: { label: { en: 'Shop now', 'zh-CN': '去看看' }, url: 'https://shop.example/earrings' },
    });
    await waitFor(() => !badge(el, 'feed')?.hidden && text(badge(el, 'feed')) === '1', 'Feed tab badge');
    assert(text(tab(el, 'feed'))?.endsWith('1 new feed item'), 'tab count for screen readers');

    tab(el, 'feed')!.click();
    await el.updateComplete;
    equal(tab(el, 'feed')?.getAttribute('aria-selected'), 'true');
    assert(partOf(el, 'message-list')!.closest('[hidden]'), 'chat pane hidden');
    const item = await waitFor(() => itemEl(el, id), 'item rendered (lazy chunk)');
    await waitFor(() => text(partOf(item, 'feed-item-title')) === `Hi ${hostile}, new earrings`, 'title rendered with the name');
    // The values of the page fetched on opening (the profile was set after the session began).
    await waitFor(() => text(partOf(item, 'feed-item-body')) === 'You have 2,000 points.', 'body rendered with the points');
    equal(text(partOf(item, 'feed-item-kind')), 'Member benefit');
    equal(partOf(item, 'feed-item-time')?.getAttribute('datetime'), itemOf(visitor, id)?.sentAt);
    equal(item.shadowRoot!.querySelectorAll('[part~="feed-item-title"] img, [part~="feed-item-body"] img').length, 0, 'no markup from the name');
    equal((partOf(item, 'feed-item-image') as HTMLImageElement | null)?.getAttribute('src'), new URL('/img/earrings.svg', document.baseURI).href);
    const cta = partOf(item, 'feed-item-cta') as HTMLAnchorElement;
    equal(cta.href, 'https://shop.example/earrings');
    equal(cta.target, '_blank');
    equal(cta.rel, 'noopener noreferrer');
    equal(text(partOf(item, 'feed-item-ask')), 'Ask about this');
    if (products.length) {
      const carousel = await waitFor(() => item.shadowRoot!.querySelector('vitrine-product-carousel[part~="feed-item-products"]'), 'carousel');
      const card = await waitFor(
        () => [...(carousel.shadowRoot?.querySelectorAll('vitrine-product-card') ?? [])].find((c) => (c as HTMLElement & { product?: { id: string } }).product?.id === 'perle-studs' && c.shadowRoot?.querySelector('[part~="product-stock"]')),
        'the studs card (products chunk)',
      );
      equal(text(partOf(card, 'product-stock')), 'Only 2 left');
      // Live stock: the catalogue changes, the feed's card follows (product:update).
      const agent = chat.agentClient();
      const { updatedAt: _updatedAt, ...original } = await waitFor(() => agent.getProducts(['perle-studs']).then((p) => p[0]), 'product');
      chat.cleanups.push(async () => void (await upsertProduct(original)));
      await upsertProduct({ ...original, variants: original.variants.map((v) => ({ ...v, stock: 0 })) });
      await waitFor(() => text(partOf(card, 'product-stock')) === 'Out of stock', 'live stock in the feed');
      // A product action is a click on the item (the page still gets vitrine-product-click).
      const onClick = (e: Event) => e.preventDefault();
      document.addEventListener('vitrine-product-click', onClick);
      chat.cleanups.push(() => document.removeEventListener('vitrine-product-click', onClick));
      partOf(card, 'product-action-view')!.click();
      await waitFor(async () => (await stats(id)).clicked === 1, 'product click recorded');
    }

    el.locale = 'zh-CN';
    await el.updateComplete;
    equal(label(tab(el, 'chat')), '聊天');
    equal(label(tab(el, 'feed')), '动态');
    await waitFor(() => text(partOf(item, 'feed-item-title')) === `${hostile}您好，耳环上新`, 'zh-CN title');
    equal(text(partOf(item, 'feed-item-body')), '您有 2,000 积分。');
    equal(text(partOf(item, 'feed-item-kind')), '会员福利');
    equal(text(partOf(item, 'feed-item-cta')), '去看看');
    equal(text(partOf(item, 'feed-item-ask')), '咨询这个');
  });

  it('tabs: arrow keys, Home and End switch tabs and move focus; one Tab stop; the chat pane hides', async () => {
    const { el } = await openFeedChat();
    tab(el, 'chat')!.focus();
    await sendKeys({ press: 'ArrowRight' });
    await el.updateComplete;
    equal(el.tab, 'feed');
    equal(el.getAttribute('tab'), 'feed', 'reflected');
    equal(deepActiveElement(), tab(el, 'feed'));
    equal(tab(el, 'feed')!.tabIndex, 0);
    equal(tab(el, 'chat')!.tabIndex, -1);
    assert(tab(el, 'feed')!.getAttribute('part')!.split(' ').includes('tab-selected'), 'tab-selected part');
    await waitFor(() => feedEl(el) && !feedEl(el)!.hidden, 'feed shown');
    equal(feedEl(el)!.getAttribute('role'), 'tabpanel');
    equal(tab(el, 'feed')!.getAttribute('aria-controls'), feedEl(el)!.id);
    assert(partOf(el, 'composer')!.closest('[hidden]'), 'composer hidden');
    await sendKeys({ press: 'ArrowRight' });
    await el.updateComplete;
    equal(el.tab, 'chat', 'wraps around');
    equal(deepActiveElement(), tab(el, 'chat'));
    await sendKeys({ press: 'End' });
    await el.updateComplete;
    equal(el.tab, 'feed');
    await sendKeys({ press: 'Home' });
    await el.updateComplete;
    equal(el.tab, 'chat');
    assert(feedEl(el)!.hidden, 'feed kept but hidden');
    equal(partOf(el, 'composer')!.closest('[hidden]'), null, 'composer back');
  });

  it('a live feed:new raises the Feed tab and launcher badges while the panel is closed, and nothing is read', async () => {
    const { el, visitor } = await openFeedChat();
    const segment = await segmentFor(visitor);
    el.hide();
    await el.updateComplete;
    const changes: UnreadChangeDetail[] = [];
    el.addEventListener('vitrine-unread-change', (e) => changes.push(e.detail));
    const id = await broadcast(visitor, segment);
    await waitFor(() => text(partOf(el, 'unread-badge')) === '1', 'launcher badge');
    equal(text(badge(el, 'feed')), '1');
    assert(!partOf(el, 'unread-badge')!.hidden, 'badge shown');
    assert(text(partOf(el, 'launcher'))?.includes('1 new feed item'), 'launcher says so to screen readers');
    await waitFor(() => changes.some((c) => c.feed === 1 && c.count === 0 && c.total === 1), 'vitrine-unread-change { count: 0, feed: 1, total: 1 }');
    await sleep(600);
    equal(itemOf(visitor, id)?.read, false, 'not read while closed');
    equal((await stats(id)).read, 0);
  });

  it('read on view: an item below the fold stays unread until scrolled into view; nothing is read while the Chat tab shows', async function () {
    this.timeout(30_000);
    const { el, visitor } = await openFeedChat();
    const segment = await segmentFor(visitor);
    const tall = Array.from({ length: 14 }, (_, i) => `Line ${i + 1}`).join('\n');
    const ids: string[] = [];
    for (let i = 0; i < 4; i++) ids.push(await broadcast(visitor, segment, { name: `Tall ${i}`, body: { en: tall } }));
    await waitFor(() => visitor.feed.$unread.get() === 4, 'four unread');

    tab(el, 'feed')!.click();
    await waitFor(() => feedItems(el).length === 4 && feedItems(el).every((i) => i.shadowRoot?.querySelector('[part~="feed-item-title"]')), 'four items rendered');
    const order = feedItems(el).map((i) => i.item!.id);
    const newest = order[0];
    const oldest = order[3];
    equal(new Set(order).size === 4 && order.every((id) => ids.includes(id)), true, 'each item once');
    await waitFor(() => itemOf(visitor, newest)?.read, 'the top item read once shown');
    await waitFor(async () => (await stats(newest)).read === 1, 'read recorded on the server');
    await sleep(700);
    equal(itemOf(visitor, oldest)?.read, false, 'the item below the fold stays unread');
    assert(partOf(itemEl(el, oldest)!, 'feed-item-unread'), 'its unread dot shows');
    equal((await stats(oldest)).read, 0);

    // Back to the chat: a new item arrives on top of the (hidden) feed and is not read.
    tab(el, 'chat')!.click();
    await el.updateComplete;
    const whileChat = await broadcast(visitor, segment, { name: 'While chatting' });
    await sleep(800);
    equal(itemOf(visitor, whileChat)?.read, false, 'not read while the Chat tab shows');
    equal((await stats(whileChat)).read, 0);

    tab(el, 'feed')!.click();
    await waitFor(() => itemOf(visitor, whileChat)?.read, 'read once the Feed tab shows');
    const list = partOf(feedEl(el)!, 'feed-list')!;
    // Scroll down the way a reader does: every item passes through the viewport.
    while (list.scrollTop + list.clientHeight < list.scrollHeight - 1) {
      list.scrollTop += 120;
      await sleep(120);
    }
    await waitFor(() => itemOf(visitor, oldest)?.read, 'read once scrolled into view');
    await waitFor(async () => (await stats(oldest)).read === 1, 'read recorded');
    await waitFor(() => !partOf(itemEl(el, oldest)!, 'feed-item-unread'), 'dot gone');
    await waitFor(() => visitor.feed.$unread.get() === 0 && partOf(el, 'unread-badge')!.hidden, 'badges cleared');
  });

  it('records CTA clicks; "Ask about this" switches to the chat with the item as context and sends a message about it', async () => {
    const { el, visitor, conv } = await openFeedChat();
    const segment = await segmentFor(visitor, { tier: 'Gold' });
    const withCta = await broadcast(visitor, segment, { cta: { label: { en: 'Shop now' }, url: 'https://shop.example/now' } });
    const askOnly = await broadcast(visitor, segment, {
      kind: 'announcement',
      title: { en: '{{tier|Dear}} members: engraving is free this week' },
      cta: { label: { en: 'Ask us about engraving' }, url: null },
    });
    tab(el, 'feed')!.click();
    const item = await waitFor(() => itemEl(el, withCta), 'item');
    const clicks: string[] = [];
    el.addEventListener('vitrine-feed-click', (e) => clicks.push(`${e.detail.item.id}:${e.detail.target}`));
    const cta = partOf(item, 'feed-item-cta') as HTMLAnchorElement;
    cta.addEventListener('click', (e) => e.preventDefault()); // no new tab in the test browser
    cta.click();
    await waitFor(async () => (await stats(withCta)).clicked === 1, 'CTA click recorded');
    equal(clicks[0], `${withCta}:cta`);

    const asking = await waitFor(() => itemEl(el, askOnly), 'ask item');
    equal(partOf(asking, 'feed-item-cta'), null, 'a CTA without URL is no link');
    const ask = partOf(asking, 'feed-item-ask')!;
    equal(text(ask), 'Ask us about engraving');
    ask.click();
    await el.updateComplete;
    equal(tab(el, 'chat')?.getAttribute('aria-selected'), 'true', 'back on the Chat tab');
    equal(text(partOf(el, 'ask-context-title')), 'Gold members: engraving is free this week');
    await waitFor(async () => (await stats(askOnly)).clicked === 1, 'ask click recorded');
    const input = partOf(el, 'input') as HTMLTextAreaElement;
    input.value = 'Can you engrave 永远 on the inside?';
    input.dispatchEvent(new Event('input'));
    await el.updateComplete;
    (partOf(el, 'send') as HTMLButtonElement).click();
    const sent = await waitFor(() => conv.$messages.get().find((m) => m.seq !== null && m.text.startsWith('Can you engrave')), 'message stored');
    equal(sent.context?.feedItem?.id, askOnly);
    equal(sent.context?.feedItem?.kind, 'announcement');
    equal(sent.context?.product, undefined);
    await waitFor(() => text(partOf(el, 'message-context')) === 'About: Gold members: engraving is free this week', 'context chip on the message');
    equal(partOf(el, 'ask-context'), null, 'composer context cleared');
  });

  it('a coupon in the feed is claimed through the conversation (click recorded)', async function () {
    const couponId = `wtr-feed-${Date.now().toString(36)}`;
    const res = await fetch(`${chat.info.url}/api/coupons/${couponId}`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${chat.info.agentToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        code: 'FEED20',
        title: { en: 'Members 20 off', 'zh-CN': '会员立减 20' },
        conditions: {},
        value: { type: 'amount', amount: { amount: 2000, currency: 'CNY' } },
        minSpend: null,
        expiresAt: null,
      }),
    });
    if (res.status === 404) this.skip();
    equal(res.ok, true, `coupon created: ${res.status}`);
    const { el, visitor, conv } = await openFeedChat();
    const segment = await segmentFor(visitor);
    const id = await broadcast(visitor, segment, { kind: 'promotion', couponId, body: { en: 'Claim {{coupon}} today.' } });
    tab(el, 'feed')!.click();
    const item = await waitFor(() => itemEl(el, id), 'item');
    equal(text(partOf(item, 'feed-item-body')), 'Claim Members 20 off today.');
    const card = await waitFor(() => item.shadowRoot!.querySelector('vitrine-coupon-card'), 'coupon card');
    const claim = await waitFor(() => card.shadowRoot?.querySelector<HTMLButtonElement>('[part~="coupon-claim"]'), 'Claim (commerce chunk)');
    claim.click();
    await waitFor(() => text(card.shadowRoot!.querySelector('[part~="coupon-code"]')) === 'FEED20', 'code shown in the feed');
    assert(conv.$messages.get().some((m) => m.kind === 'coupon-claim' && m.coupon?.id === couponId), 'claim stored in the conversation');
    await waitFor(async () => (await stats(id)).clicked === 1, 'coupon click recorded');
  });
});
