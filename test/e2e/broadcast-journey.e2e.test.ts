/**
 * The broadcast journey of issue 5's "done when", tried as a new user would, end to end: two
 * customers chat from the demo shop page (a Chinese one in a light browser, an English one in a
 * dark one); in the console staff tag both as earring buyers but only one lives in Hangzhou, create
 * the segment "earring buyers in Hangzhou", write a new-arrival campaign with two products and a
 * `{{name|…}}` greeting, preview it in zh-CN and en and schedule it two minutes ahead in the shop's
 * zone. At that time only the Hangzhou customer gets it — live, with the unread badge on the
 * launcher and the Feed tab — and the campaign's statistics move as she reads it and asks about it.
 * Debian Chromium via playwright-core against the real server process (`--demo`); screenshots go
 * to `.test-output/e2e-screenshots/`.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM_ARGS, ensureChromium } from '../../scripts/ensure-chromium.mjs';
import { freePort, startServerProcess, type ServerProcess } from '../support/server-process.js';

const SCREENSHOT_DIR = resolve(import.meta.dirname, '../../.test-output/e2e-screenshots');
const ZONE = 'Asia/Shanghai';
const SEGMENT = 'Earring buyers in Hangzhou';
const CAMPAIGN = 'Monday earrings';

interface Customer {
  name: string;
  path: string;
  locale: string;
  colorScheme: 'light' | 'dark';
  city: string;
  context?: BrowserContext;
  page?: Page;
  id?: string;
}
const LIN: Customer = { name: '林小姐', path: '/?lang=zh-CN', locale: 'zh-CN', colorScheme: 'light', city: 'Hangzhou' };
const ALEX: Customer = { name: 'Alex Chen', path: '/?lang=en', locale: 'en-US', colorScheme: 'dark', city: 'Shanghai' };

let server: ServerProcess;
let browser: Browser;
let dataDir: string;
let staff: BrowserContext;
let console_: Page;
let token: string;
let campaignId = '';
const pageErrors: string[] = [];
const dialogs: string[] = [];

const tid = (id: string) => console_.getByTestId(id);
const chat = (c: Customer, selector: string) => c.page!.locator(`vitrine-chat ${selector}`);
const squash = (s: string | null): string => (s ?? '').replace(/\s+/g, ' ').trim();

function watch(p: Page): void {
  p.on('pageerror', (e) => pageErrors.push(`${p.url()}: ${e.message}`));
  p.on('console', (m) => {
    if (m.type() === 'error' && !/ERR_CONNECTION_REFUSED|WebSocket connection|Failed to load resource/.test(m.text())) pageErrors.push(`${p.url()}: ${m.text()}`);
  });
  p.on('dialog', (d) => {
    dialogs.push(`${d.type()}: ${d.message()}`);
    void d.dismiss();
  });
}

async function rest<T>(method: string, path: string, body?: unknown): Promise<T> {
  const res = await fetch(`${server.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${text}`);
  return (text ? JSON.parse(text) : null) as T;
}

/** The wall clock in `zone` `ms` from now: `YYYY-MM-DD` and `HH:mm`. */
function wallClock(ms: number, zone: string): { date: string; time: string } {
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).formatToParts(
    new Date(Date.now() + ms),
  );
  const get = (t: string) => parts.find((p) => p.type === t)!.value;
  return { date: `${get('year')}-${get('month')}-${get('day')}`, time: `${get('hour')}:${get('minute')}` };
}

async function openPanel(c: Customer): Promise<void> {
  const loaderLauncher = c.page!.locator('vitrine-loader [part="launcher"]');
  if (await loaderLauncher.count()) await loaderLauncher.click();
  else await chat(c, '[part="launcher"]').click();
  await expect.poll(() => chat(c, '[part="panel"]').isVisible(), { timeout: 15_000 }).toBe(true);
}

async function closePanel(c: Customer): Promise<void> {
  await chat(c, '[part="close-button"]').click();
  await expect.poll(() => chat(c, '[part="panel"]').isVisible(), { timeout: 10_000 }).toBe(false);
}

/** The launcher's unread badge: its number, or 0 when hidden. */
async function launcherBadge(c: Customer): Promise<number> {
  const badge = chat(c, '[part="unread-badge"]');
  if (!(await badge.count()) || !(await badge.isVisible())) return 0;
  return Number(await badge.textContent());
}

