/**
 * The shop journey of a new customer, end to end, as the "done when" describes it: on the
 * demo shop page the customer presses "Ask about this" on a product and asks; staff answer in the
 * console with a product card and a carousel; the customer presses Buy (the page's own cart toast,
 * no navigation), reserves a try-on (staff confirm it), and claims a coupon that stays claimed after
 * a reload. Run twice, each against its own server process and data directory: a Chinese customer
 * in a light browser and an English one in a dark browser, checking the widget's language and
 * theme. Debian Chromium via playwright-core; screenshots of the customer's chat go to
 * `.test-output/e2e-screenshots/`.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM_ARGS, ensureChromium } from '../../scripts/ensure-chromium.mjs';
import { freePort, startServerProcess, type ServerProcess } from '../support/server-process.js';

const SCREENSHOT_DIR = resolve(import.meta.dirname, '../../.test-output/e2e-screenshots');

interface Journey {
  name: string;
  locale: 'zh-CN' | 'en-US';
  colorScheme: 'light' | 'dark';
  path: string;
  /** The page's and the widget's language. */
  lang: 'zh-CN' | 'en';
  question: string;
  caption: string;
  /** What the widget must show in this language. */
  text: {
    placeholder: string;
    askingAbout: string;
    necklace: string;
    about: string;
    price: RegExp;
    buy: string;
    reserve: string;
    pickerTitle: string;
    silver: string;
    variant: string;
    requested: string;
    confirmed: string;
    couponValue: RegExp;
    claim: string;
    claimed: string;
    toast: string;
  };
  /** Panel background: dark below, light above this relative luminance. */
  dark: boolean;
}

const JOURNEYS: Journey[] = [
  {
    name: 'zh-CN customer, light',
    locale: 'zh-CN',
    colorScheme: 'light',
    path: '/?lang=zh-CN',
    lang: 'zh-CN',
    question: '这条项链有银色的吗？周末可以到店试戴吗？',
    caption: '这两款也很受欢迎',
    text: {
      placeholder: '输入消息…',
      askingAbout: '正在咨询',
      necklace: '星辰项链',
      about: '咨询：星辰项链',
      price: /^¥699\.00$/,
      buy: '购买',
      reserve: '预约到店试穿/试戴',
      pickerTitle: '预约到店试穿/试戴',
      silver: '银色',
      variant: '颜色: 银色',
      requested: '待确认',
      confirmed: '已确认',
      couponValue: /立减\s*¥50\.00/,
      claim: '领取',
      claimed: '已领取',
      toast: '已加入购物车：星辰项链 (金色)',
    },
    dark: false,
  },
  {
    name: 'en customer, dark',
    locale: 'en-US',
    colorScheme: 'dark',
    path: '/?lang=en',
    lang: 'en',
    question: 'Does this necklace come in silver? Can I try it on this weekend?',
    caption: 'These two are popular too',
    text: {
      placeholder: 'Write a message…',
      askingAbout: 'Asking about',
      necklace: 'Étoile star necklace',
      about: 'About: Étoile star necklace',
      price: /^CN¥699\.00$/,
      buy: 'Buy',
      reserve: 'Reserve / try in store',
      pickerTitle: 'Reserve or try in store',
      silver: 'Silver',
      variant: 'Colour: Silver',
      requested: 'Requested',
      confirmed: 'Confirmed',
      couponValue: /CN¥50\.00 off/,
      claim: 'Claim',
      claimed: 'Claimed',
      toast: 'Added to cart: Étoile star necklace (Gold)',
    },
    dark: true,
  },
];

