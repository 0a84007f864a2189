/**
 * Shared pieces of the real-Chromium fault scenarios (browser-*.test.ts): the reference server as a
 * child process (`--demo`: shop `demo`, agent owner@demo.shop), Debian Chromium through
 * playwright-core, the widget driven like a customer, and an agent client reading the server's truth.
 * Needs the built files in dist/ (`node scripts/build.mjs`; `npm test` builds first).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { expect } from 'vitest';
import { CHROMIUM_ARGS, ensureChromium } from '../../scripts/ensure-chromium.mjs';
import { createVitrineClient, type ChatMessage, type VitrineClient } from '../../src/index.js';
import { freePort, startServerProcess, type ServerProcess } from '../support/server-process.js';

export const DEMO_AGENT = { email: 'owner@demo.shop', password: 'vitrine-demo' };

/** A server process that can be stopped and started again on the same port and data. */
export class RestartableServer {
  private proc: ServerProcess | null = null;
  private constructor(
    readonly port: number,
    readonly dataDir: string,
  ) {}

  static async start(): Promise<RestartableServer> {
    const server = new RestartableServer(await freePort(), mkdtempSync(join(tmpdir(), 'vitrine-faults-browser-')));
    await server.restart();
    return server;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  async stop(): Promise<void> {
    await this.proc?.stop();
    this.proc = null;
  }

  async restart(): Promise<number> {
    const t0 = Date.now();
    this.proc = await startServerProcess({ port: this.port, dataDir: this.dataDir });
    return Date.now() - t0;
  }

  async dispose(): Promise<void> {
    await this.stop();
    rmSync(this.dataDir, { recursive: true, force: true });
  }
}

/**
 * Pages served from the route cache below have no network address, so Chromium's Local Network
 * Access checks would treat them as public and block their sockets to 127.0.0.1: switched off here.
 */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: ensureChromium(),
    args: [...CHROMIUM_ARGS, '--disable-features=LocalNetworkAccessChecks,LocalNetworkAccessChecksWebSockets'],
    headless: true,
  });
}

/**
 * The shop's pages live on the shop's own host, not on the chat server: serve every non-Socket.IO
 * request of the server's origin from a cache (filled on first load), so a page can be (re)loaded
 * while the chat server is down. Socket.IO traffic goes to the real server.
 */
export async function cacheShopPages(context: BrowserContext, origin: string): Promise<void> {
  const cache = new Map<string, { status: number; headers: Record<string, string>; body: Buffer }>();
  await context.route(`${origin}/**`, async (route) => {
    const url = new URL(route.request().url());
    if (url.pathname.startsWith('/socket.io') || url.pathname.startsWith('/api/')) return route.continue();
    const key = url.pathname + url.search;
    let hit = cache.get(key);
    if (!hit) {
      const res = await route.fetch();
      hit = { status: res.status(), headers: res.headers(), body: await res.body() };
      if (res.ok()) cache.set(key, hit);
    }
    await route.fulfill(hit);
  });
}

/** Collects page errors (connection refusals while the server is down are expected noise). */
export function watchErrors(page: Page, into: string[]): void {
  page.on('pageerror', (e) => into.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error' && !/ERR_CONNECTION_REFUSED|WebSocket connection|Failed to load resource/.test(m.text())) into.push(`console: ${m.text()}`);
  });
}

export const chat = (page: Page, selector: string) => page.locator(`vitrine-chat ${selector}`);

/** Opens the chat the way a customer does (the loader's launcher, or the widget's once loaded). */
export async function openChat(page: Page): Promise<void> {
  const loaderLauncher = page.locator('vitrine-loader [part="launcher"]');
  if (await loaderLauncher.count()) await loaderLauncher.click();
  else if (!(await chat(page, '[part="panel"]').isVisible())) await chat(page, '[part="launcher"]').click();
  await expect.poll(() => chat(page, '[part="panel"]').isVisible(), { timeout: 15_000 }).toBe(true);
}

export async function closeChat(page: Page): Promise<void> {
  if (await chat(page, '[part="panel"]').isVisible()) await chat(page, '[part="launcher"]').click();
  await expect.poll(() => chat(page, '[part="panel"]').isVisible()).toBe(false);
}

export async function typeAndSend(page: Page, text: string): Promise<void> {
  const input = chat(page, '[part="input"]');
  await input.fill(text);
  await input.press('Enter');
  await expect.poll(() => input.inputValue()).toBe('');
}

export const connectionState = (page: Page) => chat(page, '[part="connection"]').getAttribute('data-state');

/** The own messages the page shows: text and delivery status, in display order. */
export function shownMine(page: Page): Promise<{ text: string; status: string | null }[]> {
  return chat(page, '[part~="message-mine"]').evaluateAll((nodes) =>
    nodes.map((n) => ({ text: n.querySelector('[part="bubble"]')?.textContent ?? '', status: n.getAttribute('data-status') })),
  );
}

/** The widget client's session in `page` (conversation id, visitor id). */
export function pageSession(page: Page): Promise<{ conversationId: string | null; userId: string } | null> {
  return page.evaluate(() => {
    const el = document.querySelector('vitrine-chat') as unknown as {
      activeClient: { $session: { get(): { userId: string; conversation: { id: string } | null } | null } } | null;
    } | null;
    const s = el?.activeClient?.$session.get();
    return s ? { conversationId: s.conversation?.id ?? null, userId: s.userId } : null;
  });
}

/** Counts every `message:send` frame the page's sockets send, by text (one sender per message). */
export function countSends(page: Page, into: Map<string, number>): void {
  page.on('websocket', (ws) => {
    ws.on('framesent', (frame) => {
      const data = typeof frame.payload === 'string' ? frame.payload : frame.payload.toString();
      const m = /^42(?:\/[^,]*,)?\d*\["message:send",(.*)\]$/s.exec(data);
      if (!m) return;
      const payload = JSON.parse(m[1]) as { text?: string };
      if (payload.text) into.set(payload.text, (into.get(payload.text) ?? 0) + 1);
    });
  });
}

/** An agent of the demo shop over the real protocol (Node client). */
export async function demoAgent(url: string): Promise<VitrineClient> {
  const res = await fetch(`${url}/api/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(DEMO_AGENT),
  });
  if (!res.ok) throw new Error(`agent login failed: ${res.status}`);
  const { token } = (await res.json()) as { token: string };
  const agent = createVitrineClient({ url, shop: 'demo', role: 'agent', token });
  await expect.poll(() => agent.$connection.get(), { timeout: 15_000 }).toBe('online');
  return agent;
}

/** What the server stored in a conversation, in seq order (read by a fresh agent connection). */
export async function storedHistory(url: string, conversationId: string, expectAtLeast: number): Promise<ChatMessage[]> {
  const agent = await demoAgent(url);
  try {
    const handle = agent.conversation(conversationId);
    await expect.poll(() => handle.$messages.get().length, { timeout: 15_000 }).toBeGreaterThanOrEqual(expectAtLeast);
    await new Promise((r) => setTimeout(r, 300)); // anything more would have arrived with the same page
    return handle.$messages.get();
  } finally {
    agent.destroy();
  }
}

/** Checks a history is exactly-once and gap-free, and returns its texts in seq order. */
export function checkHistory(messages: readonly ChatMessage[]): string[] {
  const seqs = messages.map((m) => m.seq);
  expect(seqs).toEqual(seqs.map((_, i) => (seqs[0] ?? 1) + i));
  const clientIds = messages.map((m) => m.clientId);
  expect(new Set(clientIds).size).toBe(clientIds.length);
  return messages.map((m) => m.text ?? '');
}
