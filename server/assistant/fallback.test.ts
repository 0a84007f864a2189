/**
 * withFallback(llm, embedded): every failure of a real endpoint (./openai-test-server.ts on
 * 127.0.0.1) ends in the embedded provider's reply with `fallback: true`, the streamed text reset;
 * the caller's abort does not fall back. The API key never reaches the log.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { FaqEntry } from '../../src/protocol/assistant.js';
import type { Product } from '../../src/protocol/catalogue.js';
import { DEMO_FAQ } from './demo-faq.js';
import { createEmbeddedProvider } from './embedded.js';
import { withFallback } from './fallback.js';
import { createLlmProvider } from './llm.js';
import { startOpenAiTestServer, type BehaviourName, type OpenAiTestServer } from './openai-test-server.js';
import type { AssistantProvider, AssistantRequest, KnowledgeSearch } from './provider.js';
import { createKnowledgeSearch } from './retrieval.js';

const NOW = '2026-11-23T18:00:00.000Z';
const products: Product[] = (JSON.parse(readFileSync(new URL('../demo-catalogue.json', import.meta.url), 'utf8')) as Omit<Product, 'updatedAt'>[]).map((p) => ({ ...p, updatedAt: NOW }));
const faq: FaqEntry[] = DEMO_FAQ.map((f) => ({ ...f, keywords: f.keywords ?? [], updatedAt: NOW }));
const search: KnowledgeSearch = createKnowledgeSearch({ shopId: 'demo', shopName: 'Maison Lumière', products, faq });
const KEY = 'sk-fallback-secret-42';

let server: OpenAiTestServer;
let logs: string[];
let provider: AssistantProvider;
const embedded = createEmbeddedProvider({ paceMs: 0 });

beforeAll(async () => {
  server = await startOpenAiTestServer();
});
afterAll(async () => {
  await server.close();
});
beforeEach(() => {
  logs = [];
  server.behave('answer');
  provider = withFallback(createLlmProvider({ baseUrl: server.url, model: 'vitrine-test', apiKey: KEY, timeoutMs: 1000 }), embedded, (m) => logs.push(m));
});

function trial(question: string) {
  const controller = new AbortController();
  const t = {
    controller,
    text: '',
    /** Everything streamed, resets included, in order. */
    events: [] as string[],
    resets: 0,
    req: undefined as unknown as AssistantRequest,
  };
  t.req = {
    question,
    history: [],
    locale: /[\u3400-\u9fff]/.test(question) ? 'zh-CN' : 'en',
    search,
    staffOnline: true,
    signal: controller.signal,
    onDelta: (d) => {
      t.text += d;
      t.events.push(d);
    },
    onReset: () => {
      t.resets++;
      t.text = '';
      t.events.push('<reset>');
    },
  };
  return t;
}

describe('withFallback', () => {
  it('keeps the primary name and passes a good reply through untouched', async () => {
    expect(provider.name).toBe('llm');
    const t = trial('pearl earrings');
    const reply = await provider.reply(t.req);
    expect(reply.meta).toEqual({ source: 'llm', provider: 'llm' });
    expect(reply.meta.fallback).toBeUndefined();
    expect(t.resets).toBe(0);
    expect(logs).toEqual([]);
  });

  const failures: BehaviourName[] = ['hang-before-first-byte', 'hang-mid-stream', 'http-500', 'malformed', 'disconnect-mid-stream', 'invent-price'];
  for (const behaviour of failures) {
    it(`${behaviour}: the embedded provider answers with fallback: true, the streamed text reset`, async () => {
      server.behave(behaviour);
      const t = trial('有没有珍珠耳钉');
      const reply = await provider.reply(t.req);
      expect(reply.meta.fallback).toBe(true);
      expect(reply.meta.provider).toBe('embedded');
      expect(t.resets).toBe(1);
      if (behaviour === 'hang-mid-stream' || behaviour === 'disconnect-mid-stream' || behaviour === 'invent-price') {
        expect(t.events.indexOf('<reset>'), 'the endpoint streamed text before it failed').toBeGreaterThan(0);
      }
      // After the reset only the fallback's text was streamed, and it is the reply.
      expect(t.text).toBe(reply.text);
      expect(reply.text.length).toBeGreaterThan(0);
      expect(reply.productIds).toContain('perle-studs');
      expect(logs).toHaveLength(1);
      expect(logs[0]).toMatch(/llm failed, embedded answers/);
      expect(logs.join('\n')).not.toContain(KEY);
    });
  }

  it('the endpoint down (connection refused) -> fallback', async () => {
    const gone = await startOpenAiTestServer();
    const url = gone.url;
    await gone.close();
    const p = withFallback(createLlmProvider({ baseUrl: url, model: 'm', apiKey: KEY, timeoutMs: 1000 }), embedded, (m) => logs.push(m));
    const reply = await p.reply(trial('returns?').req);
    expect(reply.meta.fallback).toBe(true);
    expect(logs.join('\n')).toMatch(/network|failed/);
    expect(logs.join('\n')).not.toContain(KEY);
  });

  it('the caller aborting is no failure: rethrown as AbortError, no fallback, no reset', async () => {
    server.behave('hang-before-first-byte');
    const p = withFallback(createLlmProvider({ baseUrl: server.url, model: 'm', apiKey: KEY, timeoutMs: 15_000 }), embedded, (m) => logs.push(m));
    const t = trial('hello');
    setTimeout(() => t.controller.abort(), 50);
    const err = await p.reply(t.req).then(
      () => null,
      (e: Error) => e,
    );
    expect(err?.name).toBe('AbortError');
    expect(t.resets).toBe(0);
    expect(logs).toEqual([]);
  });

  it('a failing fallback propagates its error', async () => {
    server.behave('http-500');
    const broken: AssistantProvider = {
      name: 'broken',
      reply: () => Promise.reject(new Error('fallback down')),
    };
    const p = withFallback(createLlmProvider({ baseUrl: server.url, model: 'm', apiKey: KEY, timeoutMs: 1000 }), broken);
    await expect(p.reply(trial('hello').req)).rejects.toThrow('fallback down');
  });
});
