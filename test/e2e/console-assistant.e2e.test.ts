/**
 * The AI assistant in the merchant console, end to end (issue 6): the owner finds the assistant on
 * (or turns it on), is told about a bad endpoint URL next to its field, stores an API key that is
 * never shown back, adds a FAQ entry in zh-CN and en and gets it from the "Try it" box; a customer
 * (a core client in Node) gets an AI answer, then says "转人工"; the hand-off queue shows it with the
 * reason and the customer's text, staff open it, see the AI transcript labelled AI, take it over
 * (the customer's side gets the take-over), the queue empties and staff reply.
 * Debian Chromium via playwright-core against the real server process (`--demo`, assistant on);
 * screenshots go to `.test-output/e2e-screenshots/assistant-*.png`.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM_ARGS, ensureChromium } from '../../scripts/ensure-chromium.mjs';
import { createVitrineClient, type AssistantState, type ChatMessage, type ConversationHandle, type VitrineClient } from '../../src/index.js';
import { freePort, startServerProcess, type ServerProcess } from '../support/server-process.js';

const SCREENSHOT_DIR = resolve(import.meta.dirname, '../../.test-output/e2e-screenshots');
const SECRET = 'sk-e2e-never-shown-4f1c9a';
const CUSTOMER = '<img src=x onerror=alert(1)> Wang';
const FAQ = {
  question: { 'zh-CN': '可以带狗狗进店吗？', en: 'Can I bring my dog to the boutique?' },
  answer: { 'zh-CN': '可以！欢迎乖巧的狗狗来我们上海的店里，店里常备饮水碗。', en: 'Yes! Well-behaved dogs are welcome in our Shanghai boutique; there is always a water bowl ready.' },
  keywords: ['狗', 'dog', 'pet'],
};

let server: ServerProcess;
let browser: Browser;
let dataDir: string;
let page: Page;
let token: string;
let customer: VitrineClient;
let conversation: ConversationHandle;
const assistantStates: AssistantState[] = [];
const pageErrors: string[] = [];
const dialogs: string[] = [];

const tid = (id: string) => page.getByTestId(id);

async function screenshot(name: string): Promise<void> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOT_DIR, `assistant-${name}.png`), fullPage: false });
}

async function rest(method: string, path: string, body?: unknown): Promise<unknown> {
  const res = await fetch(`${server.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', accept: 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${text}`);
  return text ? JSON.parse(text) : null;
}

const aiReplies = (): ChatMessage[] => conversation.$messages.get().filter((m) => m.author.role === 'assistant' && m.seq !== null && !m.streaming);

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'vitrine-e2e-assistant-'));
  // Paced enough for the console to show a reply growing (the default is 30 ms).
  server = await startServerProcess({ port: await freePort(), dataDir, name: 'console assistant', assistant: true, assistantPaceMs: 20 });
  const login = await fetch(`${server.url}/api/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'owner@demo.shop', password: 'vitrine-demo' }) });
  token = ((await login.json()) as { token: string }).token;
  browser = await chromium.launch({ executablePath: ensureChromium(), args: CHROMIUM_ARGS, headless: true });
  const staff = await browser.newContext({ locale: 'en-US', viewport: { width: 1440, height: 1000 } });
  page = await staff.newPage();
  page.on('pageerror', (e) => pageErrors.push(`${page.url()}: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error' && !/ERR_CONNECTION_REFUSED|WebSocket connection|Failed to load resource/.test(m.text())) pageErrors.push(`${page.url()}: ${m.text()}`);
  });
  page.on('dialog', (d) => {
    dialogs.push(`${d.type()}: ${d.message()}`);
    void d.dismiss();
  });
});

afterAll(async () => {
  customer?.destroy();
  await browser?.close();
  await server?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('the assistant in the console, end to end', () => {
  it('signs in and finds the assistant on (or turns it on)', async () => {
    await page.goto(`${server.url}/console/`);
    await tid('login-email').fill('owner@demo.shop');
    await tid('login-password').fill('vitrine-demo');
    await tid('login-submit').click();
    await expect.poll(() => tid('agent-name').count(), { timeout: 15_000 }).toBe(1);
    await tid('nav-assistant').click();
    await expect.poll(() => tid('assistant-settings').count(), { timeout: 15_000 }).toBe(1);
    if (!(await tid('assistant-enabled').isChecked())) {
      await tid('assistant-enabled').check();
      await tid('assistant-provider-embedded').check();
      await tid('assistant-settings-save').click();
      await expect.poll(() => tid('assistant-settings-status').getAttribute('data-state'), { timeout: 10_000 }).toBe('saved');
    }
    const settings = (await rest('GET', '/api/settings/assistant')) as { enabled: boolean };
    expect(settings.enabled).toBe(true);
  });

  it('shows the schema error next to a bad endpoint URL; an API key is stored but never shown back', async () => {
    await tid('assistant-provider-llm').check();
    await tid('assistant-llm-baseUrl').fill('ftp://models.example/v1');
    await tid('assistant-llm-model').fill('qwen2.5-7b-instruct');
    await tid('assistant-llm-timeoutMs').fill('8000');
    await tid('assistant-settings-save').click();
    const urlError = page.locator('[data-testid="field-error"][data-field="llm.baseUrl"]');
    await expect.poll(() => urlError.count()).toBe(1);
    expect(await urlError.textContent()).toMatch(/http\(s\) URL/);
    expect(await tid('assistant-llm-baseUrl').getAttribute('aria-invalid')).toBe('true');
    expect(await tid('assistant-settings-status').getAttribute('data-state')).toBe('error');
    await screenshot('settings-error');

    await tid('assistant-llm-baseUrl').fill('http://127.0.0.1:9/v1');
    await tid('assistant-api-key-replace').click();
    await tid('assistant-api-key-input').fill(SECRET);
    expect(await tid('assistant-api-key-input').getAttribute('type')).toBe('password');
    // Back to the embedded provider: the endpoint and the key are kept for later.
    await tid('assistant-provider-embedded').check();
    await tid('assistant-settings-save').click();
    await expect.poll(() => tid('assistant-settings-status').getAttribute('data-state'), { timeout: 10_000 }).toBe('saved');
    const stored = (await rest('GET', '/api/settings/assistant')) as { provider: string; hasApiKey: boolean; llm: { baseUrl: string } | null };
    expect(stored).toMatchObject({ provider: 'embedded', hasApiKey: true, llm: { baseUrl: 'http://127.0.0.1:9/v1' } });
    expect(JSON.stringify(stored)).not.toContain(SECRET);

    await tid('assistant-provider-llm').check();
    expect(await tid('assistant-api-key-state').getAttribute('data-stored')).toBe('true');
    expect(await tid('assistant-api-key-input').count()).toBe(0);
    expect(await tid('assistant-llm-baseUrl').inputValue()).toBe('http://127.0.0.1:9/v1');
    // Not in the page, not in any input, not after a reload.
    expect(await page.content()).not.toContain(SECRET);
    await page.reload();
    await expect.poll(() => tid('assistant-settings').count(), { timeout: 15_000 }).toBe(1);
    await tid('assistant-provider-llm').check();
    expect(await tid('assistant-api-key-state').getAttribute('data-stored')).toBe('true');
    expect(await page.content()).not.toContain(SECRET);
    await screenshot('settings-key');
    await tid('assistant-provider-embedded').check();
  });

  it('adds a FAQ entry in zh-CN and en (keywords as chips) and sees it in the list', async () => {
    await expect.poll(() => tid('faq-add').isEnabled(), { timeout: 10_000 }).toBe(true);
    expect(await tid('faq-count').textContent()).toMatch(/^\d+ of 500 entries$/);
    const before = Number((await tid('faq-count').textContent())!.split(' ')[0]);
    await tid('faq-add').click();
    // An empty entry is refused at its fields first.
    await tid('faq-save').click();
    await expect.poll(() => page.locator('[data-testid="field-error"][data-field="question.zh-CN"]').count()).toBe(1);
    await tid('faq-question-zh-CN').fill(FAQ.question['zh-CN']);
    await tid('faq-question-en').fill(FAQ.question.en);
    await tid('faq-answer-zh-CN').fill(FAQ.answer['zh-CN']);
    await tid('faq-answer-en').fill(FAQ.answer.en);
    for (const k of FAQ.keywords) {
      await tid('faq-keyword-input').fill(k);
      await tid('faq-keyword-input').press('Enter');
    }
    expect(await tid('faq-form-keyword').allTextContents()).toEqual(FAQ.keywords.map((k) => `${k}×`));
    await screenshot('faq-form');
    await tid('faq-save').click();
    await expect.poll(() => tid('faq-form').count(), { timeout: 10_000 }).toBe(0);
    expect(await tid('faq-notice').textContent()).toBe('FAQ entry saved');
    const row = tid('faq-row').filter({ hasText: FAQ.question.en });
    await expect.poll(() => row.count()).toBe(1);
    expect(await row.getByTestId('faq-row-question-zh-CN').textContent()).toBe(FAQ.question['zh-CN']);
    expect(await row.getByTestId('faq-row-answer-en').textContent()).toBe(FAQ.answer.en);
    expect(await row.getByTestId('faq-keyword').allTextContents()).toEqual(FAQ.keywords);
    expect(await tid('faq-count').textContent()).toBe(`${before + 1} of 500 entries`);
    const listed = (await rest('GET', '/api/faq')) as { items: { id: string; question: Record<string, string>; keywords: string[] }[] };
    const stored = listed.items.find((e) => e.question.en === FAQ.question.en);
    expect(stored).toMatchObject({ question: FAQ.question, keywords: FAQ.keywords });
    expect(await row.getAttribute('data-faq-id')).toBe(stored?.id);
  });

  it('tries a question in the Try box and gets that FAQ answer', async () => {
    const id = await tid('faq-row').filter({ hasText: FAQ.question.en }).getAttribute('data-faq-id');
    await tid('assistant-try-question').fill('Can I bring my dog into the shop?');
    await tid('assistant-try-ask').click();
    await expect.poll(() => tid('assistant-try-answer').count(), { timeout: 15_000 }).toBe(1);
    expect(await tid('assistant-try-answer').textContent()).toContain('Well-behaved dogs are welcome');
    expect(await tid('assistant-try-reply').getAttribute('data-faq-id')).toBe(id);
    await tid('assistant-try-question').fill('可以带狗进店吗');
    await tid('assistant-try-ask').click();
    await expect.poll(() => tid('assistant-try-answer').textContent(), { timeout: 15_000 }).toContain('欢迎乖巧的狗狗');
    await screenshot('try');
  });

  it('queues a customer who says 转人工 with the reason and their text; the nav counts it', async () => {
    customer = createVitrineClient({ url: server.url, shop: 'demo', identity: { name: CUSTOMER } });
    const deadline = Date.now() + 15_000;
    while (!customer.$conversation.get() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    const handle = customer.$conversation.get();
    if (!handle) throw new Error(`the customer did not get a conversation (${customer.$connection.get()})`);
    conversation = handle;
    handle.$assistant.subscribe((s) => {
      if (s) assistantStates.push(s);
    });
    await expect.poll(() => handle.$assistant.get()?.mode, { timeout: 10_000 }).toBe('assistant');
    await handle.send('Do you ship with SF Express? How much is delivery?');
    await expect.poll(() => aiReplies().length, { timeout: 20_000 }).toBe(1);
    expect(aiReplies()[0].text).toMatch(/SF Express/);
    await handle.send('转人工');
    await expect.poll(() => handle.$assistant.get()?.handoff?.reason, { timeout: 20_000 }).toBe('customer_asked');
    expect(handle.$assistant.get()?.mode).toBe('human');

    await expect.poll(() => tid('handoff-count').textContent(), { timeout: 15_000 }).toBe('1');
    await tid('nav-handoffs').click();
    const rowById = page.locator(`[data-testid="handoff-row"][data-conversation-id="${handle.id}"]`);
    await expect.poll(() => rowById.count(), { timeout: 15_000 }).toBe(1);
    expect(await rowById.getAttribute('data-reason')).toBe('customer_asked');
    expect(await rowById.getByTestId('handoff-reason').textContent()).toBe('customer asked for a person');
    expect(await rowById.getByTestId('handoff-text').textContent()).toBe('Customer: 转人工');
    expect(await rowById.getByTestId('handoff-waiting').textContent()).toMatch(/^waiting \d+ s$/);
    expect(await rowById.getByTestId('handoff-open-name').textContent()).toBe(CUSTOMER);
    await screenshot('queue');
  });

  it('opens it: the AI transcript is labelled AI, the header says who waits; Take over reaches the customer and empties the queue', async () => {
    const id = conversation.id;
    await page.locator(`[data-testid="handoff-row"][data-conversation-id="${id}"]`).getByTestId('handoff-open').click();
    await expect.poll(() => tid('conversation').getAttribute('data-conversation-id'), { timeout: 10_000 }).toBe(id);
    await expect.poll(() => page.locator('[data-testid="message-bubble"][data-ai="true"]').count(), { timeout: 10_000 }).toBeGreaterThanOrEqual(2);
    expect(await tid('ai-label').count()).toBeGreaterThanOrEqual(1);
    expect((await tid('ai-label').first().textContent())?.trim()).toBe('AI');
    const bubbles = await page.locator('[data-testid="message-bubble"][data-ai="true"]').allTextContents();
    expect(bubbles.join('\n')).toMatch(/SF Express/);
    expect(await tid('assistant-state').getAttribute('data-mode')).toBe('waiting');
    expect(await tid('assistant-state').textContent()).toBe('Waiting for a person — customer asked for a person');
    expect(await tid('reply-takeover-note').count()).toBe(1);
    // The inbox marks the conversation as waiting.
    expect(await page.locator(`[data-testid="conversation-row"][data-conversation-id="${id}"] [data-testid="conversation-waiting"]`).count()).toBe(1);
    await screenshot('conversation-waiting');

    await tid('assistant-take-over').click();
    await expect.poll(() => conversation.$assistant.get()?.takeover?.agentName ?? null, { timeout: 10_000 }).not.toBeNull();
    const taken = conversation.$assistant.get()!;
    expect(taken).toMatchObject({ mode: 'human', handoff: null });
    expect(assistantStates.some((s) => s.takeover !== null)).toBe(true);
    await expect.poll(() => tid('assistant-state').getAttribute('data-mode'), { timeout: 10_000 }).toBe('takeover');
    expect(await tid('assistant-state').textContent()).toBe('Taken over by you');
    expect(await tid('assistant-take-over').count()).toBe(0);
    expect(await tid('assistant-hand-back').count()).toBe(1);
    expect(await tid('reply-takeover-note').count()).toBe(0);
    await expect.poll(() => tid('handoff-count').count(), { timeout: 10_000 }).toBe(0);
    // The inbox row follows the take-over (assistant:update), before any reply.
    await expect.poll(() => page.locator(`[data-testid="conversation-row"][data-conversation-id="${id}"] [data-testid="conversation-waiting"]`).count(), { timeout: 10_000 }).toBe(0);
    const queue = (await rest('GET', '/api/assistant/handoffs')) as { items: { conversationId: string }[] };
    expect(queue.items.map((i) => i.conversationId)).not.toContain(id);

    await tid('reply-input').fill('Hi! This is Lucy from the shop, how can I help?');
    await tid('reply-send').click();
    await expect
      .poll(() => conversation.$messages.get().some((m) => m.author.role === 'agent' && m.text === 'Hi! This is Lucy from the shop, how can I help?'), { timeout: 10_000 })
      .toBe(true);
    await screenshot('conversation-takeover');

    await tid('nav-handoffs').click();
    await expect.poll(() => tid('handoffs-empty').count(), { timeout: 10_000 }).toBe(1);
    await screenshot('queue-empty');
  });

  it('the taken-over conversation gets no AI reply; handing back lets the AI answer again', async () => {
    const before = aiReplies().length;
    await conversation.send('Can I bring my dog?');
    // The agent answers now: give a streamed reply (5 ms pace) ample time to appear if it wrongly would.
    await new Promise((r) => setTimeout(r, 1500));
    expect(aiReplies().length).toBe(before);

    await page.goBack();
    await expect.poll(() => tid('assistant-hand-back').count(), { timeout: 10_000 }).toBe(1);
    await tid('assistant-hand-back').click();
    await expect.poll(() => conversation.$assistant.get()?.mode, { timeout: 10_000 }).toBe('assistant');
    await expect.poll(() => tid('assistant-state').getAttribute('data-mode'), { timeout: 10_000 }).toBe('ai');
    // Record the text lengths of streaming AI bubbles as the console renders them.
    await page.evaluate(() => {
      const w = window as unknown as { streamed: number[] };
      w.streamed = [];
      new MutationObserver(() => {
        for (const el of document.querySelectorAll('[data-testid="message-bubble"][data-ai="true"][data-streaming="true"]')) w.streamed.push(el.textContent?.length ?? 0);
      }).observe(document.body, { subtree: true, childList: true, characterData: true, attributes: true });
    });
    await conversation.send('Can I bring my dog to the boutique?');
    await expect.poll(() => aiReplies().length, { timeout: 20_000 }).toBe(before + 1);
    // It was shown growing (several lengths while streaming), then final (no bubble streaming any more).
    const streamed = await page.evaluate(() => (window as unknown as { streamed: number[] }).streamed);
    expect(new Set(streamed).size).toBeGreaterThan(2);
    await expect.poll(() => page.locator('[data-testid="message-bubble"][data-streaming="true"]').count(), { timeout: 10_000 }).toBe(0);
    expect(aiReplies().at(-1)?.text).toContain('Well-behaved dogs are welcome');
    await expect.poll(() => page.locator('[data-testid="message-bubble"][data-ai="true"]').last().textContent(), { timeout: 10_000 }).toContain('Well-behaved dogs');
  });

  it('shows the assistant pages in zh-CN', async () => {
    await tid('locale-switch').selectOption('zh-CN');
    await expect.poll(() => tid('nav-assistant').textContent()).toBe('AI 助手');
    expect(await tid('nav-handoffs').textContent()).toBe('转人工');
    expect(await tid('assistant-state').textContent()).toBe('AI 回答中');
    await tid('nav-assistant').click();
    await expect.poll(() => tid('faq-count').textContent(), { timeout: 10_000 }).toMatch(/^\d+ \/ 500 条$/);
    await screenshot('page-zh');
    await tid('locale-switch').selectOption('en');
    // `#/faq` is the same page.
    await tid('nav-inbox').click();
    await expect.poll(() => tid('assistant-page').count()).toBe(0);
    await page.evaluate(() => {
      window.location.hash = '#/faq';
    });
    await expect.poll(() => tid('faq-editor').count(), { timeout: 10_000 }).toBe(1);
    expect(await tid('nav-assistant').getAttribute('aria-current')).toBe('page');
  });

  it('had no dialogs and no page errors', () => {
    expect(dialogs).toEqual([]);
    expect(pageErrors).toEqual([]);
  });
});
