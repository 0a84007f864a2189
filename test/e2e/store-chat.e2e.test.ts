/**
 * The whole store-chat story, as people do it: the demo shop page and the merchant console in two
 * browser contexts (Debian Chromium via playwright-core) against the real server process.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM_ARGS, ensureChromium } from '../../scripts/ensure-chromium.mjs';
import { freePort, startServerProcess, type ServerProcess } from '../support/server-process.js';

const QUESTION = '这条项链有金色的吗?';
const REPLY = '有的，18K 金色镀层，S925 银，链长 45 cm。';

let server: ServerProcess;
let browser: Browser;
let dataDir: string;
let port: number;
let customer: BrowserContext;
let shopPage: Page;
let staff: BrowserContext;
let consolePage: Page;
const pageErrors: string[] = [];

const chat = (page: Page, selector: string) => page.locator(`vitrine-chat ${selector}`);

async function openChat(page: Page): Promise<void> {
  const loaderLauncher = page.locator('vitrine-loader [part="launcher"]');
  if (await loaderLauncher.count()) await loaderLauncher.click();
  else await chat(page, '[part="launcher"]').click();
  await expect.poll(() => chat(page, '[part="panel"]').isVisible(), { timeout: 15_000 }).toBe(true);
}

function watch(page: Page): void {
  page.on('pageerror', (e) => pageErrors.push(`${page.url()}: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error' && !/ERR_CONNECTION_REFUSED|WebSocket connection|Failed to load resource/.test(m.text())) pageErrors.push(`${page.url()}: ${m.text()}`);
  });
}

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'vitrine-e2e-'));
  port = await freePort();
  server = await startServerProcess({ port, dataDir });
  browser = await chromium.launch({ executablePath: ensureChromium(), args: CHROMIUM_ARGS, headless: true });
  customer = await browser.newContext({ locale: 'zh-CN' });
  staff = await browser.newContext({ locale: 'en-US' });
  shopPage = await customer.newPage();
  consolePage = await staff.newPage();
  watch(shopPage);
  watch(consolePage);
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('store chat, end to end', () => {
  it('serves the demo shop with the one-line embed, and nothing connects before the visitor acts', async () => {
    const sockets: string[] = [];
    shopPage.on('websocket', (ws) => sockets.push(ws.url()));
    await shopPage.goto(`${server.url}/`);
    await expect.poll(() => shopPage.locator('vitrine-loader [part="launcher"]').count()).toBe(1);
    const embed = await shopPage.locator('script[src="/vitrine.js"][data-shop="demo"]').count();
    expect(embed).toBe(1);
    expect(await shopPage.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('vitrine')))).toEqual([]);
    await shopPage.waitForTimeout(300);
    expect(sockets).toEqual([]);
    expect(await shopPage.locator('vitrine-chat').count()).toBe(0);
  });

  it('a customer asks about the necklace and sees sending -> sent', async () => {
    await openChat(shopPage);
    const input = chat(shopPage, '[part="input"]');
    await input.fill(QUESTION);
    await input.press('Enter');
    const mine = chat(shopPage, '[part~="message-mine"]').filter({ hasText: QUESTION });
    await expect.poll(() => mine.count()).toBe(1);
    await expect.poll(() => mine.getAttribute('data-status'), { timeout: 10_000 }).toBe('sent');
    expect(await input.inputValue()).toBe('');
  });

  it('the shop owner logs in and sees the conversation live with its unread count', async () => {
    await consolePage.goto(`${server.url}/console/`);
    await consolePage.getByTestId('login-email').fill('owner@demo.shop');
    await consolePage.getByTestId('login-password').fill('wrong password');
    await consolePage.getByTestId('login-submit').click();
    await expect.poll(() => consolePage.getByTestId('login-error').isVisible()).toBe(true);
    await consolePage.getByTestId('login-password').fill('vitrine-demo');
    await consolePage.getByTestId('login-submit').click();
    const row = consolePage.getByTestId('conversation-row').filter({ hasText: QUESTION });
    await expect.poll(() => row.count(), { timeout: 15_000 }).toBe(1);
    await expect.poll(() => row.getByTestId('unread-badge').textContent()).toBe('1');
  });

  it('a second question arrives live in the open console', async () => {
    const input = chat(shopPage, '[part="input"]');
    await input.fill('链子多长?');
    await input.press('Enter');
    const row = consolePage.getByTestId('conversation-row').filter({ hasText: '链子多长?' });
    await expect.poll(() => row.count(), { timeout: 10_000 }).toBe(1);
    await expect.poll(() => row.getByTestId('unread-badge').textContent()).toBe('2');
  });

  it('typing shows both ways, the reply arrives, and the customer sees "read"', async () => {
    await consolePage.getByTestId('conversation-row').first().click();
    await expect.poll(() => consolePage.getByTestId('message-bubble').filter({ hasText: QUESTION }).count()).toBe(1);

    // The console has it open and visible: the customer's messages become "read".
    const first = chat(shopPage, '[part~="message-mine"]').filter({ hasText: QUESTION });
    await expect.poll(() => first.getAttribute('data-status'), { timeout: 10_000 }).toBe('read');

    await chat(shopPage, '[part="input"]').pressSequentially('还有', { delay: 30 });
    await expect.poll(() => consolePage.getByTestId('typing-indicator').isVisible(), { timeout: 10_000 }).toBe(true);
    await chat(shopPage, '[part="input"]').fill('');

    const reply = consolePage.getByTestId('reply-input');
    await reply.pressSequentially('有的', { delay: 30 });
    await expect.poll(() => chat(shopPage, '[part="typing"]').isVisible(), { timeout: 10_000 }).toBe(true);
    await reply.fill(REPLY);
    await reply.press('Enter');
    const theirs = chat(shopPage, '[part~="message-theirs"]').filter({ hasText: REPLY });
    await expect.poll(() => theirs.count(), { timeout: 5_000 }).toBe(1);
    const agentBubble = consolePage.getByTestId('message-bubble').filter({ hasText: REPLY });
    await expect.poll(() => agentBubble.getAttribute('data-status'), { timeout: 10_000 }).toBe('read');
  });

  it('an agent message to a closed chat lights the unread badge on the launcher', async () => {
    await shopPage.keyboard.press('Escape');
    await expect.poll(() => chat(shopPage, '[part="panel"]').isVisible()).toBe(false);
    const reply = consolePage.getByTestId('reply-input');
    await reply.fill('周六可以到店试戴。');
    await reply.press('Enter');
    const badge = chat(shopPage, '[part="unread-badge"]');
    await expect.poll(() => badge.isVisible(), { timeout: 10_000 }).toBe(true);
    expect((await badge.textContent())?.trim()).toBe('1');
    await openChat(shopPage);
    await expect.poll(() => badge.isVisible()).toBe(false);
  });

  it('a reload keeps the history and the conversation', async () => {
    await shopPage.reload();
    await openChat(shopPage);
    await expect.poll(() => chat(shopPage, '[part~="message"]').filter({ hasText: REPLY }).count(), { timeout: 10_000 }).toBe(1);
    await expect.poll(() => chat(shopPage, '[part~="message-mine"]').filter({ hasText: QUESTION }).count()).toBe(1);
    expect(await consolePage.getByTestId('conversation-row').count()).toBe(1);
  });

  it('coming back tomorrow (a new browser session with the same storage) finds the same conversation', async () => {
    const state = await customer.storageState();
    const tomorrow = await browser.newContext({ locale: 'zh-CN', storageState: state });
    const page = await tomorrow.newPage();
    watch(page);
    await page.goto(`${server.url}/`);
    await openChat(page);
    await expect.poll(() => chat(page, '[part~="message"]').filter({ hasText: REPLY }).count(), { timeout: 10_000 }).toBe(1);
    await tomorrow.close();
    expect(await consolePage.getByTestId('conversation-row').count()).toBe(1);
  });

  it('survives a server restart: input kept while reconnecting, sends flushed once when back', async () => {
    expect(await server.stop()).toBe('0');
    await expect.poll(() => chat(shopPage, '[part="connection"]').getAttribute('data-state'), { timeout: 15_000 }).toBe('reconnecting');
    const input = chat(shopPage, '[part="input"]');
    await input.fill('断线时发的消息');
    await input.press('Enter');
    const pending = chat(shopPage, '[part~="message-mine"]').filter({ hasText: '断线时发的消息' });
    await expect.poll(() => pending.getAttribute('data-status')).toBe('sending');

    server = await startServerProcess({ port, dataDir });
    await expect.poll(() => pending.getAttribute('data-status'), { timeout: 20_000 }).toMatch(/sent|read/);
    expect(await pending.count()).toBe(1);
    const row = consolePage.getByTestId('message-bubble').filter({ hasText: '断线时发的消息' });
    await expect.poll(() => row.count(), { timeout: 20_000 }).toBe(1);
  });

  it('follows the page language when the embed has no data-locale', async () => {
    const context = await browser.newContext({ locale: 'zh-CN' });
    const page = await context.newPage();
    watch(page);
    await page.goto(`${server.url}/?lang=en`);
    await openChat(page);
    expect(await chat(page, '[part="input"]').getAttribute('placeholder')).toBe('Write a message…');
    await context.close();
  });

  it('logged no page errors', () => {
    expect(pageErrors).toEqual([]);
  });
});