async function screenshot(p: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  await p.screenshot({ path: join(SCREENSHOT_DIR, `broadcast-${name}.png`) });
}

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'vitrine-e2e-broadcast-'));
  server = await startServerProcess({ port: await freePort(), dataDir, name: 'broadcast journey' });
  const login = await fetch(`${server.url}/api/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: 'owner@demo.shop', password: 'vitrine-demo' }),
  });
  token = ((await login.json()) as { token: string }).token;
  browser = await chromium.launch({ executablePath: ensureChromium(), args: CHROMIUM_ARGS, headless: true });
  for (const c of [LIN, ALEX]) {
    c.context = await browser.newContext({ locale: c.locale, colorScheme: c.colorScheme, viewport: { width: 1280, height: 900 } });
    c.page = await c.context.newPage();
    watch(c.page);
  }
  staff = await browser.newContext({ locale: 'en-US', viewport: { width: 1440, height: 1000 } });
  console_ = await staff.newPage();
  watch(console_);
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

describe('broadcast journey (issue 5, done when)', () => {
  it('two customers chat from the demo shop page, then close the chat', async () => {
    for (const [c, question] of [
      [LIN, '有新款耳环吗？'],
      [ALEX, 'Any new earrings?'],
    ] as const) {
      await c.page!.goto(`${server.url}${c.path}`);
      await c.page!.evaluate((name) => (window as unknown as { Vitrine: (cmd: string, arg: unknown) => void }).Vitrine('identify', { name }), c.name);
      await openPanel(c);
      const input = chat(c, '[part="input"]');
      await input.fill(question);
      await input.press('Enter');
      await expect.poll(() => chat(c, '[part~="message-mine"]').filter({ hasText: question }).count(), { timeout: 15_000 }).toBe(1);
      await closePanel(c);
      const found = await rest<{ items: { id: string; name: string | null }[] }>('GET', `/api/customers?q=${encodeURIComponent(c.name)}`);
      c.id = found.items.find((x) => x.name === c.name)?.id;
      expect(c.id, `${c.name} is a customer of the shop`).toBeTruthy();
    }
  });

  it('staff tag both as earring buyers and set their cities in the Customer panel', async () => {
    await console_.goto(`${server.url}/console/`);
    await tid('login-email').fill('owner@demo.shop');
    await tid('login-password').fill('vitrine-demo');
    await tid('login-submit').click();
    await expect.poll(() => tid('agent-name').count(), { timeout: 15_000 }).toBe(1);
    for (const c of [LIN, ALEX]) {
      await console_.locator('[data-testid="conversation-row"]').filter({ hasText: c.name }).first().click();
      const panel = tid('customer-panel');
      await expect.poll(() => panel.getAttribute('data-customer-id'), { timeout: 15_000 }).toBe(c.id);
      await tid('customer-tag-input').fill('bought:earrings');
      await tid('customer-tag-add').click();
      await expect.poll(() => console_.locator('[data-testid="customer-tag"][data-tag="bought:earrings"]').count(), { timeout: 10_000 }).toBe(1);
      await tid('customer-attr-name').fill('city');
      await tid('customer-attr-value').fill(c.city);
      await tid('customer-attr-add').click();
      await expect.poll(() => console_.locator('[data-testid="customer-attr"][data-name="city"]').getAttribute('data-value'), { timeout: 10_000 }).toBe(c.city);
    }
  });

  it('staff create the segment "earring buyers in Hangzhou" and see its live audience', async () => {
    const rule = { match: 'all', conditions: [{ tag: 'bought:earrings', op: 'has' }, { attribute: 'city', op: 'eq', value: 'Hangzhou' }] };
    const expected = (await rest<{ size: number }>('POST', '/api/segments/preview', { rule })).size;
    expect(expected).toBeGreaterThanOrEqual(1);

    await tid('nav-segments').click();
    await expect.poll(() => tid('segments-page').count()).toBe(1);
    await tid('segment-new').click();
    await tid('segment-name').fill(SEGMENT);
    await expect.poll(() => tid('segment-condition-subject').inputValue()).toBe('tag');
    await tid('segment-condition-name').fill('bought:earrings');
    await tid('segment-condition-add').click();
    const second = tid('segment-condition').nth(1);
    await second.getByTestId('segment-condition-subject').selectOption('attribute');
    await second.getByTestId('segment-condition-name').fill('city');
    await second.getByTestId('segment-condition-value').fill('Hangzhou');
    await expect.poll(() => tid('segment-audience').getAttribute('data-size'), { timeout: 10_000 }).toBe(String(expected));
    await tid('segment-save').click();
    await expect.poll(() => tid('segment-form-status').getAttribute('data-state'), { timeout: 10_000 }).toBe('saved');

    // The saved rule holds Lin and not Alex.
    const segments = await rest<{ items: { id: string; name: string }[] }>('GET', '/api/segments');
    const segmentId = segments.items.find((s) => s.name === SEGMENT)!.id;
    const members = await rest<{ items: { id: string }[] }>('GET', `/api/customers?segmentId=${segmentId}&limit=100`);
    expect(members.items.map((m) => m.id)).toContain(LIN.id);
    expect(members.items.map((m) => m.id)).not.toContain(ALEX.id);
  });

  it('staff write a new-arrival campaign with two products and a greeting, preview it in zh-CN and en', async () => {
    await tid('nav-campaigns').click();
    await expect.poll(() => tid('campaigns-page').count(), { timeout: 10_000 }).toBe(1);
    await tid('campaign-new').click();
    await expect.poll(() => tid('campaign-form').count()).toBe(1);
    await tid('campaign-kind').selectOption('new-arrival');
    await tid('campaign-name').fill(CAMPAIGN);
    await tid('campaign-title-en').fill('Hi {{name|there}}, new earrings are in');
    await tid('campaign-title-zh-CN').fill('{{name|朋友}}，新款耳饰到店');
    await tid('campaign-body-en').fill('Gold hoops and pearl studs, in store from today.');
    await tid('campaign-body-zh-CN').fill('金色圈形耳环和珍珠耳钉今日到店。');
    await expect.poll(() => tid('campaign-product-result').count(), { timeout: 10_000 }).toBeGreaterThanOrEqual(2);
    await tid('campaign-product-pick').nth(0).check();
    await tid('campaign-product-pick').nth(1).check();
    await expect.poll(() => tid('campaign-products-count').getAttribute('data-count')).toBe('2');
    const option = tid('campaign-segment').locator('option').filter({ hasText: SEGMENT });
    await tid('campaign-segment').selectOption((await option.getAttribute('value'))!);

    // Preview for a sample recipient of the segment, in both languages, and with no name.
    const recipient = tid('campaign-preview-recipient');
    await expect.poll(async () => (await recipient.locator('option').allTextContents()).length, { timeout: 10_000 }).toBeGreaterThanOrEqual(2);
    const sampleName = (await recipient.locator('option').allTextContents()).find((n) => n !== '' && !/no name|none|without/i.test(n))!;
    await recipient.selectOption({ label: sampleName });
    const en = console_.locator('[data-testid="campaign-preview-card"][data-locale="en"]');
    const zh = console_.locator('[data-testid="campaign-preview-card"][data-locale="zh-CN"]');
    await expect.poll(() => en.getByTestId('campaign-preview-title').textContent()).toBe(`Hi ${sampleName}, new earrings are in`);
    expect(await zh.getByTestId('campaign-preview-title').textContent()).toBe(`${sampleName}，新款耳饰到店`);
    expect(await en.getByTestId('campaign-preview-products').locator('li').count()).toBe(2);
    await recipient.selectOption({ value: 'none' });
    await expect.poll(() => zh.getByTestId('campaign-preview-title').textContent()).toBe('朋友，新款耳饰到店');
    mkdirSync(SCREENSHOT_DIR, { recursive: true });
    await tid('campaign-preview').screenshot({ path: join(SCREENSHOT_DIR, 'broadcast-console-preview.png') });

    await tid('campaign-save').click();
    await expect.poll(() => tid('campaign-form-status').getAttribute('data-state'), { timeout: 10_000 }).toBe('saved');
  });

  it("staff schedule it two minutes ahead in the shop's zone", async () => {
    expect(await tid('campaign-zone').textContent()).toContain(ZONE);
    const when = wallClock(120_000, ZONE);
    await tid('campaign-date').fill(when.date);
    await tid('campaign-time').fill(when.time);
    await tid('campaign-schedule-submit').click();
    const row = tid('campaign-row').filter({ has: console_.getByTestId('campaign-open').filter({ hasText: CAMPAIGN }) });
    await expect.poll(() => row.getAttribute('data-state'), { timeout: 10_000 }).toBe('scheduled');
    campaignId = (await row.getAttribute('data-campaign-id'))!;
    const stored = await rest<{ scheduledAt: string; timeZone: string }>('GET', `/api/campaigns/${campaignId}`);
    expect(stored.timeZone).toBe(ZONE);
    expect(wallClock(Date.parse(stored.scheduledAt) - Date.now(), ZONE)).toEqual(when);
    // Nobody has it yet.
    expect(await launcherBadge(LIN)).toBe(0);
  });

  it('at that time only the Hangzhou customer gets it, live, with the unread badge on the launcher', async () => {
    await expect.poll(() => launcherBadge(LIN), { timeout: 180_000, interval: 1000 }).toBe(1);
    const stats = await rest<{ targeted: number; delivered: number; read: number }>('GET', `/api/campaigns/${campaignId}/stats`);
    expect(stats.targeted).toBeGreaterThanOrEqual(1);
    expect(stats.read).toBe(0);
    await new Promise((r) => setTimeout(r, 2000));
    expect(await launcherBadge(ALEX)).toBe(0);
    await screenshot(LIN.page!, 'badge');
  }, 240_000);

  it('she opens the Feed tab: her greeting in Chinese with two products; reading it moves the stats', async () => {
    await openPanel(LIN);
    const feedTab = chat(LIN, '[role="tab"]').filter({ hasText: '动态' });
    expect(await feedTab.locator('[part~="tab-badge"]').textContent()).toBe('1');
    await feedTab.click();
    const item = chat(LIN, `[part~="feed-item"]`).first();
    await expect.poll(() => item.isVisible(), { timeout: 15_000 }).toBe(true);
    expect(await chat(LIN, '[part~="feed-item-title"]').first().textContent()).toBe(`${LIN.name}，新款耳饰到店`);
    expect(squash(await chat(LIN, '[part~="feed-item-body"]').first().textContent())).toBe('金色圈形耳环和珍珠耳钉今日到店。');
    await expect.poll(() => chat(LIN, '[part~="feed-item-products"] [part~="product-card"]').count(), { timeout: 10_000 }).toBe(2);
    // Seen in the viewport: read, the badges go.
    await expect.poll(() => rest<{ read: number }>('GET', `/api/campaigns/${campaignId}/stats`).then((s) => s.read), { timeout: 15_000 }).toBe(1);
    await expect.poll(() => launcherBadge(LIN), { timeout: 10_000 }).toBe(0);
    await screenshot(LIN.page!, 'feed-zh-CN');

    await tid('campaign-open').filter({ hasText: CAMPAIGN }).click();
    await expect.poll(() => tid('stats-read').getAttribute('data-value'), { timeout: 20_000 }).toBe('1');
    expect(await tid('stats-delivered').getAttribute('data-value')).toBe('1');
  });

  it('"Ask about this" opens the chat with the item as context; staff see what she asks about; clicks move', async () => {
    await chat(LIN, '[part~="feed-item-ask"]').first().click();
    const context = chat(LIN, '[part="ask-context-title"]');
    await expect.poll(() => context.isVisible(), { timeout: 10_000 }).toBe(true);
    const input = chat(LIN, '[part="input"]');
    await input.fill('这款是S925银的吗？耳针多长？');
    await input.press('Enter');
    await expect.poll(() => chat(LIN, '[part~="message-mine"]').filter({ hasText: '耳针多长' }).count(), { timeout: 15_000 }).toBe(1);
    await expect.poll(() => tid('stats-clicked').getAttribute('data-value'), { timeout: 20_000 }).toBe('1');
    mkdirSync(SCREENSHOT_DIR, { recursive: true });
    await tid('campaign-stats').screenshot({ path: join(SCREENSHOT_DIR, 'broadcast-console-stats.png') });

    await console_.locator('[data-testid="nav-inbox"], [data-testid="nav-conversations"]').first().click();
    await console_.locator('[data-testid="conversation-row"]').filter({ hasText: LIN.name }).first().click();
    const asked = console_.getByTestId('message-bubble').filter({ hasText: '耳针多长' });
    await expect.poll(() => asked.count(), { timeout: 15_000 }).toBe(1);
    await expect.poll(() => console_.getByTestId('message-about').last().textContent(), { timeout: 10_000 }).toContain('新款耳饰到店');
  });

  it("the other customer's feed stays empty; nothing ran as code, nothing failed", async () => {
    await openPanel(ALEX);
    await chat(ALEX, '[role="tab"]').filter({ hasText: 'Feed' }).click();
    await expect.poll(() => chat(ALEX, '[part="feed-empty"]').isVisible(), { timeout: 15_000 }).toBe(true);
    expect(await chat(ALEX, '[part~="feed-item"]').count()).toBe(0);
    await screenshot(ALEX.page!, 'feed-empty-en-dark');
    expect(dialogs).toEqual([]);
    expect(pageErrors).toEqual([]);
  });
});
