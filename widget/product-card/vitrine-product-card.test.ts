import { sendKeys } from '@web/test-runner-commands';
import type { ProductSnapshot, ProductVariant } from '../../src/index.js';
import type { ProductClickDetail } from '../events.js';
import { afterEach, assert, deepActiveElement, deepElements, describe, equal, it } from '../test-utils.js';
import './vitrine-product-card.js';
import { stockOf, type VitrineProductCard } from './vitrine-product-card.js';

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const fn of cleanups.splice(0)) fn();
});

const variant = (id: string, options: Record<string, string>, stock: number | null, price: ProductVariant['price'] = null): ProductVariant => ({
  id,
  sku: `SKU-${id}`,
  options,
  price,
  stock,
});

function snapshot(over: Partial<ProductSnapshot> = {}): ProductSnapshot {
  return {
    id: 'etoile-necklace',
    title: { 'zh-CN': '星辰项链', en: 'Étoile necklace' },
    price: { amount: 59900, currency: 'CNY' },
    compareAt: null,
    image: '/img/etoile.svg',
    url: '/products/etoile-necklace',
    variants: [variant('gold', { colour: 'gold' }, 12), variant('silver', { colour: 'silver' }, 8)],
    source: 'catalogue',
    ...over,
  };
}

async function mount(props: Partial<VitrineProductCard>): Promise<VitrineProductCard> {
  const el = document.createElement('vitrine-product-card');
  el.locale = 'en';
  Object.assign(el, props);
  document.body.append(el);
  cleanups.push(() => el.remove());
  await el.updateComplete;
  return el;
}

const part = <E extends Element = HTMLElement>(el: VitrineProductCard, name: string): E | null =>
  el.shadowRoot!.querySelector<E>(`[part~="${name}"]`);
const text = (el: VitrineProductCard, name: string) => part(el, name)?.textContent?.trim() ?? null;
const chips = (el: VitrineProductCard) => [...el.shadowRoot!.querySelectorAll<HTMLButtonElement>('[part~="variant"]')];

