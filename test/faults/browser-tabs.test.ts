/**
 * Fault scenario (real Chromium): two tabs (pages of one browser context) of the demo shop.
 * - First opens at the same moment share one visitor and one conversation.
 * - With the server down both tabs send; both show every pending message; after the restart every
 *   message is stored exactly once, in order, was sent by one tab only, and both tabs show the
 *   same list and statuses.
 * - A message from the agent rings (`vitrine-notify`) in exactly one tab.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { VitrineClient } from '../../src/index.js';
import {
  RestartableServer,
  cacheShopPages,
  chat,
  checkHistory,
  closeChat,
  connectionState,
  countSends,
  demoAgent,
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
let tabA: Page;
let tabB: Page;
let conversationId: string;
const errors: string[] = [];
const sends = new Map<string, number>();

const notified = (page: Page) => page.evaluate(() => (window as unknown as { notified?: string[] }).notified ?? []);

beforeAll(async () => {
  server = await RestartableServer.start();
  browser = await launchChromium();
  context = await browser.newContext({ locale: 'en-US' });
  await cacheShopPages(context, server.url);
  tabA = await context.newPage();
  tabB = await context.newPage();
  for (const tab of [tabA, tabB]) {
    watchErrors(tab, errors);
    countSends(tab, sends);
    await tab.addInitScript(() => {
      const w = window as unknown as { notified: string[] };
      w.notified = [];
      document.addEventListener('vitrine-notify', (e) => w.notified.push((e as CustomEvent<{ text: string }>).detail.text));
    });
    await tab.goto(`${server.url}/`);
  }
});

afterAll(async () => {
  await browser?.close();
  await server?.dispose();
});

describe('browser: two tabs of one shop', () => {
  it('first opens at the same moment share one visitor and one conversation', async () => {
    await Promise.all([openChat(tabA), openChat(tabB)]);
    for (const tab of [tabA, tabB]) await expect.poll(() => connectionState(tab), { timeout: 15_000 }).toBe('online');
    const [a, b] = await Promise.all([pageSession(tabA), pageSession(tabB)]);
    expect(a?.conversationId).toBeTruthy();
    expect(b).toEqual(a);
    conversationId = a!.conversationId!;
  });

  it('with the server down both tabs send; after the restart each message is stored once, sent by one tab, shown alike', async () => {
    const t0 = Date.now();
    await server.stop();
    for (const tab of [tabA, tabB]) await expect.poll(() => connectionState(tab), { timeout: 15_000 }).toBe('reconnecting');

    const texts = ['tab A: first', 'tab B: first', 'tab A: second', 'tab B: second'];
    for (const [i, text] of texts.entries()) {
      await typeAndSend(i % 2 === 0 ? tabA : tabB, text);
      // Every tab shows every pending send (the outbox is shared).
      for (const tab of [tabA, tabB]) {
        await expect.poll(async () => (await shownMine(tab)).map((m) => `${m.text}|${m.status}`)).toEqual(texts.slice(0, i + 1).map((t) => `${t}|sending`));
      }
    }

    const restartMs = await server.restart();
    for (const tab of [tabA, tabB]) {
      await expect.poll(async () => (await shownMine(tab)).map((m) => m.status), { timeout: 30_000 }).toEqual(texts.map(() => 'sent'));
    }
    const convergedMs = Date.now() - t0;
    const history = await storedHistory(server.url, conversationId, texts.length);
    expect(checkHistory(history)).toEqual(texts);
    const [shownA, shownB] = await Promise.all([shownMine(tabA), shownMine(tabB)]);
    expect(shownA).toEqual(texts.map((text) => ({ text, status: 'sent' })));
    expect(shownB).toEqual(shownA);
    // One sender per message: one message:send frame for each, from one tab.
    expect(Object.fromEntries(texts.map((t) => [t, sends.get(t)]))).toEqual(Object.fromEntries(texts.map((t) => [t, 1])));
    console.log(`[faults] browser tabs: ${texts.length} offline sends from 2 tabs stored once, each sent once; server restart ${restartMs} ms; converged after ${convergedMs} ms`);
  });

  it('a message from the agent rings in exactly one tab', async () => {
    await Promise.all([closeChat(tabA), closeChat(tabB)]);
    let agent: VitrineClient | null = null;
    try {
      agent = await demoAgent(server.url);
      const handle = agent.conversation(conversationId);
      for (const text of ['Yes, we have it in gold.', 'Shall I reserve one for Saturday?']) {
        await handle.send(text);
        for (const tab of [tabA, tabB]) {
          await expect.poll(() => chat(tab, '[part~="message-theirs"]').filter({ hasText: text }).count(), { timeout: 10_000 }).toBe(1);
        }
      }
      await tabA.waitForTimeout(1000); // a second ring would have happened by now
      const [a, b] = await Promise.all([notified(tabA), notified(tabB)]);
      expect([...a, ...b].sort()).toEqual(['Shall I reserve one for Saturday?', 'Yes, we have it in gold.']);
      for (const tab of [tabA, tabB]) expect((await chat(tab, '[part="unread-badge"]').textContent())?.trim()).toBe('2');
      console.log(`[faults] browser tabs: 2 agent messages -> notifications in tab A: ${a.length}, tab B: ${b.length}`);
    } finally {
      agent?.destroy();
    }
    expect(errors).toEqual([]);
  });
});
