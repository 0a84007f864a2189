/**
 * The assistant journey of issue 6's "done when", tried as a new user would on the demo: at night
 * (no staff signed in), a customer on the demo shop page asks in Chinese about gold earrings and gets
 * an AI reply — labelled AI, written as it streams — with the gold earrings' card; asks about returns
 * and gets the shop's FAQ answer; says "转人工" and is told staff are offline and to leave her
 * question, which she does (the assistant stays quiet). In the morning staff sign in: the hand-off
 * queue shows her, they open the conversation (the AI transcript labelled AI), take it over — her
 * chat says who joined — and reply.
 * Debian Chromium via playwright-core against the real server process (`--demo`, assistant on);
 * screenshots go to `.test-output/e2e-screenshots/assistant-journey-*.png`.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM_ARGS, ensureChromium } from '../../scripts/ensure-chromium.mjs';
import { DEMO_FAQ } from '../../server/assistant/demo-faq.js';
import { freePort, startServerProcess, type ServerProcess } from '../support/server-process.js';

const SCREENSHOT_DIR = resolve(import.meta.dirname, '../../.test-output/e2e-screenshots');
const NAME = '林小姐';
const LEFT_QUESTION = '我想在戒指内侧刻字，可以吗？';
const STAFF_REPLY = '可以的，免费刻字，最多 10 个字。';
const RETURNS = DEMO_FAQ.find((e) => e.id === 'faq-returns')!;

let server: ServerProcess;
let browser: Browser;
let dataDir: string;
let shopper: BrowserContext;
let shop: Page;
let staff: BrowserContext;
let console_: Page;
let token: string;
const pageErrors: string[] = [];
const dialogs: string[] = [];

const chat = (selector: string) => shop.locator(`vitrine-chat ${selector}`);
const tid = (id: string) => console_.getByTestId(id);
/** AI messages in the customer's chat (the bubble rows carrying the AI badge). */
const aiMessages = () => chat('.message.theirs').filter({ has: shop.locator('[part="ai-label"]') });

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

async function screenshot(p: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  await p.screenshot({ path: join(SCREENSHOT_DIR, `assistant-journey-${name}.png`) });
}

async function ask(text: string): Promise<void> {
  const input = chat('[part="input"]');
  await input.fill(text);
  await input.press('Enter');
  await expect.poll(() => chat('[part~="message-mine"]').filter({ hasText: text }).count(), { timeout: 15_000 }).toBeGreaterThanOrEqual(1);
}