describe('<vitrine-product-card>', () => {
  it('formats CNY/USD/EUR/JPY prices from minor units in zh-CN and en', async () => {
    const cases: [string, string, number, string][] = [
      ['zh-CN', 'CNY', 59900, '¥599.00'],
      ['zh-CN', 'USD', 12950, 'US$129.50'],
      ['zh-CN', 'EUR', 8900, '€89.00'],
      ['zh-CN', 'JPY', 12000, 'JP¥12,000'],
      ['en', 'CNY', 59900, 'CN¥599.00'],
      ['en', 'USD', 12950, '$129.50'],
      ['en', 'EUR', 8900, '€89.00'],
      ['en', 'JPY', 12000, '¥12,000'],
    ];
    for (const [locale, currency, amount, expected] of cases) {
      const el = await mount({ locale, product: snapshot({ price: { amount, currency } }) });
      equal(text(el, 'product-price'), expected, `${locale} ${currency}`);
      equal(part(el, 'product-compare-at'), null, 'no compare-at without one');
      el.remove();
    }
  });

  it('shows the title for the locale, the image with alt = title and lazy loading', async () => {
    const el = await mount({ locale: 'zh-CN', product: snapshot() });
    equal(text(el, 'product-title'), '星辰项链');
    const img = part<HTMLImageElement>(el, 'product-image')!;
    equal(img.alt, '星辰项链');
    equal(img.getAttribute('loading'), 'lazy');
    assert(img.src.endsWith('/img/etoile.svg'), img.src);
    el.locale = 'en';
    await el.updateComplete;
    equal(text(el, 'product-title'), 'Étoile necklace');
  });

  it('strikes the compare-at price through with an accessible "was" label, only when higher', async () => {
    const el = await mount({ product: snapshot({ price: { amount: 12900, currency: 'USD' }, compareAt: { amount: 15900, currency: 'USD' } }) });
    const was = part(el, 'product-compare-at')!;
    equal(was.tagName, 'S');
    equal(was.textContent, '$159.00');
    const hidden = [...el.shadowRoot!.querySelectorAll('.sr-only')].map((n) => n.textContent);
    assert(hidden.includes('Was $159.00'), JSON.stringify(hidden));
    assert(hidden.includes('Now $129.00'), JSON.stringify(hidden));
    el.product = snapshot({ price: { amount: 12900, currency: 'USD' }, compareAt: { amount: 9900, currency: 'USD' } });
    await el.updateComplete;
    equal(part(el, 'product-compare-at'), null, 'lower compare-at is not shown');
  });

  it('shows stock states: in stock, only N left, out of stock, untracked', async () => {
    const el = await mount({ product: snapshot() });
    equal(text(el, 'product-stock'), 'In stock');
    equal(part(el, 'product-stock')!.dataset.state, 'in');
    el.product = snapshot({ variants: [variant('gold', { colour: 'gold' }, 2), variant('silver', { colour: 'silver' }, 0)] });
    await el.updateComplete;
    equal(text(el, 'product-stock'), 'Only 2 left');
    equal(part(el, 'product-stock')!.dataset.state, 'low');
    el.product = snapshot({ variants: [variant('gold', { colour: 'gold' }, 0), variant('silver', { colour: 'silver' }, 0)] });
    await el.updateComplete;
    equal(text(el, 'product-stock'), 'Out of stock');
    assert(part<HTMLButtonElement>(el, 'product-action-buy')!.disabled, 'Buy is disabled when out of stock');
    el.product = snapshot({ variants: [variant('one', {}, null)] });
    await el.updateComplete;
    equal(part(el, 'product-stock'), null, 'untracked stock shows nothing');
    el.locale = 'zh-CN';
    el.product = snapshot({ variants: [variant('one', {}, 2)] });
    await el.updateComplete;
    equal(text(el, 'product-stock'), '仅剩 2 件');
  });

  it('live stock overrides the snapshot', async () => {
    const product = snapshot();
    const el = await mount({ product });
    equal(text(el, 'product-stock'), 'In stock');
    el.stock = { productId: product.id, variants: { gold: 0, silver: 1 }, total: 1 };
    await el.updateComplete;
    equal(text(el, 'product-stock'), 'Only 1 left');
    assert(chips(el)[0].disabled, 'gold is sold out now');
    el.stock = stockOf({ id: product.id, variants: [variant('gold', {}, 0), variant('silver', {}, 0)] });
    await el.updateComplete;
    equal(text(el, 'product-stock'), 'Out of stock');
  });

  it('variant chips: aria-pressed, out-of-stock disabled, selection changes price and stock, keyboard', async () => {
    const el = await mount({
      product: snapshot({
        variants: [
          variant('s', { size: 'S' }, 3),
          variant('m', { size: 'M' }, 0),
          variant('l', { size: 'L' }, 20, { amount: 69900, currency: 'CNY' }),
        ],
      }),
    });
    const [s, m, l] = chips(el);
    equal(s.textContent, 'S');
    equal(s.getAttribute('aria-pressed'), 'false');
    assert(m.disabled, 'M is out of stock');
    equal(m.getAttribute('aria-label'), 'M (out of stock)');
    l.click();
    await el.updateComplete;
    equal(l.getAttribute('aria-pressed'), 'true');
    assert(l.getAttribute('part')!.includes('variant-selected'));
    equal(text(el, 'product-price'), 'CN¥699.00', 'variant price');
    equal(text(el, 'product-stock'), 'In stock');
    // Keyboard: focus S, ArrowRight skips the disabled M, Space selects L... then Home + Enter selects S.
    s.focus();
    await sendKeys({ press: 'ArrowRight' });
    equal(deepActiveElement(), l, 'ArrowRight skips disabled chips');
    await sendKeys({ press: 'Home' });
    equal(deepActiveElement(), s);
    await sendKeys({ press: 'Enter' });
    await el.updateComplete;
    equal(s.getAttribute('aria-pressed'), 'true');
    equal(l.getAttribute('aria-pressed'), 'false');
    equal(text(el, 'product-stock'), 'Only 3 left');
    await sendKeys({ press: 'Space' });
    await el.updateComplete;
    equal(s.getAttribute('aria-pressed'), 'false', 'pressing again unselects');
  });

  it('Buy fires a cancellable, bubbling, composed vitrine-product-click with product and variant', async () => {
    const product = snapshot();
    const el = await mount({ product, actions: 'view cart' });
    const seen: CustomEvent<ProductClickDetail>[] = [];
    const listener = (e: Event) => seen.push(e as CustomEvent<ProductClickDetail>);
    document.addEventListener('vitrine-product-click', listener);
    cleanups.push(() => document.removeEventListener('vitrine-product-click', listener));
    const buy = part<HTMLButtonElement>(el, 'product-action-buy')!;
    equal(buy.textContent!.trim(), 'Add to cart');
    chips(el)[1].click();
    await el.updateComplete;
    buy.click();
    equal(seen.length, 1);
    const e = seen[0];
    assert(e.bubbles && e.composed && e.cancelable, 'bubbles, composed, cancelable');
    equal(e.detail.action, 'buy');
    equal(e.detail.product, product);
    equal(e.detail.variant?.id, 'silver');
  });

  it('View: not cancelled opens the product URL in a new tab (noopener); cancelled does not', async () => {
    const el = await mount({ product: snapshot({ url: 'https://shop.example/p/etoile?a=1' }) });
    const view = part<HTMLAnchorElement>(el, 'product-action-view')!;
    equal(view.tagName, 'A');
    equal(view.href, 'https://shop.example/p/etoile?a=1');
    equal(view.target, '_blank');
    equal(view.rel, 'noopener noreferrer');
    let cancel = true;
    let navigated: boolean | null = null;
    const onProduct = (e: Event) => {
      equal((e as CustomEvent<ProductClickDetail>).detail.action, 'view');
      if (cancel) e.preventDefault();
    };
    // Runs after the card's own handler: sees whether the link would navigate, then stops it.
    const onClick = (e: Event) => {
      navigated = !e.defaultPrevented;
      e.preventDefault();
    };
    document.addEventListener('vitrine-product-click', onProduct);
    window.addEventListener('click', onClick);
    cleanups.push(() => {
      document.removeEventListener('vitrine-product-click', onProduct);
      window.removeEventListener('click', onClick);
    });
    view.click();
    equal(navigated, false, 'cancelled: no navigation');
    cancel = false;
    view.click();
    equal(navigated, true, 'not cancelled: the link opens');
  });

  it('never renders other URL schemes: no image, no link', async () => {
    const el = await mount({ product: snapshot({ image: 'javascript:alert(1)', url: 'javascript:alert(1)' }) });
    equal(part(el, 'product-image'), null);
    assert(part(el, 'product-image-placeholder'), 'placeholder instead');
    const view = part(el, 'product-action-view')!;
    equal(view.tagName, 'BUTTON', 'View without a safe URL is a button that only fires the event');
    for (const bad of ['data:image/svg+xml,<svg/>', ' jAvAsCrIpT:alert(1)', 'java\tscript:alert(1)', 'blob:https://x/1']) {
      el.product = snapshot({ image: bad, url: bad });
      await el.updateComplete;
      equal(part(el, 'product-image'), null, bad);
      equal(el.shadowRoot!.querySelector('a'), null, bad);
    }
  });

  it('renders a hostile title as text, with no style attribute anywhere', async () => {
    const hostile = '<img src=x onerror=alert(1)>';
    const el = await mount({ product: snapshot({ title: { en: hostile }, compareAt: { amount: 99900, currency: 'CNY' } }) });
    equal(text(el, 'product-title'), hostile);
    equal(el.shadowRoot!.querySelectorAll('img').length, 1, 'only the product image');
    equal(part<HTMLImageElement>(el, 'product-image')!.alt, hostile);
    for (const node of [el, ...deepElements(el.shadowRoot!)]) assert(!node.hasAttribute('style'), `style on ${node.tagName}`);
  });

  it('accepts a catalogue Product (images[0]) and hides actions with actions=""', async () => {
    const el = await mount({
      actions: '',
      product: {
        id: 'p',
        title: { en: 'Ring' },
        description: { en: '' },
        price: { amount: 100, currency: 'EUR' },
        compareAt: null,
        images: ['https://cdn.example/ring.jpg'],
        url: null,
        tags: [],
        variants: [],
        options: [],
        updatedAt: new Date().toISOString(),
      },
    });
    equal(part<HTMLImageElement>(el, 'product-image')!.src, 'https://cdn.example/ring.jpg');
    equal(text(el, 'product-price'), '€1.00');
    equal(part(el, 'product-actions'), null);
  });
});

