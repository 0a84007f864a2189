/**
 * Commerce in the merchant console, end to end: a product created with the form (a bad field
 * first), a CSV import with one good and one bad row, reservation settings, a customer's
 * reservation request confirmed by staff, a coupon created beside the composer, sent and claimed,
 * and quick replies stored on the server. Debian Chromium via playwright-core against the real
 * server process (`--demo` seeds the shop and the agent); the customer is the core client in Node.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM_ARGS, ensureChromium } from '../../scripts/ensure-chromium.mjs';
import { createVitrineClient, type ChatMessage, type ConversationHandle, type VitrineClient } from '../../src/index.js';
import { freePort, startServerProcess, type ServerProcess } from '../support/server-process.js';

const QUESTION = 'Can I try the hoop earrings on this weekend?';

let server: ServerProcess;
let browser: Browser;
let dataDir: string;
let staff: BrowserContext;
let page: Page;
let visitor: VitrineClient;
let visitorConversation: ConversationHandle;
const pageErrors: string[] = [];

const tid = (id: string) => page.getByTestId(id);

function watch(p: Page): void {
  p.on('pageerror', (e) => pageErrors.push(`${p.url()}: ${e.message}`));
  p.on('console', (m) => {
    if (m.type() === 'error' && !/ERR_CONNECTION_REFUSED|WebSocket connection|Failed to load resource/.test(m.text())) pageErrors.push(`${p.url()}: ${m.text()}`);
  });
}

async function signIn(p: Page): Promise<void> {
  await p.goto(`${server.url}/console/`);
  await p.getByTestId('login-email').fill('owner@demo.shop');
  await p.getByTestId('login-password').fill('vitrine-demo');
  await p.getByTestId('login-submit').click();
  await expect.poll(() => p.getByTestId('agent-name').count(), { timeout: 15_000 }).toBe(1);
}

async function catalogueSearch(query: string): Promise<void> {
  await tid('catalogue-search').fill(query);
  await tid('catalogue-search').press('Enter');
  await expect.poll(() => tid('catalogue-status').getAttribute('data-loading')).toBe('false');
}

function visitorMessages(): ChatMessage[] {
  return visitorConversation.$messages.get();
}

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'vitrine-e2e-commerce-'));
  server = await startServerProcess({ port: await freePort(), dataDir });
  browser = await chromium.launch({ executablePath: ensureChromium(), args: CHROMIUM_ARGS, headless: true });
  staff = await browser.newContext({ locale: 'en-US', viewport: { width: 1440, height: 1000 } });
  page = await staff.newPage();
  watch(page);
  visitor = createVitrineClient({ url: server.url, shop: 'demo', identity: { name: 'Mei' } });
  const deadline = Date.now() + 15_000;
  while (!visitor.$conversation.get() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  const handle = visitor.$conversation.get();
  if (!handle) throw new Error(`the visitor client did not get a conversation (${visitor.$connection.get()})`);
  visitorConversation = handle;
  await visitorConversation.send(QUESTION);
});

afterAll(async () => {
  visitor?.destroy();
  await browser?.close();
  await server?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('commerce in the console, end to end', () => {
  it('signs in and opens the catalogue page', async () => {
    await signIn(page);
    await tid('nav-catalogue').click();
    await expect.poll(() => tid('catalogue-page').count()).toBe(1);
    expect(page.url()).toMatch(/#\/catalogue$/);
  });

  it('creates a product with the form: a bad price is refused with a field error first', async () => {
    await tid('product-new').click();
    await tid('product-id').fill('e2e-hoop');
    await tid('product-title-en').fill('E2E hoop earrings');
    await tid('product-title-zh-CN').fill('测试圈形耳环');
    await tid('product-price-amount').fill('19.9.9');
    await tid('product-variant-add').click();
    await tid('product-variant-id').fill('gold');
    await tid('product-variant-options').fill('colour=gold');
    await tid('product-variant-stock').fill('3');
    await tid('product-option-add').click();
    await tid('product-options-0-name').fill('colour');
    await tid('product-options-0-label-en').fill('Colour');
    await tid('product-options-0-label-zh-CN').fill('颜色');
    await tid('product-option-value').nth(0).fill('金色');
    await tid('product-option-value').nth(1).fill('Gold');
    await tid('product-save').click();

    const priceError = page.locator('[data-testid="field-error"][data-field="price.amount"]');
    await expect.poll(() => priceError.count()).toBe(1);
    expect(await tid('product-form-status').getAttribute('data-state')).toBe('error');
    expect(await tid('product-price-amount').getAttribute('aria-invalid')).toBe('true');

    await tid('product-price-amount').fill('199.00');
    await tid('product-save').click();
    await expect.poll(() => tid('product-form-status').getAttribute('data-state'), { timeout: 10_000 }).toBe('saved');
    expect(await page.getByTestId('field-error').count()).toBe(0);

    await catalogueSearch('hoop');
    await expect.poll(() => page.locator('[data-testid="catalogue-item"][data-product-id="e2e-hoop"]').count(), { timeout: 10_000 }).toBe(1);
  });

  it('imports a CSV with one good and one bad row: the good one is saved, the bad one reported', async () => {
    const csv = ['id,title_en,title_zh-CN,price,currency,stock', 'e2e-csv-scarf,E2E silk scarf,测试丝巾,89.00,CNY,', 'e2e-csv-bad,E2E broken row,坏行,6.99.9,CNY,'].join('\n');
    await tid('product-import-file').setInputFiles({ name: 'products.csv', mimeType: 'text/csv', buffer: Buffer.from(csv, 'utf8') });
    const report = tid('product-import-report');
    await expect.poll(() => report.count(), { timeout: 15_000 }).toBe(1);
    expect(await report.getAttribute('data-created')).toBe('1');
    expect(await report.getAttribute('data-failed')).toBe('1');
    const bad = tid('product-import-error-row');
    expect(await bad.count()).toBe(1);
    expect(await bad.getAttribute('data-row')).toBe('3');
    expect(await bad.getAttribute('data-field')).toBe('price');
    expect(await bad.textContent()).toContain('e2e-csv-bad');

    await catalogueSearch('scarf');
    await expect.poll(() => page.locator('[data-testid="catalogue-item"][data-product-id="e2e-csv-scarf"]').count(), { timeout: 10_000 }).toBe(1);
    await catalogueSearch('broken');
    expect(await page.locator('[data-testid="catalogue-item"][data-product-id="e2e-csv-bad"]').count()).toBe(0);
  });

  it('turns reservations on in the settings (a bad slot length is refused first)', async () => {
    await tid('nav-reservations').click();
    await expect.poll(() => tid('reservation-settings').count(), { timeout: 10_000 }).toBe(1);
    if (!(await tid('settings-enabled').isChecked())) await tid('settings-enabled').check();
    for (const d of ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun']) await tid(`settings-hours-${d}`).fill('08:00-22:00');
    await tid('settings-leadMinutes').fill('0');
    await tid('settings-horizonDays').fill('14');
    await tid('settings-slotMinutes').fill('5');
    await tid('settings-save').click();
    await expect.poll(() => page.locator('[data-testid="field-error"][data-field="slotMinutes"]').count()).toBe(1);
    await tid('settings-slotMinutes').fill('30');
    await tid('settings-save').click();
    await expect.poll(() => tid('settings-status').getAttribute('data-state'), { timeout: 10_000 }).toBe('saved');
  });

  it("confirms a customer's reservation request from the list of upcoming reservations", async () => {
    const slots = await visitor.getReservationSlots({ days: 7 });
    const slot = slots.days.flatMap((d) => d.slots).find((s) => s.available);
    expect(slot).toBeDefined();
    await visitorConversation.reserve({ productId: 'e2e-hoop', variantId: 'gold', start: slot!.start, text: 'Left ear only' });

    await tid('reservations-refresh').click();
    const row = tid('reservation-row');
    await expect.poll(() => row.count(), { timeout: 10_000 }).toBe(1);
    expect(await row.getAttribute('data-state')).toBe('requested');
    expect(await row.textContent()).toContain('Mei');
    await row.getByTestId('reservation-open').click();

    const card = page.locator('[data-testid="message-reservation"][data-latest="true"]');
    await expect.poll(() => card.getAttribute('data-state'), { timeout: 15_000 }).toBe('requested');
    expect(await card.getByTestId('reservation-product').textContent()).toBe('E2E hoop earrings');
    expect(await card.getByTestId('reservation-variant').textContent()).toBe('Colour: Gold');
    expect(await card.getByTestId('reservation-note').textContent()).toContain('Left ear only');
    expect(await card.getByTestId('reservation-slot').textContent()).toMatch(/\d{2}:\d{2}–\d{2}:\d{2}/);
    expect(await card.getByTestId('reservation-propose').count()).toBe(1);
    expect(await card.getByTestId('reservation-decline').count()).toBe(1);

    await card.getByTestId('reservation-confirm').click();
    await expect.poll(() => card.getAttribute('data-state'), { timeout: 10_000 }).toBe('confirmed');
    // The older card stays, marked as superseded, without buttons.
    const old = page.locator('[data-testid="message-reservation"][data-latest="false"]');
    expect(await old.count()).toBe(1);
    expect(await old.getByTestId('reservation-confirm').count()).toBe(0);
    // Confirmed: staff may still cancel, nothing else.
    expect(await card.getByTestId('reservation-cancel').count()).toBe(1);
    expect(await card.getByTestId('reservation-confirm').count()).toBe(0);
    await expect
      .poll(() => visitorMessages().filter((m) => m.kind === 'reservation').map((m) => m.reservation?.state), { timeout: 10_000 })
      .toEqual(['requested', 'confirmed']);
  });

  it('creates a coupon beside the composer (a missing amount is refused first), sends it, and shows the claim', async () => {
    await tid('coupon-panel-new').click();
    await tid('coupon-id').fill('e2e-love50');
    await tid('coupon-code').fill('love50');
    await tid('coupon-title-en').fill('Valentine ¥50 off');
    await tid('coupon-title-zh-CN').fill('情人节立减 50 元');
    await tid('coupon-minSpend').fill('300');
    await tid('coupon-save').click();
    await expect.poll(() => page.locator('[data-testid="field-error"][data-field="value.amount"]').count()).toBe(1);
    await tid('coupon-value-amount').fill('50');
    await tid('coupon-save').click();

    const item = page.locator('[data-testid="coupon-item"][data-coupon-id="e2e-love50"]');
    await expect.poll(() => item.count(), { timeout: 10_000 }).toBe(1);
    expect(await tid('coupon-form').count()).toBe(0);
    await item.getByTestId('coupon-send').click();

    const card = page.locator('[data-testid="message-coupon"][data-coupon-id="e2e-love50"]');
    await expect.poll(() => card.count(), { timeout: 10_000 }).toBe(1);
    expect(await card.getByTestId('coupon-card-title').textContent()).toBe('Valentine ¥50 off');
    expect(await card.getByTestId('coupon-card-value').textContent()).toContain('50');
    await expect.poll(() => item.getByTestId('coupon-item-counts').textContent()).toContain('1 sent');
    await expect.poll(() => visitorMessages().some((m) => m.kind === 'coupon' && m.coupon?.id === 'e2e-love50'), { timeout: 10_000 }).toBe(true);

    await visitorConversation.claimCoupon('e2e-love50');
    const claim = page.locator('[data-testid="message-coupon-claim"][data-coupon-id="e2e-love50"]');
    await expect.poll(() => claim.count(), { timeout: 10_000 }).toBe(1);
    expect(await claim.textContent()).toBe('Customer claimed Valentine ¥50 off — code LOVE50');
    expect(await card.getByTestId('coupon-card-state').textContent()).toContain('LOVE50');

    await tid('nav-coupons').click();
    const row = page.locator('[data-testid="coupon-row"][data-coupon-id="e2e-love50"]');
    await expect.poll(() => row.count(), { timeout: 10_000 }).toBe(1);
    await expect.poll(() => row.getByTestId('coupon-row-sent').textContent(), { timeout: 10_000 }).toBe('1');
    await expect.poll(() => row.getByTestId('coupon-row-claimed').textContent(), { timeout: 10_000 }).toMatch(/^1/);
  });

  it('keeps quick replies on the server: a reload and another browser see them', async () => {
    await tid('nav-inbox').click();
    await expect.poll(() => tid('quick-replies').count(), { timeout: 10_000 }).toBe(1);
    await tid('quick-reply-add').click();
    await tid('quick-reply-input').fill('Fittings take about 20 minutes');
    await tid('quick-reply-save').click();
    const mine = tid('quick-reply').filter({ hasText: 'Fittings take about 20 minutes' });
    await expect.poll(() => mine.count(), { timeout: 10_000 }).toBe(1);
    expect(await page.getByTestId('quick-reply-error').count()).toBe(0);

    await page.reload();
    await expect.poll(() => mine.count(), { timeout: 15_000 }).toBe(1);
    const reply = tid('reply-input');
    await reply.fill('');
    await reply.pressSequentially('/about 20 min');
    await expect.poll(() => tid('quick-reply-option').count()).toBe(1);
    await reply.press('Enter');
    expect(await reply.inputValue()).toBe('Fittings take about 20 minutes');

    // A colleague's browser (no shared localStorage) sees the same list.
    const other = await browser.newContext({ locale: 'en-US', viewport: { width: 1440, height: 1000 } });
    try {
      const p2 = await other.newPage();
      watch(p2);
      await signIn(p2);
      await p2.locator('[data-testid="conversation-row"]').first().click();
      await expect.poll(() => p2.getByTestId('quick-reply').filter({ hasText: 'Fittings take about 20 minutes' }).count(), { timeout: 15_000 }).toBe(1);
    } finally {
      await other.close();
    }
  });

  it('logged no page errors', () => {
    expect(pageErrors).toEqual([]);
  });
});
