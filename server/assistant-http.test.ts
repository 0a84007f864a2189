/**
 * REST of the assistant over a real server on 127.0.0.1: settings (the key never returned), FAQ
 * CRUD with validation and 404s, the hand-off queue, `try` with the shop's provider (nothing
 * stored); agent auth and shop isolation; the demo seed (assistant on, FAQ, staff changes kept).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LIMITS } from '../src/protocol/limits.js';
import { DEMO_FAQ } from './assistant/demo-faq.js';
import { createAgent, createShop, DEMO, seedDemo, startServer, type RunningServer } from './app.js';
import { hashToken } from './security.js';

let server: RunningServer;
const tokens: Record<string, string> = {};

beforeAll(async () => {
  server = await startServer({ port: 0, dataDir: 'memory://', quiet: true, assistantPaceMs: 0 });
  for (const shop of ['ai', 'other']) {
    await createShop(server.store, { id: shop, name: `Shop ${shop}`, locale: 'en' });
    await createAgent(server.store, { shop, email: `owner@${shop}.test`, name: 'Owner', password: 'open-sesame' });
    const res = await fetch(`${server.url}/api/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: `owner@${shop}.test`, password: 'open-sesame', shop }),
    });
    tokens[shop] = ((await res.json()) as { token: string }).token;
  }
  await server.store.upsertProduct('ai', {
    id: 'pearl-studs',
    title: { en: 'Pearl studs', 'zh-CN': '珍珠耳钉' },
    price: { amount: 39900, currency: 'CNY' },
    tags: ['earrings', 'pearl'],
  });
});

afterAll(async () => {
  await server?.close();
});

// eslint-disable-next-line @typescript-eslint/no-explicit-any
async function api(path: string, init: { method?: string; body?: unknown; raw?: string; shop?: string; token?: string | null } = {}): Promise<{ status: number; body: any; text: string }> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  const token = init.token === undefined ? tokens[init.shop ?? 'ai'] : init.token;
  if (token) headers.authorization = `Bearer ${token}`;
  const res = await fetch(`${server.url}${path}`, {
    method: init.method ?? 'GET',
    headers,
    body: init.raw ?? (init.body === undefined ? undefined : JSON.stringify(init.body)),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null, text };
}

const FAQ = { question: { en: 'Do you ship abroad?', 'zh-CN': '可以寄到国外吗？' }, answer: { en: 'Yes, to 30 countries.', 'zh-CN': '可以，支持 30 个国家。' }, keywords: ['shipping abroad', '海外'] };

describe('assistant REST', () => {
  it('needs an agent token of the shop', async () => {
    for (const path of ['/api/settings/assistant', '/api/faq', '/api/assistant/handoffs']) {
      const res = await api(path, { token: null });
      expect(res.status, path).toBe(401);
      expect(res.body.error.code).toBe('unauthorized');
      expect((await api(path, { token: 'forged' })).status).toBe(401);
    }
    expect((await api('/api/assistant/try', { method: 'POST', body: { question: 'hi' }, token: null })).status).toBe(401);
  });

  it('settings: off by default; saved; the API key is never returned; invalid input names the field', async () => {
    expect((await api('/api/settings/assistant')).body).toEqual({ enabled: false, provider: 'embedded', llm: null, hasApiKey: false });
    const llm = { baseUrl: 'http://127.0.0.1:9/v1', model: 'tiny', timeoutMs: 2000 };
    const put = await api('/api/settings/assistant', { method: 'PUT', body: { enabled: true, provider: 'llm', llm, apiKey: 'sk-very-secret' } });
    expect(put.status).toBe(200);
    expect(put.body).toEqual({ enabled: true, provider: 'llm', llm, hasApiKey: true });
    const got = await api('/api/settings/assistant');
    expect(got.text).not.toContain('sk-very-secret');
    expect(got.body.hasApiKey).toBe(true);
    const bad = await api('/api/settings/assistant', { method: 'PUT', body: { enabled: true, provider: 'llm' } });
    expect(bad.status).toBe(400);
    expect(bad.body.error).toMatchObject({ code: 'invalid_payload', message: expect.stringMatching(/^llm/) });
    const badUrl = await api('/api/settings/assistant', { method: 'PUT', body: { enabled: true, provider: 'llm', llm: { ...llm, baseUrl: 'ftp://x' } } });
    expect(badUrl.status).toBe(400);
    expect((await api('/api/settings/assistant', { method: 'PUT', raw: '{oops' })).status).toBe(400);
    expect((await api('/api/settings/assistant', { method: 'DELETE' })).status).toBe(405);
    // The other shop is untouched.
    expect((await api('/api/settings/assistant', { shop: 'other' })).body.enabled).toBe(false);
    const back = await api('/api/settings/assistant', { method: 'PUT', body: { enabled: true, provider: 'embedded', apiKey: null } });
    expect(back.body).toEqual({ enabled: true, provider: 'embedded', llm, hasApiKey: false });
  });

  it('FAQ: create, list, update, delete; validation; 404s; shop isolation', async () => {
    const created = await api('/api/faq', { method: 'POST', body: FAQ });
    expect(created.status).toBe(201);
    const entry = created.body.entry;
    expect(entry).toMatchObject({ question: FAQ.question, answer: FAQ.answer, keywords: FAQ.keywords });
    expect((await api('/api/faq')).body.items.map((e: { id: string }) => e.id)).toContain(entry.id);
    expect((await api('/api/faq', { shop: 'other' })).body.items).toEqual([]);
    const updated = await api(`/api/faq/${entry.id}`, { method: 'PUT', body: { ...FAQ, answer: { en: 'Yes.' } } });
    expect(updated.status).toBe(200);
    expect(updated.body.entry.answer).toEqual({ en: 'Yes.' });
    const invalid = await api('/api/faq', { method: 'POST', body: { question: { en: 'x'.repeat(LIMITS.faqQuestionMaxLength + 1) }, answer: { en: 'a' } } });
    expect(invalid.status).toBe(400);
    expect(invalid.body.error.message).toMatch(/^question/);
    expect((await api('/api/faq', { method: 'POST', body: { question: { en: 'q' } } })).status).toBe(400);
    expect((await api('/api/faq', { method: 'POST', body: [] })).status).toBe(400);
    expect((await api(`/api/faq/${entry.id}`, { method: 'PUT', body: FAQ, shop: 'other' })).status).toBe(404);
    expect((await api(`/api/faq/${entry.id}`, { method: 'DELETE', shop: 'other' })).status).toBe(404);
    expect((await api('/api/faq/no%20such', { method: 'DELETE' })).status).toBe(404);
    expect((await api(`/api/faq/${entry.id}`, { method: 'DELETE' })).status).toBe(204);
    expect((await api(`/api/faq/${entry.id}`, { method: 'DELETE' })).status).toBe(404);
    expect((await api(`/api/faq/${entry.id}`, { method: 'PUT', body: FAQ })).status).toBe(404);
  });

  it('try: the configured provider answers from the FAQ and catalogue; nothing is stored', async () => {
    await server.store.assistant.seedFaq('ai', DEMO_FAQ);
    const before = await server.store.db.query<{ n: number }>('SELECT count(*)::int AS n FROM messages');
    const faq = await api('/api/assistant/try', { method: 'POST', body: { question: 'What is your return policy?' } });
    expect(faq.status).toBe(200);
    expect(faq.body.reply).toMatchObject({ ai: { provider: 'embedded', source: 'faq', faqId: 'faq-returns' } });
    expect(typeof faq.body.reply.text).toBe('string');
    expect(faq.body.reply.text.length).toBeGreaterThan(0);
    expect(Array.isArray(faq.body.reply.products)).toBe(true);
    const cards = await api('/api/assistant/try', { method: 'POST', body: { question: 'pearl studs', locale: 'en' } });
    expect(cards.status).toBe(200);
    expect(cards.body.reply.products.map((p: { id: string }) => p.id)).toContain('pearl-studs');
    const after = await server.store.db.query<{ n: number }>('SELECT count(*)::int AS n FROM messages');
    expect(after[0].n).toBe(before[0].n);
    // provider 'llm' with an endpoint that refuses connections: the embedded provider answers instead.
    await api('/api/settings/assistant', { method: 'PUT', body: { enabled: true, provider: 'llm', llm: { baseUrl: 'http://127.0.0.1:9/v1', model: 'm', timeoutMs: 1000 } } });
    const fallback = await api('/api/assistant/try', { method: 'POST', body: { question: 'What is your return policy?' } });
    expect(fallback.status).toBe(200);
    expect(fallback.body.reply.ai).toMatchObject({ source: 'faq', faqId: 'faq-returns', fallback: true });
    await api('/api/settings/assistant', { method: 'PUT', body: { enabled: true, provider: 'embedded' } });
    expect((await api('/api/assistant/try', { method: 'POST', body: { question: '' } })).status).toBe(400);
    expect((await api('/api/assistant/try', { method: 'POST', body: { question: 'hi', locale: 'fr' } })).status).toBe(400);
    expect((await api('/api/assistant/try')).status).toBe(405);
  });

  it('hand-off queue: pending hand-offs not taken over, oldest first, with the last customer text', async () => {
    await api('/api/settings/assistant', { method: 'PUT', body: { enabled: true, provider: 'embedded' } });
    const ids: string[] = [];
    for (const [i, text] of ['first customer', 'second customer', 'third customer'].entries()) {
      const { visitor, conversation } = await server.store.createVisitor('ai', hashToken(`q-${i}`), { name: `C${i}` });
      await server.store.sendMessage(conversation.id, `x${i}`, { role: 'visitor', id: visitor.id, name: `C${i}` }, text);
      await server.store.assistant.handoff(conversation.id, i === 0 ? 'customer_asked' : 'no_answer');
      ids.push(conversation.id);
    }
    await server.store.assistant.takeOver(ids[1], { id: 'a1', name: 'Lin' });
    const queue = await api('/api/assistant/handoffs');
    expect(queue.status).toBe(200);
    expect(queue.body.items.map((x: { conversationId: string }) => x.conversationId)).toEqual([ids[0], ids[2]]);
    expect(queue.body.items[0]).toMatchObject({ visitorName: 'C0', handoff: { reason: 'customer_asked' }, lastCustomerText: 'first customer' });
    expect((await api('/api/assistant/handoffs', { shop: 'other' })).body.items).toEqual([]);
    expect((await api('/api/assistant/handoffs', { method: 'POST' })).status).toBe(405);
  });

  it('demo seed: the demo shop gets the assistant on and the demo FAQ, without overwriting what staff saved', async () => {
    await seedDemo(server.store);
    expect(await server.store.assistant.getSettings(DEMO.shop.id)).toMatchObject({ enabled: true, provider: 'embedded' });
    expect((await server.store.assistant.listFaq(DEMO.shop.id)).map((e) => e.id)).toEqual(DEMO_FAQ.map((e) => e.id));
    await server.store.assistant.putSettings(DEMO.shop.id, { enabled: false, provider: 'embedded' });
    await server.store.assistant.deleteFaq(DEMO.shop.id, DEMO_FAQ[0].id);
    await seedDemo(server.store);
    expect((await server.store.assistant.getSettings(DEMO.shop.id)).enabled).toBe(false);
  });
});