/** Relative luminance (WCAG) of a computed `rgb()` / `rgba()` colour. */
function luminance(css: string): number {
  const m = /rgba?\(\s*([\d.]+)[,\s]+([\d.]+)[,\s]+([\d.]+)/.exec(css);
  if (!m) throw new Error(`not an rgb colour: ${css}`);
  const [r, g, b] = [m[1], m[2], m[3]].map((v) => {
    const c = Number(v) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

/** Trimmed text with runs of white space collapsed (lit templates keep their line breaks). */
const squash = (s: string | null): string => (s ?? '').replace(/\s+/g, ' ').trim();

describe.each(JOURNEYS)('shop journey: $name', (j) => {
  let server: ServerProcess;
  let browser: Browser;
  let dataDir: string;
  let customer: BrowserContext;
  let shop: Page;
  let staff: BrowserContext;
  let console_: Page;
  const pageErrors: string[] = [];

  const chat = (selector: string) => shop.locator(`vitrine-chat ${selector}`);
  const tid = (id: string) => console_.getByTestId(id);

  function watch(page: Page): void {
    page.on('pageerror', (e) => pageErrors.push(`${page.url()}: ${e.message}`));
    page.on('console', (m) => {
      if (m.type() === 'error' && !/ERR_CONNECTION_REFUSED|WebSocket connection|Failed to load resource/.test(m.text())) pageErrors.push(`${page.url()}: ${m.text()}`);
    });
  }

  async function openChat(): Promise<void> {
    const loaderLauncher = shop.locator('vitrine-loader [part="launcher"]');
    if (await loaderLauncher.count()) await loaderLauncher.click();
    else await chat('[part="launcher"]').click();
    await expect.poll(() => chat('[part="panel"]').isVisible(), { timeout: 15_000 }).toBe(true);
  }

  async function productSearch(query: string): Promise<void> {
    await tid('product-search').fill(query);
    await tid('product-search').press('Enter');
    await expect.poll(() => tid('product-search-status').getAttribute('data-loading')).toBe('false');
  }

  const result = (id: string) => console_.locator(`[data-testid="product-result"][data-product-id="${id}"]`);
  /** The single product card message in the customer's chat (not a card of the carousel). */
  const singleCard = () => chat('[part~="product"]');

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'vitrine-e2e-journey-'));
    server = await startServerProcess({ port: await freePort(), dataDir, name: `journey ${j.name}` });
    browser = await chromium.launch({ executablePath: ensureChromium(), args: CHROMIUM_ARGS, headless: true });
    customer = await browser.newContext({ locale: j.locale, colorScheme: j.colorScheme, viewport: { width: 1280, height: 900 } });
    staff = await browser.newContext({ locale: 'en-US', colorScheme: 'light', viewport: { width: 1440, height: 1000 } });
    shop = await customer.newPage();
    console_ = await staff.newPage();
    watch(shop);
    watch(console_);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('the customer presses "Ask about this" on the necklace: the chat opens with it attached, and the question is sent with it', async () => {
    await shop.goto(`${server.url}${j.path}`);
    expect(await shop.evaluate(() => document.documentElement.lang)).toBe(j.lang);
    const ask = shop.locator('[data-vitrine-ask="etoile-necklace"]');
    expect(await ask.count()).toBe(1);
    await ask.click();
    await expect.poll(() => chat('[part="panel"]').isVisible(), { timeout: 15_000 }).toBe(true);

    const context = chat('[part="ask-context"]');
    await expect.poll(() => context.isVisible(), { timeout: 10_000 }).toBe(true);
    await expect.poll(() => chat('[part="ask-context-title"]').textContent(), { timeout: 10_000 }).toBe(j.text.necklace);
    expect(squash(await context.textContent())).toContain(j.text.askingAbout);
    const input = chat('[part="input"]');
    expect(await input.getAttribute('placeholder')).toBe(j.text.placeholder);
    // "Ask" focuses the composer: typing goes straight in.
    await expect.poll(() => input.evaluate((el) => el === (el.getRootNode() as ShadowRoot).activeElement)).toBe(true);

    await input.fill(j.question);
    await input.press('Enter');
    const mine = chat('[part~="message-mine"]').filter({ hasText: j.question });
    await expect.poll(() => mine.getAttribute('data-status'), { timeout: 10_000 }).toMatch(/^(sent|read)$/);
    expect(await mine.locator('[part="message-context"]').textContent()).toBe(j.text.about);
    // Sent with the question: the composer's context is cleared.
    await expect.poll(() => context.count()).toBe(0);
  });

  it('staff sign in, open the conversation and see the product it is about', async () => {
    await console_.goto(`${server.url}/console/`);
    await tid('login-email').fill('owner@demo.shop');
    await tid('login-password').fill('vitrine-demo');
    await tid('login-submit').click();
    const row = tid('conversation-row').filter({ hasText: j.question });
    await expect.poll(() => row.count(), { timeout: 15_000 }).toBe(1);
    await row.click();
    const question = tid('message-bubble').filter({ hasText: j.question });
    await expect.poll(() => question.count(), { timeout: 10_000 }).toBe(1);
    expect(await question.locator('[data-testid="message-about"][data-product-id="etoile-necklace"]').count()).toBe(1);
    const items = tid('product-context-item');
    await expect.poll(() => items.evaluateAll((els) => els.map((e) => e.getAttribute('data-product-id'))), { timeout: 10_000 }).toEqual(['etoile-necklace']);
    expect(await tid('product-context').isVisible()).toBe(true);
    // The customer's widget sees "read" once staff have the conversation open.
    await expect.poll(() => chat('[part~="message-mine"]').filter({ hasText: j.question }).getAttribute('data-status'), { timeout: 10_000 }).toBe('read');
  });

  it('staff answer with one product card, then a carousel of two with a caption', async () => {
    await productSearch('necklace');
    await expect.poll(() => result('etoile-necklace').count(), { timeout: 10_000 }).toBe(1);
    await result('etoile-necklace').getByTestId('product-pick').check();
    await tid('product-send').click();
    const card = console_.locator('[data-testid="message-bubble"][data-kind="product"]');
    await expect.poll(() => card.getAttribute('data-status'), { timeout: 10_000 }).toMatch(/sent|read/);

    await productSearch('perle');
    await expect.poll(() => result('perle-studs').count(), { timeout: 10_000 }).toBe(1);
    await result('perle-studs').getByTestId('product-pick').check();
    await productSearch('jade');
    await expect.poll(() => result('jade-bangle').count(), { timeout: 10_000 }).toBe(1);
    await result('jade-bangle').getByTestId('product-pick').check();
    expect(await tid('product-picked').getAttribute('data-count')).toBe('2');
    await tid('product-caption').fill(j.caption);
    await tid('product-send').click();
    const carousel = console_.locator('[data-testid="message-bubble"][data-kind="products"]');
    await expect.poll(() => carousel.getAttribute('data-status'), { timeout: 10_000 }).toMatch(/sent|read/);
  });

  it('the customer sees the card and the carousel, in their language', async () => {
    const card = singleCard();
    await expect.poll(() => card.count(), { timeout: 15_000 }).toBe(1);
    await expect.poll(() => card.locator('[part~="product-title"]').textContent(), { timeout: 10_000 }).toBe(j.text.necklace);
    expect(squash(await card.locator('[part~="product-price"]').textContent())).toMatch(j.text.price);
    expect(squash(await card.locator('[part~="product-action-buy"]').textContent())).toBe(j.text.buy);
    // The shop takes reservations: cards in the chat offer "Reserve / try in store".
    await expect.poll(async () => squash(await card.locator('[part~="product-action-reserve"]').textContent()), { timeout: 10_000 }).toBe(j.text.reserve);

    const carousel = chat('[part~="products"]');
    await expect.poll(() => carousel.count(), { timeout: 10_000 }).toBe(1);
    const titles = await carousel.locator('[part~="product-title"]').allTextContents();
    expect(titles).toEqual(j.lang === 'zh-CN' ? ['珍珠耳钉', '和田青白玉手镯'] : ['Perle pearl studs', 'Hetian jade bangle']);
    const prices = (await carousel.locator('[part~="product-price"]').allTextContents()).map(squash);
    expect(prices).toEqual(j.lang === 'zh-CN' ? ['¥459.00', '¥2,680.00'] : ['CN¥459.00', 'CN¥2,680.00']);
    expect(await chat('[part~="caption"]').filter({ hasText: j.caption }).count()).toBe(1);
  });

  it('"Buy" on a card with a colour chosen: the page shows its add-to-cart toast, and the page stays', async () => {
    const url = shop.url();
    // A navigation (even to the same URL) would drop this marker.
    await shop.evaluate(() => ((window as unknown as { __journey: string }).__journey = 'still here'));
    const events: { action: string; variant: string | null; prevented: boolean }[] = [];
    await shop.exposeFunction('__recordProductClick', (e: { action: string; variant: string | null; prevented: boolean }) => events.push(e));
    await shop.evaluate(() => {
      // Registered after shop.js's listener: sees whether the page cancelled the event.
      document.addEventListener('vitrine-product-click', (event) => {
        const detail = (event as CustomEvent<{ action: string; variant: { id: string } | null }>).detail;
        void (window as unknown as { __recordProductClick: (e: unknown) => void }).__recordProductClick({
          action: detail.action,
          variant: detail.variant?.id ?? null,
          prevented: event.defaultPrevented,
        });
      });
    });

    const card = singleCard();
    const gold = card.locator('[part~="variant"]').filter({ hasText: j.lang === 'zh-CN' ? '金色' : 'Gold' });
    await gold.click();
    await expect.poll(() => gold.getAttribute('aria-pressed')).toBe('true');
    await card.locator('[part~="product-action-buy"]').click();

    const toast = shop.locator('.cart-toast');
    await expect.poll(() => toast.isVisible(), { timeout: 5_000 }).toBe(true);
    expect(await toast.textContent()).toBe(j.text.toast);
    expect(await toast.getAttribute('role')).toBe('status');
    await expect.poll(() => events).toEqual([{ action: 'buy', variant: 'gold', prevented: true }]);
    await shop.waitForTimeout(300);
    expect(shop.url()).toBe(url);
    expect(await shop.evaluate(() => (window as unknown as { __journey?: string }).__journey)).toBe('still here');
    expect(shop.context().pages()).toHaveLength(1);
    expect(await chat('[part="panel"]').isVisible()).toBe(true);
  });

  it('"Reserve / try in store": the picker opens, a colour and the first free time are chosen, the request is sent', async () => {
    await singleCard().locator('[part~="product-action-reserve"]').click();
    const picker = chat('[part~="picker"]');
    await expect.poll(() => picker.isVisible(), { timeout: 10_000 }).toBe(true);
    expect(squash(await chat('[part~="picker-title"]').textContent())).toBe(j.text.pickerTitle);
    expect(squash(await chat('[part~="picker-product"]').textContent())).toBe(j.text.necklace);
    // The card's chosen colour (gold) comes along; the customer switches to silver.
    expect(await chat('[part~="picker-variant-selected"]').getAttribute('data-variant')).toBe('gold');
    const silver = chat('[part~="picker-variant"][data-variant="silver"]');
    expect(squash(await silver.textContent())).toBe(j.text.silver);
    await silver.click();
    await expect.poll(() => silver.getAttribute('aria-pressed')).toBe('true');

    const slot = chat('[part~="picker-slot"]:not([disabled])').first();
    await expect.poll(() => slot.count(), { timeout: 10_000 }).toBe(1);
    const start = await slot.getAttribute('data-start');
    expect(Date.parse(start ?? '')).toBeGreaterThan(Date.now() + 59 * 60_000); // the shop's 60 minutes' notice
    await slot.click();
    await expect.poll(() => slot.getAttribute('aria-pressed')).toBe('true');
    await chat('[part~="picker-submit"]').click();
    await expect.poll(() => picker.count(), { timeout: 10_000 }).toBe(0);

    const requested = chat('[part~="reservation-card"][data-state="requested"]');
    await expect.poll(() => requested.count(), { timeout: 15_000 }).toBe(1);
    expect(squash(await requested.locator('[part~="reservation-state"]').textContent())).toContain(j.text.requested);
    expect(squash(await requested.locator('[part~="reservation-title"]').textContent())).toBe(j.text.necklace);
    expect(squash(await requested.locator('[part~="reservation-variant"]').textContent())).toBe(j.text.variant);
    expect(await requested.locator('[part~="reservation-slot"] time').getAttribute('datetime')).toBe(start);
  });

  it('staff see the request and confirm it; the customer sees it confirmed', async () => {
    const request = console_.locator('[data-testid="message-reservation"][data-latest="true"]');
    await expect.poll(() => request.getAttribute('data-state'), { timeout: 15_000 }).toBe('requested');
    expect(await request.getByTestId('reservation-product').textContent()).toBe('Étoile star necklace');
    expect(await request.getByTestId('reservation-variant').textContent()).toBe('Colour: Silver');
    await request.getByTestId('reservation-confirm').click();
    await expect.poll(() => request.getAttribute('data-state'), { timeout: 10_000 }).toBe('confirmed');

    const confirmed = chat('[part~="reservation-card"][data-state="confirmed"]');
    await expect.poll(() => confirmed.count(), { timeout: 15_000 }).toBe(1);
    expect(squash(await confirmed.locator('[part~="reservation-state"]').textContent())).toContain(j.text.confirmed);
    // The customer may still cancel a confirmed reservation; the request above says it was updated.
    expect(await confirmed.locator('[part~="reservation-action-cancel"]').count()).toBe(1);
    expect(await chat('[part~="reservation-superseded"]').count()).toBe(1);
  });

  it('staff send the welcome50 coupon; the customer claims it and sees the code WELCOME50', async () => {
    const item = console_.locator('[data-testid="coupon-item"][data-coupon-id="welcome50"]');
    await expect.poll(() => item.count(), { timeout: 10_000 }).toBe(1);
    await item.getByTestId('coupon-send').click();
    await expect.poll(() => console_.locator('[data-testid="message-coupon"][data-coupon-id="welcome50"]').count(), { timeout: 10_000 }).toBe(1);

    const coupon = chat('[part~="coupon-card"][data-state]').filter({ has: shop.locator('[part~="coupon-value"]') });
    await expect.poll(() => coupon.getAttribute('data-state'), { timeout: 15_000 }).toBe('open');
    expect(squash(await coupon.locator('[part~="coupon-value"]').textContent())).toMatch(j.text.couponValue);
    const claim = coupon.locator('[part~="coupon-claim"]');
    expect(squash(await claim.textContent())).toBe(j.text.claim);
    await claim.click();
    await expect.poll(() => coupon.getAttribute('data-state'), { timeout: 10_000 }).toBe('claimed');
    expect(await coupon.locator('[part~="coupon-code"]').textContent()).toBe('WELCOME50');
    expect(squash(await coupon.locator('[part~="coupon-status"]').textContent())).toContain(j.text.claimed);
    expect(await coupon.locator('[part~="coupon-claim"]').count()).toBe(0);

    const receipt = console_.locator('[data-testid="message-coupon-claim"][data-coupon-id="welcome50"]');
    await expect.poll(() => receipt.count(), { timeout: 10_000 }).toBe(1);
    expect(await receipt.textContent()).toContain('WELCOME50');
  });

  it('after a reload of the shop page the coupon is still claimed', async () => {
    await shop.reload();
    expect(await shop.evaluate(() => document.documentElement.lang)).toBe(j.lang);
    await openChat();
    const coupon = chat('[part~="coupon-card"][data-state]').filter({ has: shop.locator('[part~="coupon-value"]') });
    await expect.poll(() => coupon.getAttribute('data-state'), { timeout: 15_000 }).toBe('claimed');
    expect(await coupon.locator('[part~="coupon-code"]').textContent()).toBe('WELCOME50');
    expect(await coupon.locator('[part~="coupon-claim"]').count()).toBe(0);
    // The rest of the story is there too.
    await expect.poll(() => chat('[part~="reservation-card"][data-state="confirmed"]').count(), { timeout: 10_000 }).toBe(1);
    expect(await singleCard().count()).toBe(1);
  });

  it('the console Coupons page counts the claim', async () => {
    await tid('nav-coupons').click();
    const row = console_.locator('[data-testid="coupon-row"][data-coupon-id="welcome50"]');
    await expect.poll(() => row.count(), { timeout: 10_000 }).toBe(1);
    await expect.poll(() => row.getByTestId('coupon-row-sent').textContent(), { timeout: 10_000 }).toBe('1');
    await expect.poll(async () => squash(await row.getByTestId('coupon-row-claimed').textContent()), { timeout: 10_000 }).toMatch(/^1\b/);
    const other = console_.locator('[data-testid="coupon-row"][data-coupon-id="pearl15"]');
    await expect.poll(async () => squash(await other.getByTestId('coupon-row-claimed').textContent())).toMatch(/^0\b/);
  });

  it(`renders ${j.colorScheme} and in ${j.lang}`, async () => {
    const panel = chat('[part="panel"]');
    const background = await panel.evaluate((el) => getComputedStyle(el).backgroundColor);
    const text = await panel.evaluate((el) => getComputedStyle(el).color);
    if (j.dark) {
      expect(luminance(background), `panel background ${background}`).toBeLessThan(0.1);
      expect(luminance(text), `panel text ${text}`).toBeGreaterThan(0.5);
    } else {
      expect(luminance(background), `panel background ${background}`).toBeGreaterThan(0.8);
      expect(luminance(text), `panel text ${text}`).toBeLessThan(0.1);
    }
    // Cards follow the chat's theme.
    const cardBackground = await singleCard().locator('[part~="product-card"]').evaluate((el) => getComputedStyle(el).backgroundColor);
    if (j.dark) expect(luminance(cardBackground), `card background ${cardBackground}`).toBeLessThan(0.1);
    else expect(luminance(cardBackground), `card background ${cardBackground}`).toBeGreaterThan(0.8);

    expect(await chat('[part="input"]').getAttribute('placeholder')).toBe(j.text.placeholder);
    expect(squash(await chat('[part~="reservation-card"][data-state="confirmed"] [part~="reservation-state"]').textContent())).toContain(j.text.confirmed);

    mkdirSync(SCREENSHOT_DIR, { recursive: true });
    const file = join(SCREENSHOT_DIR, `shop-journey-${j.lang}-${j.colorScheme}.png`);
    await panel.screenshot({ path: file });
    console.log(`screenshot: ${file}`);
    // The whole message log, for a look at every card (the panel shows only its end).
    const full = join(SCREENSHOT_DIR, `shop-journey-${j.lang}-${j.colorScheme}-log.png`);
    await chat('[part="message-list"]').evaluate((el) => el.scrollTo(0, 0));
    await shop.screenshot({ path: full, fullPage: false });
    console.log(`screenshot: ${full}`);
  });

  it('logged no page errors on the shop page or in the console', () => {
    expect(pageErrors).toEqual([]);
  });
});
