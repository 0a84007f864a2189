/**
 * Fault scenario (real Chromium): a page reload with a pending outbox.
 * The server goes down, the customer sends 3 messages in the widget and reloads the page; the page
 * still shows them as "sending" (before any session), the server comes back, and they are stored
 * exactly once, in order, and every status ends "sent".
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  RestartableServer,
  cacheShopPages,
  chat,
  checkHistory,
  connectionState,
  countSends,
  launchChromium,
  openChat,
  pageSession,
  shownMine,
  storedHistory,
  typeAndSend,
  watchErrors,
} from './browser-support.js';

let server: RestartableServer;
let browser: Browser;
let context: BrowserContext;
let page: Page;
const errors: string[] = [];
const sends = new Map<string, number>();

beforeAll(async () => {
  server = await RestartableServer.start();
  browser = await launchChromium();
  context = await browser.newContext({ locale: 'en-US' });
  await cacheShopPages(context, server.url);
  page = await context.newPage();
  watchErrors(page, errors);
  countSends(page, sends);
});

afterAll(async () => {
  await browser?.close();
  await server?.dispose();
});

describe('browser: page reload with a pending outbox', () => {
  it('sends made offline survive a reload, show "sending" at once, and are stored once, in order', async () => {
    const t0 = Date.now();
    await page.goto(`${server.url}/`);
    await openChat(page);
    await expect.poll(() => connectionState(page), { timeout: 15_000 }).toBe('online');
    await typeAndSend(page, 'hello before the outage');
    await expect.poll(async () => (await shownMine(page))[0]?.status, { timeout: 15_000 }).toBe('sent');
    const session = await pageSession(page);
    const conversationId = session?.conversationId;
    expect(conversationId).toBeTruthy();

    await server.stop();
    await expect.poll(() => connectionState(page), { timeout: 15_000 }).toBe('reconnecting');
    const offline = ['offline one', 'offline two', 'offline three'];
    for (const text of offline) await typeAndSend(page, text);
    expect(await shownMine(page)).toEqual([
      { text: 'hello before the outage', status: 'sent' },
      ...offline.map((text) => ({ text, status: 'sending' })),
    ]);

    // Typed but not sent: stays in the composer while disconnected (not part of the outbox).
    await chat(page, '[part="input"]').fill('draft kept');
    await page.waitForTimeout(500);
    expect(await chat(page, '[part="input"]').inputValue()).toBe('draft kept');

    await page.reload();
    // The loader sees unsent messages and brings the widget back by itself; open it to look.
    await expect.poll(() => page.locator('vitrine-chat').count(), { timeout: 15_000 }).toBe(1);
    await openChat(page);
    await expect.poll(async () => (await shownMine(page)).filter((m) => m.status === 'sending').map((m) => m.text)).toEqual(offline);
    expect(await connectionState(page)).not.toBe('online');

    const restartMs = await server.restart();
    await expect
      .poll(async () => (await shownMine(page)).map((m) => m.status), { timeout: 30_000 })
      .toEqual(['sent', 'sent', 'sent', 'sent']);
    const convergedMs = Date.now() - t0;

    const history = await storedHistory(server.url, conversationId!, 4);
    expect(checkHistory(history)).toEqual(['hello before the outage', ...offline]);
    expect((await shownMine(page)).map((m) => m.text)).toEqual(['hello before the outage', ...offline]);
    for (const text of offline) expect(sends.get(text), `frames sending "${text}"`).toBeGreaterThanOrEqual(1);
    const resent = [...sends.values()].reduce((n, c) => n + c - 1, 0);
    expect(await page.evaluate(() => localStorage.getItem('vitrine:demo:outbox'))).toBeNull();
    expect(errors).toEqual([]);
    console.log(
      `[faults] browser reload: ${history.length} messages stored once in order; ${resent} resent frames; ` +
        `server restart ${restartMs} ms; converged after ${convergedMs} ms`,
    );
  });
});