describe('<vitrine-product-card> state colours in a dark chat', () => {
  const rgb = (c: string) => (c.match(/[\d.]+/g) ?? []).slice(0, 3).map(Number);
  const luminance = (c: string) => {
    const [r, g, b] = rgb(c).map((v) => {
      const s = v / 255;
      return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  const contrast = (a: string, b: string) => {
    const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
    return (hi + 0.05) / (lo + 0.05);
  };

  it('keeps stock and sale text at 4.5:1 or more on the dark card background', async () => {
    // What <vitrine-chat theme="dark"> gives its cards: color-scheme dark and its dark surface.
    const host = document.createElement('div');
    host.style.cssText = 'color-scheme: dark; --_surface: #1f1d1e; --_text: #f2eff0; --_danger: #f2b8b5';
    document.body.append(host);
    cleanups.push(() => host.remove());
    const cases: [string, Partial<ProductSnapshot>][] = [
      ['in', { variants: [variant('gold', { colour: 'gold' }, 12)] }],
      ['low', { variants: [variant('gold', { colour: 'gold' }, 2)] }],
      ['out', { variants: [variant('gold', { colour: 'gold' }, 0)] }],
    ];
    for (const [state, over] of cases) {
      const el = document.createElement('vitrine-product-card');
      el.locale = 'en';
      el.product = snapshot({ ...over, compareAt: { amount: 79900, currency: 'CNY' } });
      host.append(el);
      await el.updateComplete;
      const card = getComputedStyle(part(el, 'product-card')!).backgroundColor;
      const stock = part(el, 'product-stock')!;
      equal(stock.dataset.state, state);
      const ratio = contrast(getComputedStyle(stock).color, card);
      assert(ratio >= 4.5, `${state} stock contrast ${ratio.toFixed(2)}:1 on ${card}`);
      const sale = contrast(getComputedStyle(part(el, 'product-price')!).color, card);
      assert(sale >= 4.5, `sale price contrast ${sale.toFixed(2)}:1 on ${card}`);
    }
  });
});
