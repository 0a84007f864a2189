/**
 * The `llm` provider against a real OpenAI-compatible HTTP server on 127.0.0.1
 * (./openai-test-server.ts): streaming, tool round trips, timeouts, broken endpoints, abort, the
 * invented-price guard, hand-off, and the API key. Knowledge: the demo catalogue and FAQ searched by
 * the real retrieval (./retrieval.ts).
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { FaqEntry } from '../../src/protocol/assistant.js';
import type { Product } from '../../src/protocol/catalogue.js';
import type { Message } from '../../src/protocol/types.js';
import { DEMO_FAQ } from './demo-faq.js';
import { createLlmProvider, LlmError, ThinkFilter, type LlmProviderOptions } from './llm.js';
import { startOpenAiTestServer, type OpenAiTestServer } from './openai-test-server.js';
import type { AssistantLocale, AssistantRequest, KnowledgeSearch } from './provider.js';
import { createKnowledgeSearch } from './retrieval.js';

const NOW = '2026-11-23T18:00:00.000Z';
const products: Product[] = (JSON.parse(readFileSync(new URL('../demo-catalogue.json', import.meta.url), 'utf8')) as Omit<Product, 'updatedAt'>[]).map((p) => ({ ...p, updatedAt: NOW }));
const faq: FaqEntry[] = DEMO_FAQ.map((f) => ({ ...f, keywords: f.keywords ?? [], updatedAt: NOW }));
const search: KnowledgeSearch = createKnowledgeSearch({ shopId: 'demo', shopName: 'Maison Lumière', products, faq });
const catalogueIds = new Set(products.map((p) => p.id));
const KEY = 'sk-test-0123456789abcdef';

let server: OpenAiTestServer;
beforeAll(async () => {
  server = await startOpenAiTestServer();
});
afterAll(async () => {
  await server.close();
});
beforeEach(() => {
  server.requests.length = 0;
  server.behave('answer');
});

interface Trial {
  req: AssistantRequest;
  deltas: string[];
  resets: number;
  controller: AbortController;
}

function trial(question: string, over: { locale?: AssistantLocale; history?: Message[]; staffOnline?: boolean } = {}): Trial {
  const controller = new AbortController();
  const t: Trial = {
    deltas: [],
    resets: 0,
    controller,
    req: {
      question,
      history: over.history ?? [],
      locale: over.locale ?? (/[\u3400-\u9fff]/.test(question) ? 'zh-CN' : 'en'),
      search,
      staffOnline: over.staffOnline ?? true,
      signal: controller.signal,
      onDelta: (d) => t.deltas.push(d),
      onReset: () => {
        t.resets++;
        t.deltas.length = 0;
      },
    },
  };
  return t;
}

function provider(over: Partial<LlmProviderOptions> = {}) {
  return createLlmProvider({ baseUrl: server.url, model: 'vitrine-test', apiKey: KEY, timeoutMs: 5000, ...over });
}

async function failure(p: Promise<unknown>): Promise<Error> {
  try {
    await p;
  } catch (err) {
    return err as Error;
  }
  throw new Error('expected the reply to fail');
}

interface SentMessage {
  role: string;
  content: string | null;
  tool_call_id?: string;
  tool_calls?: { id: string; function: { name: string; arguments: string } }[];
}
interface SentBody {
  model: string;
  stream: boolean;
  messages: SentMessage[];
  tools?: { function: { name: string } }[];
  tool_choice?: string;
}
const bodyOf = (i: number): SentBody => server.requests[i].body as SentBody;

describe('llm provider: streaming and the prompt', () => {
  it('streams tokens as deltas in order; they make the final text', async () => {
    server.behave({ name: 'text', text: 'Our pearl studs are freshwater pearls on S925 silver.' });
    const t = trial('what are the pearl studs made of?');
    const reply = await provider().reply(t.req);
    expect(t.deltas.length).toBeGreaterThan(5);
    expect(t.deltas.join('')).toBe('Our pearl studs are freshwater pearls on S925 silver.');
    expect(reply.text).toBe(t.deltas.join(''));
    expect(reply.meta).toEqual({ source: 'llm', provider: 'llm' });
    expect(reply.handoff).toBeUndefined();
  });

  it('a server answering one chat.completion JSON despite stream: true is understood', async () => {
    server.behave({ name: 'text', text: 'The Perle pearl studs are ¥459.00.', ignoreStream: true });
    const t = trial('pearl studs?');
    const reply = await provider({ maxToolRounds: 0 }).reply(t.req);
    expect(reply.text).toBe('The Perle pearl studs are ¥459.00.');
    expect(t.deltas).toEqual([reply.text]);
    expect(reply.productIds).toEqual(['perle-studs']);
  });

  it('a reasoning model\'s <think> block is not shown', async () => {
    server.behave({ name: 'text', text: '<think>The customer asks about pearls; the catalogue has Perle pearl studs.</think>\n\nYes, the Perle pearl studs.' });
    const t = trial('pearl studs?');
    const reply = await provider({ maxToolRounds: 0 }).reply(t.req);
    expect(reply.text).toBe('Yes, the Perle pearl studs.');
    expect(t.deltas.join('')).toBe(reply.text);
    expect(reply.productIds).toEqual(['perle-studs']);
  });

  it('posts a streamed chat completion: model, bearer key, system prompt with the shop and its hits, history, tools', async () => {
    server.behave({ name: 'text', text: 'Yes.' });
    const history: Message[] = [
      message(1, 'visitor', 'hi, do you ship to Shanghai?'),
      message(2, 'agent', 'Yes, we ship everywhere in China.'),
      { ...message(3, 'agent', ''), kind: 'product', product: snapshot(products[0]) },
    ];
    await provider().reply(trial('any pearl earrings?', { history }).req);
    expect(server.requests).toHaveLength(1);
    const { path, headers } = server.requests[0];
    expect(path).toBe('/v1/chat/completions');
    expect(headers.authorization).toBe(`Bearer ${KEY}`);
    expect(headers['content-type']).toMatch(/application\/json/);
    const body = bodyOf(0);
    expect(body.model).toBe('vitrine-test');
    expect(body.stream).toBe(true);
    const system = body.messages[0];
    expect(system.role).toBe('system');
    expect(system.content).toContain('Maison Lumière');
    expect(system.content).toContain('Reply in English');
    expect(system.content).toMatch(/never invent products, prices, stock/i);
    expect(system.content).toContain('"id":"perle-studs"');
    expect(system.content).toContain('"price":"CN¥459.00"');
    expect(body.messages.slice(1).map((m) => m.role)).toEqual(['user', 'assistant', 'assistant', 'user']);
    expect(body.messages[3].content).toContain('[product card: Étoile star necklace (id etoile-necklace');
    expect(body.messages[4].content).toBe('any pearl earrings?');
    expect(body.tools?.map((tool) => tool.function.name)).toEqual(['search_catalogue', 'handoff']);
    expect(body.tool_choice).toBe('auto');
  });

  it('asks for a Chinese reply with Chinese titles and prices for a Chinese question', async () => {
    server.behave({ name: 'text', text: '有的。' });
    await provider().reply(trial('有珍珠耳钉吗？').req);
    const system = bodyOf(0).messages[0].content ?? '';
    expect(system).toContain('Simplified Chinese');
    expect(system).toContain('"title":"珍珠耳钉"');
    expect(system).toContain('¥459.00');
  });

  it('sends no Authorization header without a key', async () => {
    server.behave({ name: 'text', text: 'Hello.' });
    await provider({ apiKey: null }).reply(trial('hello').req);
    expect(server.requests[0].headers.authorization).toBeUndefined();
  });
});

describe('ThinkFilter', () => {
  const run = (parts: string[]): string => {
    const f = new ThinkFilter();
    return parts.map((p) => f.push(p)).join('') + f.end();
  };
  it('drops a leading <think> block however the deltas split it, and passes other text untouched', () => {
    const streamed = '  <think>The customer wants pearls. </thin k?></think>\n\nWe have pearls.';
    for (let i = 0; i <= streamed.length; i++) {
      for (let j = i; j <= streamed.length; j += 7) {
        expect(run([streamed.slice(0, i), streamed.slice(i, j), streamed.slice(j)]), `${i}/${j}`).toBe('We have pearls.');
      }
    }
    expect(run([...'<think>x</think>Hi'])).toBe('Hi');
    expect(run(['<thi', 'nk>never closed'])).toBe('');
    expect(run(['<th'])).toBe('<th');
    expect(run(['Price <think> is data'])).toBe('Price <think> is data');
    expect(run(['Hello ', '<think>'])).toBe('Hello <think>');
  });
});

describe('llm provider: catalogue search as a tool', () => {
  it('round trip: the model calls search_catalogue (arguments streamed in pieces), gets results, answers naming them; cards only from the catalogue', async () => {
    const t = trial('pearl earrings');
    const reply = await provider().reply(t.req);
    expect(server.requests).toHaveLength(2);
    const second = bodyOf(1);
    const call = second.messages.find((m) => m.role === 'assistant' && m.tool_calls)?.tool_calls?.[0];
    expect(call?.function.name).toBe('search_catalogue');
    expect(JSON.parse(call?.function.arguments ?? '')).toEqual({ query: 'pearl earrings' });
    const result = second.messages[second.messages.length - 1];
    expect(result.role).toBe('tool');
    expect(result.tool_call_id).toBe(call?.id);
    const results = (JSON.parse(result.content ?? '') as { results: { id: string; title: string; price: string }[] }).results;
    expect(results.length).toBeGreaterThan(0);
    expect(results[0].id).toBe('perle-studs');
    expect(reply.text).toContain('Perle pearl studs at CN¥459.00');
    expect(reply.text).toBe(t.deltas.join(''));
    expect(reply.productIds[0]).toBe('perle-studs');
    expect(reply.productIds.length).toBeGreaterThan(0);
    for (const id of reply.productIds) expect(catalogueIds.has(id)).toBe(true);
    // Every product named is one of the tool's results.
    for (const id of reply.productIds) expect(results.map((r) => r.id)).toContain(id);
  });

  it('a budget goes to the search as max_price in whole units (converted to minor units); the answer may repeat it', async () => {
    const reply = await provider().reply(trial('earrings under 400 yuan please').req);
    const call = bodyOf(1).messages.find((m) => m.tool_calls)?.tool_calls?.[0];
    expect(JSON.parse(call?.function.arguments ?? '')).toEqual({ query: 'earrings under 400 yuan please', max_price: 400 });
    const results = JSON.parse(bodyOf(1).messages[bodyOf(1).messages.length - 1].content ?? '') as { results: { id: string }[] };
    expect(results.results.map((r) => r.id)).toEqual(['soleil-hoops']); // ¥389; the ¥459 studs are over budget
    expect(reply.productIds).toEqual(['soleil-hoops']);
    const zh = await provider().reply(trial('500元以内的耳环').req);
    expect(zh.productIds.sort()).toEqual(['perle-studs', 'soleil-hoops']);
  });

  it('answers in Chinese after the tool round', async () => {
    const reply = await provider().reply(trial('有没有玉手镯').req);
    expect(reply.text).toMatch(/^我们有和田青白玉手镯，价格¥2,680\.00/);
    expect(reply.productIds[0]).toBe('jade-bangle');
  });

  it('names no products when the model names none', async () => {
    server.behave({ name: 'text', text: 'We are open every day from 10 to 22.' });
    const reply = await provider().reply(trial('pearl earrings opening hours').req);
    expect(reply.productIds).toEqual([]);
  });

  it('cards are products given to the model that the text names by title or id, in order of mention', async () => {
    server.behave({ name: 'text', text: 'See the etoile-necklace, or the PERLE PEARL STUDS; the default clasp is gold.' });
    const reply = await provider({ maxToolRounds: 0 }).reply(trial('pearl studs or star necklace').req);
    expect(reply.productIds).toEqual(['etoile-necklace', 'perle-studs']);
    // A catalogue product the model was never given (not a hit of the search) gets no card.
    expect(search.products('pearl studs', { limit: 5 }).map((h) => h.product.id)).not.toContain('jade-bangle');
    server.behave({ name: 'text', text: 'The Perle pearl studs go well with a Hetian jade bangle.' });
    const other = await provider({ maxToolRounds: 0 }).reply(trial('pearl studs').req);
    expect(other.productIds).toEqual(['perle-studs']);
  });

  it('with maxToolRounds 0 no tools are offered and the model answers from the prompt', async () => {
    const reply = await provider({ maxToolRounds: 0 }).reply(trial('jade bangle').req);
    expect(server.requests).toHaveLength(1);
    expect(bodyOf(0).tools).toBeUndefined();
    expect(reply.productIds[0]).toBe('jade-bangle');
  });

  it('an endpoint refusing tools (Ollama 400 "does not support tools") is asked again without them, and not offered tools again', async () => {
    server.behave('no-tools');
    const p = provider();
    const reply = await p.reply(trial('jade bangle').req);
    expect(server.requests.map((r) => Array.isArray((r.body as SentBody).tools))).toEqual([true, false]);
    expect(bodyOf(1).messages[0].content).not.toContain('search_catalogue');
    expect(reply.productIds[0]).toBe('jade-bangle');
    await p.reply(trial('pearl studs').req);
    expect(server.requests).toHaveLength(3);
    expect(bodyOf(2).tools).toBeUndefined();
  });

  it('an HTTP error not about tools is not retried', async () => {
    server.behave('http-500');
    await failure(provider().reply(trial('jade bangle').req));
    expect(server.requests).toHaveLength(1);
  });

  it('a model still calling tools after the last tool round fails', async () => {
    server.behave('handoff'); // every round calls a tool
    const err = await failure(provider({ maxToolRounds: 0 }).reply(trial('pearl earrings').req));
    expect(err).toBeInstanceOf(LlmError);
    expect((err as LlmError).kind).toBe('protocol');
  });

  it('the handoff tool hands the conversation to people, in the hand-off words for staff online or offline', async () => {
    server.behave('handoff');
    const online = trial('can you engrave a whole poem inside the ring?');
    const reply = await provider().reply(online.req);
    expect(server.requests).toHaveLength(1);
    expect(reply.handoff).toBe('customer_asked');
    expect(reply.meta).toEqual({ source: 'handoff', provider: 'llm' });
    expect(reply.productIds).toEqual([]);
    expect(reply.text).toMatch(/colleague/);
    expect(online.deltas.join('')).toBe(reply.text);
    server.behave({ name: 'handoff', text: 'Let me check that for you.' });
    const reset = trial('can you engrave a whole poem inside the ring?');
    const again = await provider().reply(reset.req);
    expect(reset.resets).toBe(1); // the model's own words before the tool call are discarded
    expect(reset.deltas.join('')).toBe(again.text);
    expect(again.text).not.toContain('Let me check');
    server.behave('handoff');
    const offline = await provider().reply(trial('戒指里面能刻一首诗吗？', { staffOnline: false }).req);
    expect(offline.handoff).toBe('customer_asked');
    expect(offline.text).toContain('不在线');
  });

  it('a customer asking for a person in so many words is handed off without asking the endpoint', async () => {
    for (const question of ['转人工', 'I want to talk to a person']) {
      const reply = await provider().reply(trial(question, { staffOnline: true }).req);
      expect(reply.handoff, question).toBe('customer_asked');
      expect(reply.meta.source).toBe('handoff');
    }
    expect(server.requests).toHaveLength(0);
  });
});

describe('llm provider: failures', () => {
  it('no first byte within timeoutMs -> a timeout failure', async () => {
    server.behave('hang-before-first-byte');
    const err = await failure(provider({ timeoutMs: 300 }).reply(trial('hello').req));
    expect(err).toBeInstanceOf(LlmError);
    expect((err as LlmError).kind).toBe('timeout');
  });

  it('tokens stop mid-stream for timeoutMs -> a timeout failure after the first deltas', async () => {
    server.behave('hang-mid-stream');
    const t = trial('hello');
    const err = await failure(provider({ timeoutMs: 300, maxToolRounds: 0 }).reply(t.req));
    expect((err as LlmError).kind).toBe('timeout');
    expect(t.deltas.join('')).toBe('Let me see');
  });

  it('HTTP 500 -> failure with the status and an excerpt, the echoed key redacted', async () => {
    server.behave('http-500');
    const err = await failure(provider().reply(trial('hello').req));
    expect(err).toBeInstanceOf(LlmError);
    expect((err as LlmError).kind).toBe('http');
    expect((err as LlmError).status).toBe(500);
    expect(err.message).toContain('500');
    expect(err.message).toContain('internal error of the test model');
    expect(err.message).not.toContain(KEY);
    expect(err.stack ?? '').not.toContain(KEY);
  });

  it('data that is not JSON -> a protocol failure', async () => {
    server.behave('malformed');
    const err = await failure(provider().reply(trial('hello').req));
    expect((err as LlmError).kind).toBe('protocol');
  });

  it('the connection dropped mid-stream (no [DONE]) -> failure', async () => {
    server.behave('disconnect-mid-stream');
    const t = trial('hello');
    const err = await failure(provider({ maxToolRounds: 0 }).reply(t.req));
    expect(err).toBeInstanceOf(LlmError);
    expect(t.deltas.join('')).toBe('We have a lovely');
  });

  it('nobody listening -> a network failure', async () => {
    const gone = await startOpenAiTestServer();
    const url = gone.url;
    await gone.close();
    const err = await failure(provider({ baseUrl: url }).reply(trial('hello').req));
    expect((err as LlmError).kind).toBe('network');
    expect(err.message).not.toContain(KEY);
  });

  it('a price that no product given has -> an invented_price failure', async () => {
    server.behave('invent-price');
    const err = await failure(provider({ maxToolRounds: 0 }).reply(trial('star necklace').req));
    expect((err as LlmError).kind).toBe('invented_price');
    expect(err.message).toContain('88.00');
  });

  it('prices of products given, amounts of the FAQ and the customer’s own figures pass the guard', async () => {
    server.behave({ name: 'text', text: 'Under ¥500 we have the Perle pearl studs at ¥459 (459元).' });
    const reply = await provider().reply(trial('pearl earrings under 500?').req);
    expect(reply.productIds).toEqual(['perle-studs']);
    server.behave({ name: 'text', text: 'The Soleil gold hoops are $389.00, the Perle pearl studs CNY 459.' });
    await expect(provider().reply(trial('gold earrings').req)).resolves.toMatchObject({ productIds: ['soleil-hoops', 'perle-studs'] });
    server.behave({ name: 'text', text: 'The Hetian jade bangle is ¥1,999.' });
    const err = await failure(provider().reply(trial('jade bangle').req));
    expect((err as LlmError).kind).toBe('invented_price');
  });

  it('aborting before the first byte rejects with an AbortError at once (not a timeout)', async () => {
    server.behave('hang-before-first-byte');
    const t = trial('hello');
    const pending = provider({ timeoutMs: 15_000 }).reply(t.req);
    setTimeout(() => t.controller.abort(), 50);
    const err = await failure(pending);
    expect(err.name).toBe('AbortError');
  });

  it('aborting mid-stream stops reading and rejects with an AbortError (not a timeout)', async () => {
    server.behave({ name: 'text', text: 'one two three four five six seven eight nine ten eleven twelve', tokenDelayMs: 40 });
    const t = trial('hello');
    const pending = provider({ timeoutMs: 15_000, maxToolRounds: 0 }).reply({
      ...t.req,
      onDelta: (d) => {
        t.deltas.push(d);
        if (t.deltas.join('').includes('two')) t.controller.abort();
      },
    });
    const err = await failure(pending);
    expect(err.name).toBe('AbortError');
    const seen = t.deltas.length;
    await new Promise((r) => setTimeout(r, 200));
    expect(t.deltas.length).toBe(seen); // nothing read after the abort
    expect(t.deltas.join('')).not.toContain('twelve');
  });

  it('an already aborted signal rejects without a request', async () => {
    const t = trial('hello');
    t.controller.abort();
    const err = await failure(provider().reply(t.req));
    expect(err.name).toBe('AbortError');
    expect(server.requests).toHaveLength(0);
  });
});

function message(seq: number, role: 'visitor' | 'agent', text: string): Message {
  return {
    id: `m${seq}`,
    conversationId: 'c1',
    seq,
    clientId: `c${seq}`,
    author: { role, id: role === 'visitor' ? 'v1' : 'a1', name: null },
    kind: 'text',
    text,
    createdAt: NOW,
  };
}

function snapshot(p: Product) {
  return { id: p.id, title: p.title, price: p.price, compareAt: p.compareAt, image: p.images[0] ?? null, url: p.url, variants: p.variants, options: p.options, source: 'catalogue' as const };
}
