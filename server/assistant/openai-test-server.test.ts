/** The OpenAI-compatible test server speaks the real wire format (read here with plain fetch). */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startOpenAiTestServer, type OpenAiTestServer } from './openai-test-server.js';
import { parseSse } from './sse.js';

let server: OpenAiTestServer;
beforeAll(async () => {
  server = await startOpenAiTestServer();
});
afterAll(async () => {
  await server.close();
});

const post = (body: unknown, headers: Record<string, string> = {}) =>
  fetch(`${server.url}/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });

interface Chunk {
  object: string;
  choices: { index: number; delta: { role?: string; content?: string; tool_calls?: { index: number; id?: string; function?: { name?: string; arguments?: string } }[] }; finish_reason: string | null }[];
}

async function chunks(res: Response): Promise<{ chunks: Chunk[]; done: boolean }> {
  const events = parseSse(await res.text()).map((e) => e.data);
  const done = events[events.length - 1] === '[DONE]';
  return { chunks: events.filter((d) => d !== '[DONE]').map((d) => JSON.parse(d) as Chunk), done };
}

describe('OpenAI-compatible test server', () => {
  it('lists its model on GET /v1/models and records requests with headers', async () => {
    const res = await fetch(`${server.url}/models`, { headers: { authorization: 'Bearer k1' } });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ object: 'list', data: [{ id: 'vitrine-test', object: 'model' }] });
    const last = server.requests[server.requests.length - 1];
    expect(last).toMatchObject({ method: 'GET', path: '/v1/models' });
    expect(last.headers.authorization).toBe('Bearer k1');
  });

  it('streams text as chat.completion.chunk events ending with finish_reason stop and [DONE]', async () => {
    server.behave({ name: 'text', text: 'Hello there, 你好世界', tokenDelayMs: 0 });
    const res = await post({ model: 'x', stream: true, messages: [{ role: 'user', content: 'hi' }] });
    expect(res.headers.get('content-type')).toBe('text/event-stream');
    const { chunks: all, done } = await chunks(res);
    expect(done).toBe(true);
    expect(all.every((c) => c.object === 'chat.completion.chunk')).toBe(true);
    expect(all[0].choices[0].delta.role).toBe('assistant');
    expect(all.map((c) => c.choices[0].delta.content ?? '').join('')).toBe('Hello there, 你好世界');
    expect(all.length).toBeGreaterThan(4);
    expect(all[all.length - 1].choices[0].finish_reason).toBe('stop');
  });

  it('streams a tool call in pieces: id and name first, the arguments split over chunks', async () => {
    server.behave({ name: 'answer', tokenDelayMs: 0 });
    const tools = [{ type: 'function', function: { name: 'search_catalogue', parameters: { type: 'object' } } }];
    const res = await post({ model: 'x', stream: true, tools, messages: [{ role: 'user', content: 'gold earrings please' }] });
    const { chunks: all, done } = await chunks(res);
    expect(done).toBe(true);
    const pieces = all.flatMap((c) => c.choices[0].delta.tool_calls ?? []);
    expect(pieces.length).toBeGreaterThan(3);
    expect(pieces[0].id).toMatch(/^call_/);
    expect(pieces[0].function?.name).toBe('search_catalogue');
    expect(pieces.slice(1).every((p) => p.id === undefined && p.index === 0)).toBe(true);
    expect(JSON.parse(pieces.map((p) => p.function?.arguments ?? '').join(''))).toEqual({ query: 'gold earrings please' });
    expect(all[all.length - 1].choices[0].finish_reason).toBe('tool_calls');
  });

  it('after a tool result the tiny model names the first results with their prices, in the question language', async () => {
    server.behave({ name: 'answer', tokenDelayMs: 0 });
    const results = JSON.stringify({ results: [{ id: 'a', title: '珍珠耳钉', price: '¥459.00' }] });
    const res = await post({
      stream: true,
      messages: [
        { role: 'user', content: '有耳钉吗' },
        { role: 'assistant', content: null, tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'search_catalogue', arguments: '{}' } }] },
        { role: 'tool', tool_call_id: 'call_1', content: results },
      ],
    });
    const { chunks: all } = await chunks(res);
    expect(all.map((c) => c.choices[0].delta.content ?? '').join('')).toBe('我们有珍珠耳钉，价格¥459.00。');
  });

  it('answers 500 with a JSON error, and 400 / 404 for bad requests', async () => {
    server.behave('http-500');
    const res = await post({ messages: [] }, { authorization: 'Bearer sk-x' });
    expect(res.status).toBe(500);
    expect(await res.json()).toMatchObject({ error: { type: 'server_error' } });
    expect((await post({ nope: 1 })).status).toBe(400);
    expect((await fetch(`${server.url}/embeddings`, { method: 'POST' })).status).toBe(404);
  });

  it('disconnect-mid-stream ends the connection without [DONE]', async () => {
    server.behave({ name: 'disconnect-mid-stream', tokenDelayMs: 0 });
    const res = await post({ stream: true, messages: [{ role: 'user', content: 'hi' }] });
    await expect(res.text()).rejects.toThrow();
  });
});