/** Waits for the AI reply number `n` (1-based) to be final (no Stop button, not busy) and returns its text. */
async function finalAiReply(n: number): Promise<string> {
  await expect.poll(() => aiMessages().count(), { timeout: 20_000 }).toBeGreaterThanOrEqual(n);
  const message = aiMessages().nth(n - 1);
  await expect.poll(() => message.locator('[aria-busy="true"]').count(), { timeout: 20_000 }).toBe(0);
  return (await message.textContent()) ?? '';
}

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'vitrine-e2e-assistant-journey-'));
  process.env.VITRINE_ASSISTANT_PACE_MS = '25';
  server = await startServerProcess({ port: await freePort(), dataDir, name: 'assistant journey', assistant: true });
  const login = await fetch(`${server.url}/api/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: 'owner@demo.shop', password: 'vitrine-demo' }),
  });
  token = ((await login.json()) as { token: string }).token;
  browser = await chromium.launch({ executablePath: ensureChromium(), args: CHROMIUM_ARGS, headless: true });
  shopper = await browser.newContext({ locale: 'zh-CN', viewport: { width: 1280, height: 900 } });
  shop = await shopper.newPage();
  watch(shop);
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  delete process.env.VITRINE_ASSISTANT_PACE_MS;
});

describe('assistant journey (issue 6, done when)', () => {
  it('at night, a customer asks in Chinese about gold earrings and gets an AI reply, streamed, with the card', async () => {
    await shop.goto(`${server.url}/?lang=zh-CN`);
    await shop.evaluate((name) => (window as unknown as { Vitrine: (cmd: string, arg: unknown) => void }).Vitrine('identify', { name }), NAME);
    const loaderLauncher = shop.locator('vitrine-loader [part="launcher"]');
    if (await loaderLauncher.count()) await loaderLauncher.click();
    else await chat('[part="launcher"]').click();
    await expect.poll(() => chat('[part="panel"]').isVisible(), { timeout: 15_000 }).toBe(true);

    // The toggle says the AI answers.
    const options = chat('[part~="assistant-option"]');
    await expect.poll(() => options.count(), { timeout: 15_000 }).toBe(2);
    expect(await options.nth(0).textContent()).toContain('AI 助手');
    expect(await options.nth(0).getAttribute('aria-pressed')).toBe('true');

    // Record whether a reply was seen busy (streaming) with a Stop button, as the customer would.
    await shop.evaluate(() => {
      const w = window as unknown as { streamSeen: { busy: boolean; stop: boolean; lengths: number[] } };
      w.streamSeen = { busy: false, stop: false, lengths: [] };
      const root = document.querySelector('vitrine-chat')!.shadowRoot!;
      new MutationObserver(() => {
        const busy = root.querySelector('[aria-busy="true"]');
        if (busy) {
          w.streamSeen.busy = true;
          const n = busy.textContent?.length ?? 0;
          if (w.streamSeen.lengths.at(-1) !== n) w.streamSeen.lengths.push(n);
        }
        if (root.querySelector('[part="stop"]')) w.streamSeen.stop = true;
      }).observe(root, { subtree: true, childList: true, characterData: true, attributes: true });
    });

    await ask('有没有金色的耳环？');
    const reply = await finalAiReply(1);
    expect(reply).toContain('AI');
    // The gold earrings of the demo catalogue, as a card (title and price from the catalogue).
    const card = aiMessages().nth(0).locator('[part="product-card"]').filter({ hasText: '暖阳素圈耳环' });
    await expect.poll(() => card.count(), { timeout: 15_000 }).toBe(1);
    expect(await card.textContent()).toMatch(/389/);
    const seen = await shop.evaluate(() => (window as unknown as { streamSeen: { busy: boolean; stop: boolean; lengths: number[] } }).streamSeen);
    expect(seen.busy, 'the reply was shown while it was being written').toBe(true);
    expect(seen.stop, 'with a Stop button meanwhile').toBe(true);
    expect(new Set(seen.lengths).size, 'the text grew').toBeGreaterThan(1);
    await screenshot(shop, 'gold-earrings');
  });

  it('asks about returns and gets the shop FAQ answer', async () => {
    await ask('退货怎么办理？');
    const reply = await finalAiReply(2);
    expect(reply).toContain(RETURNS.answer['zh-CN']);
    await screenshot(shop, 'returns');
  });

  it('says 转人工: told staff are offline, leaves her question, and the assistant stays quiet', async () => {
    await ask('转人工');
    const reply = await finalAiReply(3);
    expect(reply).toMatch(/不在线|离线/);
    const status = chat('[part="assistant-status"]');
    await expect.poll(() => status.getAttribute('data-status'), { timeout: 15_000 }).toBe('offline');
    expect(await status.textContent()).toContain('留下您的问题');
    expect(await chat('[part~="assistant-option"]').nth(1).getAttribute('aria-pressed')).toBe('true');

    await ask(LEFT_QUESTION);
    // A streamed reply (25 ms pace) would have started well within this time if the assistant wrongly answered.
    await new Promise((r) => setTimeout(r, 2000));
    expect(await aiMessages().count()).toBe(3);
    await screenshot(shop, 'offline-handoff');
  });

  it('in the morning staff find her in the hand-off queue and open the AI transcript', async () => {
    staff = await browser.newContext({ locale: 'en-US', viewport: { width: 1440, height: 1000 } });
    console_ = await staff.newPage();
    watch(console_);
    await console_.goto(`${server.url}/console/`);
    await tid('login-email').fill('owner@demo.shop');
    await tid('login-password').fill('vitrine-demo');
    await tid('login-submit').click();
    await expect.poll(() => tid('agent-name').count(), { timeout: 15_000 }).toBe(1);
    await expect.poll(() => tid('handoff-count').textContent(), { timeout: 15_000 }).toBe('1');
    await tid('nav-handoffs').click();
    const row = tid('handoff-row');
    await expect.poll(() => row.count(), { timeout: 15_000 }).toBe(1);
    expect(await row.getAttribute('data-reason')).toBe('customer_asked');
    expect(await row.getByTestId('handoff-open-name').textContent()).toBe(NAME);
    const queue = (await (await fetch(`${server.url}/api/assistant/handoffs`, { headers: { authorization: `Bearer ${token}` } })).json()) as {
      items: { conversationId: string; visitorName: string | null }[];
    };
    expect(queue.items.map((i) => i.visitorName)).toEqual([NAME]);
    await screenshot(console_, 'queue');

    await row.getByTestId('handoff-open').click();
    await expect.poll(() => tid('conversation').getAttribute('data-conversation-id'), { timeout: 10_000 }).toBe(queue.items[0].conversationId);
    const ai = console_.locator('[data-testid="message-bubble"][data-ai="true"]');
    await expect.poll(() => ai.count(), { timeout: 10_000 }).toBe(3);
    expect((await ai.allTextContents()).join('\n')).toContain(RETURNS.answer['zh-CN']);
    await expect.poll(() => console_.locator('[data-testid="message-bubble"]').filter({ hasText: LEFT_QUESTION }).count(), { timeout: 10_000 }).toBe(1);
    expect(await tid('assistant-state').getAttribute('data-mode')).toBe('waiting');
  });

  it('staff take over: her chat says who joined; the staff reply reaches her and no AI reply follows', async () => {
    await tid('assistant-take-over').click();
    await expect.poll(() => tid('assistant-state').getAttribute('data-mode'), { timeout: 10_000 }).toBe('takeover');
    const status = chat('[part="assistant-status"]');
    await expect.poll(() => status.getAttribute('data-status'), { timeout: 15_000 }).toBe('takeover');
    expect(await status.textContent()).toMatch(/加入/);
    await expect.poll(() => tid('handoff-count').count(), { timeout: 10_000 }).toBe(0);

    await tid('reply-input').fill(STAFF_REPLY);
    await tid('reply-send').click();
    await expect.poll(() => chat('.message.theirs').filter({ hasText: STAFF_REPLY }).count(), { timeout: 15_000 }).toBe(1);
    expect(await aiMessages().count()).toBe(3);
    await screenshot(shop, 'taken-over');
    await screenshot(console_, 'taken-over-console');
  });

  it('had no dialogs and no page errors', () => {
    expect(dialogs).toEqual([]);
    expect(pageErrors).toEqual([]);
  });
});
