import { sendKeys } from '@web/test-runner-commands';
import type { ProductSnapshot } from '../../src/index.js';
import { afterEach, assert, deepActiveElement, deepElements, describe, equal, it, waitFor } from '../test-utils.js';
import './vitrine-product-carousel.js';
import type { VitrineProductCarousel } from './vitrine-product-carousel.js';

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const fn of cleanups.splice(0)) fn();
});

const product = (i: number): ProductSnapshot => ({
  id: `p${i}`,
  title: { en: `Product ${i}`, 'zh-CN': `商品 ${i}` },
  price: { amount: 1000 * i, currency: 'CNY' },
  compareAt: null,
  image: null,
  url: null,
  variants: [{ id: 'v', sku: null, options: {}, price: null, stock: i === 2 ? 0 : 10 }],
  source: 'catalogue',
});

async function mount(count: number, props: Partial<VitrineProductCarousel> = {}): Promise<VitrineProductCarousel> {
  const el = document.createElement('vitrine-product-carousel');
  el.locale = 'en';
  el.products = Array.from({ length: count }, (_, i) => product(i + 1));
  Object.assign(el, props);
  const box = document.createElement('div');
  box.className = 'box';
  box.append(el);
  // A narrow box: 6 cards of 200px do not fit, so the carousel scrolls.
  const sheet = new CSSStyleSheet();
  sheet.replaceSync('.box { width: 320px; }');
  document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet];
  document.body.append(box);
  cleanups.push(() => {
    box.remove();
    document.adoptedStyleSheets = document.adoptedStyleSheets.filter((s) => s !== sheet);
  });
  await el.updateComplete;
  return el;
}

const items = (el: VitrineProductCarousel) => [...el.shadowRoot!.querySelectorAll<HTMLElement>('[part~="item"]')];
const track = (el: VitrineProductCarousel) => el.shadowRoot!.querySelector<HTMLElement>('[part~="track"]')!;
const nav = (el: VitrineProductCarousel, which: 'previous' | 'next') =>
  el.shadowRoot!.querySelector<HTMLButtonElement>(`[part~="carousel-${which}"]`)!;

describe('<vitrine-product-carousel>', () => {
  it('renders one card per product in a labelled list with scroll snap', async () => {
    const el = await mount(4, { locale: 'zh-CN' });
    const list = items(el);
    equal(list.length, 4);
    equal(track(el).getAttribute('role'), 'list');
    equal(getComputedStyle(track(el)).scrollSnapType, 'x mandatory');
    equal(list[0].getAttribute('aria-label'), '商品 1 — 第 1 件，共 4 件');
    const card = list[1].querySelector('vitrine-product-card')!;
    await card.updateComplete;
    equal(card.shadowRoot!.querySelector('[part~="product-price"]')!.textContent, '¥20.00');
    equal(card.shadowRoot!.querySelector('[part~="product-stock"]')!.textContent, '已售罄');
    equal(el.shadowRoot!.querySelector('[part~="carousel"]')!.getAttribute('aria-label'), '商品');
  });

  it('Left/Right move focus between cards, Home/End to the ends; only one card is in the tab order', async () => {
    const el = await mount(6);
    const list = items(el);
    equal(list.filter((i) => i.tabIndex === 0).length, 1);
    list[0].focus();
    await sendKeys({ press: 'ArrowRight' });
    equal(deepActiveElement(), list[1]);
    await sendKeys({ press: 'ArrowRight' });
    equal(deepActiveElement(), list[2]);
    await sendKeys({ press: 'ArrowLeft' });
    equal(deepActiveElement(), list[1]);
    await sendKeys({ press: 'End' });
    equal(deepActiveElement(), list[5]);
    await waitFor(() => track(el).scrollLeft > 0, 'scrolled to the last card');
    await sendKeys({ press: 'ArrowRight' });
    equal(deepActiveElement(), list[5], 'stays at the end');
    await sendKeys({ press: 'Home' });
    equal(deepActiveElement(), list[0]);
    equal(list[0].tabIndex, 0);
    equal(list[5].tabIndex, -1);
    await waitFor(() => track(el).scrollLeft === 0, 'scrolled back to the start');
  });

  it('previous/next buttons scroll the track and disable at the ends', async () => {
    const el = await mount(6);
    await waitFor(() => !nav(el, 'next').disabled, 'next enabled');
    assert(nav(el, 'previous').disabled, 'previous disabled at the start');
    equal(nav(el, 'next').getAttribute('aria-label'), 'Next products');
    nav(el, 'next').click();
    await waitFor(() => track(el).scrollLeft > 0, 'scrolled');
    await waitFor(() => !nav(el, 'previous').disabled, 'previous enabled');
    nav(el, 'previous').click();
    await waitFor(() => track(el).scrollLeft === 0, 'back');
  });

  it('passes live stock to its cards; product clicks bubble out; no style attributes', async () => {
    const el = await mount(3, { stocks: { p1: { productId: 'p1', variants: { v: 1 }, total: 1 } } });
    const card = items(el)[0].querySelector('vitrine-product-card')!;
    await card.updateComplete;
    equal(card.shadowRoot!.querySelector('[part~="product-stock"]')!.textContent, 'Only 1 left');
    let action = '';
    const onClick = (e: Event) => (action = (e as CustomEvent<{ action: string }>).detail.action);
    document.addEventListener('vitrine-product-click', onClick);
    cleanups.push(() => document.removeEventListener('vitrine-product-click', onClick));
    card.shadowRoot!.querySelector<HTMLButtonElement>('[part~="product-action-buy"]')!.click();
    equal(action, 'buy');
    for (const node of deepElements(el.shadowRoot!)) assert(!node.hasAttribute('style'), `style on ${node.tagName}`);
  });
});
