// <vitrine-feed> on its own with a scripted feed handle: empty state, loading, load more and its
// failure, read-on-view only while `active`, unread dots, dark theme tokens.
import { atom } from 'nanostores';
import type { FeedHandle, FeedItem, FeedValues } from '../../src/index.js';
import { defineFeedElements } from '../feed.js';
import { afterEach, assert, describe, equal, it, sleep, waitFor } from '../test-utils.js';
import type { VitrineFeed } from './vitrine-feed.component.js';
import type { VitrineFeedItem } from './vitrine-feed-item.component.js';

defineFeedElements();

const item = (n: number, extra: Partial<FeedItem> = {}): FeedItem => ({
  id: `b_${n}`,
  kind: 'promotion',
  title: { en: `Offer ${n}`, 'zh-CN': `优惠 ${n}` },
  body: { en: Array.from({ length: 10 }, (_, i) => `Line ${i}`).join('\n') },
  image: null,
  products: [],
  coupon: null,
  cta: null,
  sentAt: new Date(Date.UTC(2026, 10, 23, 10, 60 - n)).toISOString(),
  read: false,
  ...extra,
});

/** A feed handle whose pages are scripted: `pages[0]` answers `load()`, the next ones `loadMore()`. */
function scriptedFeed(pages: FeedItem[][], options: { failMore?: boolean } = {}) {
  const $items = atom<readonly FeedItem[]>([]);
  const $loading = atom(false);
  const $loaded = atom(false);
  const $hasMore = atom(false);
  const read: string[] = [];
  const clicks: string[] = [];
  let page = 0;
  const next = async (): Promise<void> => {
    $loading.set(true);
    await sleep(30);
    $loading.set(false);
    if (page > 0 && options.failMore) throw Object.assign(new Error('offline'), { code: 'unavailable' });
    $items.set([...$items.get(), ...(pages[page] ?? [])]);
    page += 1;
    $hasMore.set(page < pages.length);
    $loaded.set(true);
  };
  const feed: FeedHandle = {
    $available: atom(true),
    $items,
    $unread: atom(0),
    $values: atom<FeedValues>({}),
    $loading,
    $loaded,
    $hasMore,
    load: next,
    loadMore: next,
    markRead(ids) {
      read.push(...ids);
      $items.set($items.get().map((i) => (ids.includes(i.id) ? { ...i, read: true } : i)));
    },
    async click(id, target) {
      clicks.push(`${id}:${target}`);
    },
    askAbout: () => Promise.reject(new Error('not here')),
  };
  return { feed, read, clicks };
}

const mounted: Element[] = [];
afterEach(() => {
  for (const el of mounted.splice(0)) el.remove();
});

async function mount(feed: FeedHandle, props: Partial<VitrineFeed> = {}): Promise<VitrineFeed> {
  const el = document.createElement('vitrine-feed');
  // A box like the chat panel's: the list scrolls inside 300px.
  el.style.setProperty('height', '300px');
  el.style.setProperty('display', 'flex');
  Object.assign(el, { locale: 'en', feed, ...props });
  document.body.append(el);
  mounted.push(el);
  await el.updateComplete;
  return el;
}

const part = (root: Element, name: string) => root.shadowRoot!.querySelector<HTMLElement>(`[part~="${name}"]`);
const items = (el: VitrineFeed) => [...el.shadowRoot!.querySelectorAll<VitrineFeedItem>('vitrine-feed-item')];

describe('<vitrine-feed>', () => {
  it('shows loading, then the empty state (en, zh-CN)', async () => {
    const { feed } = scriptedFeed([[]]);
    const el = await mount(feed);
    await waitFor(() => part(el, 'feed-loading'), 'loading');
    equal(part(el, 'feed-list')!.getAttribute('aria-busy'), 'true');
    await waitFor(() => part(el, 'feed-empty'), 'empty state');
    equal(part(el, 'feed-empty')!.textContent!.trim(), 'Nothing here yet — new arrivals and offers will show up here.');
    el.locale = 'zh-CN';
    await el.updateComplete;
    equal(part(el, 'feed-empty')!.textContent!.trim(), '暂时还没有动态，上新和优惠会显示在这里。');
    equal(part(el, 'feed-list')!.getAttribute('aria-label'), '店铺动态');
  });

  it('loads more on request; a failed page offers Try again', async () => {
    const { feed } = scriptedFeed([[item(1), item(2)], [item(3)]], { failMore: true });
    const el = await mount(feed);
    await waitFor(() => part(el, 'feed-load-more'), 'Load more');
    equal(items(el).length, 2);
    equal(items(el)[0].getAttribute('aria-posinset'), '1');
    equal(items(el)[0].getAttribute('aria-setsize'), '-1', 'size unknown while more exist');
    part(el, 'feed-load-more')!.click();
    const retry = await waitFor(() => part(el, 'feed-retry'), 'Try again');
    equal(part(el, 'feed-error')!.getAttribute('role'), 'alert');
    assert(part(el, 'feed-error')!.textContent!.includes('Could not load the feed.'));
    retry.click(); // fails again (scripted), still offered
    await waitFor(() => part(el, 'feed-retry'), 'Try again again');
  });

  it('marks items read only while active, and only those at least half in view', async () => {
    const { feed, read } = scriptedFeed([[item(1), item(2), item(3), item(4)]]);
    const el = await mount(feed, { active: false });
    await waitFor(() => items(el).length === 4 && items(el).every((i) => part(i, 'feed-item-title')), 'items');
    assert(items(el).every((i) => part(i, 'feed-item-unread')), 'every item has its unread dot');
    equal(part(items(el)[0], 'feed-item-unread')!.textContent!.trim(), 'New');
    await sleep(300);
    equal(read.length, 0, 'nothing read while inactive');

    el.active = true;
    await waitFor(() => read.includes('b_1'), 'the first item read once active');
    await sleep(200);
    assert(!read.includes('b_4'), 'the last item (below the fold) is not read');
    await waitFor(() => !part(items(el)[0], 'feed-item-unread'), 'dot gone');

    el.active = false;
    await el.updateComplete;
    const list = part(el, 'feed-list')!;
    list.scrollTop = list.scrollHeight;
    await sleep(300);
    assert(!read.includes('b_4'), 'scrolled into view while inactive: still unread');
    el.active = true;
    await waitFor(() => read.includes('b_4'), 'read once active again');
  });

  it('renders title and body as text, a safe CTA link only, and records clicks', async () => {
    const { feed, clicks } = scriptedFeed([
      [
        item(1, { title: { en: '<b>bold</b> {{name|friend}}' }, cta: { label: { en: 'Go' }, url: 'javascript:alert(1)' }, image: 'javascript:alert(1)' }),
        item(2, { cta: { label: { en: 'Shop' }, url: 'https://shop.example/x' } }),
      ],
    ]);
    const el = await mount(feed);
    await waitFor(() => items(el).length === 2 && part(items(el)[0], 'feed-item-title'), 'items');
    const [bad, good] = items(el);
    equal(part(bad, 'feed-item-title')!.textContent, '<b>bold</b> friend');
    equal(bad.shadowRoot!.querySelector('b'), null);
    equal(part(bad, 'feed-item-cta'), null, 'javascript: link dropped');
    equal(part(bad, 'feed-item-image'), null, 'javascript: image dropped');
    const link = part(good, 'feed-item-cta') as HTMLAnchorElement;
    link.addEventListener('click', (e) => e.preventDefault());
    link.click();
    part(good, 'feed-item-ask')!.click();
    await waitFor(() => clicks.length === 2, 'clicks');
    equal(clicks.join(' '), 'b_2:cta b_2:ask');
  });

  it('follows a dark chat: item background from the inherited surface', async () => {
    const { feed } = scriptedFeed([[item(1)]]);
    const host = document.createElement('div');
    host.style.setProperty('--_surface', 'rgb(31, 29, 30)');
    host.style.setProperty('color-scheme', 'dark');
    document.body.append(host);
    mounted.push(host);
    const el = document.createElement('vitrine-feed');
    Object.assign(el, { locale: 'en', feed });
    host.append(el);
    await waitFor(() => items(el)[0] && part(items(el)[0], 'feed-item-card'), 'item');
    equal(getComputedStyle(part(items(el)[0], 'feed-item-card')!).backgroundColor, 'rgb(31, 29, 30)');
  });
});
