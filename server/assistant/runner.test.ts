/**
 * The assistant runner through the real server (sockets on 127.0.0.1, PGlite): streamed replies
 * (new -> deltas -> final, deltas concatenating to the final text), cards, hand-off, stop, take-over
 * (assistant:set and an agent's message), one reply per customer message under retried sends, the
 * latest question answered next, provider failure, and human chat never waiting for a provider.
 * The provider is a test provider whose behaviour each test sets (a promise the test controls).
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { io, type Socket } from 'socket.io-client';
import type { AssistantState, MessageDelta } from '../../src/protocol/assistant.js';
import type { Message, SessionReady } from '../../src/protocol/types.js';
import { createAgent, createShop, startServer, type RunningServer } from '../app.js';
import { createTempPg, type TempPg } from '../test-support.js';
import { phrase } from './phrases.js';
import type { AssistantProvider, AssistantReply, AssistantRequest } from './provider.js';

type Behaviour = (req: AssistantRequest) => Promise<AssistantReply>;
let behave: Behaviour = async () => ({ text: 'ok', productIds: [], meta: { source: 'chat', provider: 'test' } });
const asked: string[] = [];

const testProvider: AssistantProvider = {
  name: 'test',
  reply(req) {
    asked.push(req.question);
    return behave(req);
  },
};

const SHOP = 'runner';
let server: RunningServer;
let agentToken = '';
const sockets: Socket[] = [];

const tick = (ms = 5): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Rejects with an AbortError when `signal` aborts. */
function aborted(signal: AbortSignal): Promise<never> {
  return new Promise((_, reject) => {
    const fail = (): void => reject(Object.assign(new Error('aborted'), { name: 'AbortError' }));
    if (signal.aborted) fail();
    else signal.addEventListener('abort', fail, { once: true });
  });
}

/** Streams `chunks` a few ms apart, then answers their concatenation. */
function streams(chunks: string[], extra: Partial<AssistantReply> = {}): Behaviour {
  return async (req) => {
    for (const c of chunks) {
      req.onDelta(c);
      await Promise.race([tick(15), aborted(req.signal)]);
    }
    return { text: chunks.join(''), productIds: [], meta: { source: 'chat', provider: 'test' }, ...extra };
  };
}

function product(id: string): unknown {
  return { id, title: { en: `Product ${id}` }, description: {}, price: { amount: 1000, currency: 'CNY' }, compareAt: null, images: [], url: null, tags: [], variants: [] };
}

beforeAll(async () => {
  server = await startServer({
    port: 0,
    dataDir: 'memory://',
    quiet: true,
    assistantProviders: async () => testProvider,
  });
  await createShop(server.store, { id: SHOP, name: 'Runner shop', locale: 'en' });
  await createAgent(server.store, { shop: SHOP, email: 'lin@runner.test', name: 'Lin', password: 'open-sesame' });
  await server.store.assistant.putSettings(SHOP, { enabled: true, provider: 'embedded' });
  for (const id of ['p1', 'p2', 'p3']) await server.store.upsertProduct(SHOP, product(id));
  const res = await fetch(`${server.url}/api/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: 'lin@runner.test', password: 'open-sesame', shop: SHOP }),
  });
  agentToken = ((await res.json()) as { token: string }).token;
});

afterEach(() => {
  for (const s of sockets.splice(0)) s.close();
});

afterAll(async () => {
  await server?.close();
});

interface Conn {
  socket: Socket;
  session: SessionReady;
  /** Every message:new and message:update received, in order. */
  events: { event: string; payload: Message | MessageDelta }[];
  states: AssistantState[];
}

function connect(auth: Record<string, unknown>): Promise<Conn> {
  const socket = io(`${server.url}/vitrine`, { auth: { protocol: 1, shop: SHOP, ...auth }, transports: ['websocket'], reconnection: false, forceNew: true });
  sockets.push(socket);
  const events: Conn['events'] = [];
  const states: AssistantState[] = [];
  socket.on('message:new', (payload: Message) => events.push({ event: 'message:new', payload }));
  socket.on('message:update', (payload: Message | MessageDelta) => events.push({ event: 'message:update', payload }));
  socket.on('assistant:update', (u: { assistant: AssistantState }) => states.push(u.assistant));
  return new Promise((resolve, reject) => {
    socket.once('session:ready', (session: SessionReady) => resolve({ socket, session, events, states }));
    socket.once('connect_error', reject);
  });
}

const visitor = (): Promise<Conn> => connect({ role: 'visitor' });
const agent = (): Promise<Conn> => connect({ role: 'agent', token: agentToken });

async function ack<T = Record<string, unknown>>(socket: Socket, event: string, payload: unknown): Promise<T & { ok: boolean; error?: { code: string } }> {
  return (await socket.timeout(5000).emitWithAck(event, payload)) as T & { ok: boolean; error?: { code: string } };
}

let n = 0;
async function say(c: Conn, text: string, clientId = `c-${++n}`): Promise<Message> {
  const res = await ack<{ message: Message }>(c.socket, 'message:send', { conversationId: c.session.conversation?.id, clientId, kind: 'text', text });
  expect(res.ok).toBe(true);
  return res.message;
}

type Maybe<T> = T | undefined | null | false;
async function until<T>(what: string, probe: () => Maybe<T> | Promise<Maybe<T>>, ms = 5000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await tick(10);
  }
}

const isFull = (p: Message | MessageDelta): p is Message => !('delta' in p);
const isAi = (p: Message | MessageDelta): boolean => isFull(p) && p.author.role === 'assistant';

/** The committed reply to `question` as the conversation's socket received it. */
function finalReply(c: Conn, question: Message): Promise<Message> {
  return until(`the final reply to ${question.id}`, () => {
    const hit = c.events.find((e) => isFull(e.payload) && e.payload.clientId === `ai:${question.id}` && !e.payload.streaming);
    return hit?.payload as Message | undefined;
  });
}

async function history(c: Conn): Promise<Message[]> {
  const res = await ack<{ messages: Message[] }>(c.socket, 'history:get', { conversationId: c.session.conversation?.id, afterSeq: 0, limit: 100 });
  return res.messages;
}

describe('assistant runner', () => {
  it('announces the feature and state; streams a reply as new -> deltas -> final; history shows the final', async () => {
    behave = streams(['Hel', 'lo ', 'there', '!']);
    const a = await agent();
    const v = await visitor();
    expect(v.session.features).toContain('assistant');
    expect(v.session.conversation?.assistant).toEqual({ enabled: true, mode: 'assistant', staffOnline: true, handoff: null, takeover: null });
    const q = await say(v, 'hi');
    const final = await finalReply(v, q);
    expect(final).toMatchObject({ text: 'Hello there!', kind: 'text', author: { role: 'assistant', id: 'assistant', name: null }, ai: { source: 'chat', provider: 'test' } });
    expect(final.streaming).toBeUndefined();
    const mine = v.events.filter((e) => (isFull(e.payload) ? e.payload.id === final.id : e.payload.messageId === final.id));
    expect(mine[0].event).toBe('message:new');
    const first = mine[0].payload as Message;
    expect(first.streaming).toBe(true);
    expect(first.seq).toBe(final.seq);
    // Deltas: consistent offsets, concatenating (after the inserted text) to the final text.
    let text = first.text;
    const deltas = mine.slice(1, -1).map((e) => e.payload as MessageDelta);
    expect(deltas.length).toBeGreaterThan(0);
    for (const d of deltas) {
      expect(d).toMatchObject({ conversationId: q.conversationId, messageId: final.id, seq: final.seq });
      expect(d.offset).toBe(text.length);
      text += d.delta;
    }
    expect(text).toBe(final.text);
    expect(mine[mine.length - 1]).toEqual({ event: 'message:update', payload: final });
    // The agent saw the same reply.
    await until('the agent to get the final', () => a.events.some((e) => isFull(e.payload) && e.payload.id === final.id && !e.payload.streaming));
    const stored = (await history(v)).find((m) => m.id === final.id);
    expect(stored).toEqual(final);
  });

  it('a reply without streamed text arrives as one final message:new; cards: one product, then a carousel', async () => {
    const v = await visitor();
    behave = async () => ({ text: 'This one:', productIds: ['p2', 'missing'], meta: { source: 'catalogue', provider: 'test' } });
    const one = await finalReply(v, await say(v, 'a card'));
    expect(one).toMatchObject({ kind: 'product', text: 'This one:', product: { id: 'p2', source: 'catalogue' }, ai: { source: 'catalogue' } });
    expect(v.events.filter((e) => isAi(e.payload) && (e.payload as Message).id === one.id).map((e) => e.event)).toEqual(['message:new']);
    behave = async () => ({ text: 'These:', productIds: ['p3', 'p1', 'p3'], meta: { source: 'catalogue', provider: 'test' } });
    const many = await finalReply(v, await say(v, 'cards'));
    expect(many.kind).toBe('products');
    expect(many.products?.map((p) => p.id)).toEqual(['p3', 'p1']);
  });

  it("the question's own context (asked from a product page) reaches the provider as the last history message", async () => {
    const v = await visitor();
    let seen: AssistantRequest | null = null;
    behave = async (req) => {
      seen = req;
      return { text: 'About this one.', productIds: [], meta: { source: 'catalogue', provider: 'test' } };
    };
    const res = await ack<{ message: Message }>(v.socket, 'message:send', {
      conversationId: v.session.conversation?.id,
      clientId: `c-${++n}`,
      kind: 'text',
      text: 'S925 silver? How long is the pin?',
      context: { productId: 'p2' },
    });
    expect(res.ok).toBe(true);
    await finalReply(v, res.message);
    const req = seen as AssistantRequest | null;
    expect(req?.question).toBe('S925 silver? How long is the pin?');
    expect(req?.history.at(-1)).toMatchObject({ id: res.message.id, context: { product: { id: 'p2' } } });
    // Without context the question is not repeated in its own history.
    const plain = await say(v, 'and in gold?');
    await finalReply(v, plain);
    expect((seen as AssistantRequest | null)?.history.some((m) => m.id === plain.id)).toBe(false);
  });

  it('hand-off: the reply is committed, then the state goes to human with assistant:update to visitor and agents; no more replies', async () => {
    const a = await agent();
    const v = await visitor();
    behave = streams(['A colleague ', 'will be with you.'], { handoff: 'customer_asked' });
    const reply = await finalReply(v, await say(v, '转人工'));
    expect(reply.text).toBe('A colleague will be with you.');
    const state = await until('assistant:update', () => v.states.at(-1));
    expect(state).toMatchObject({ enabled: true, mode: 'human', handoff: { reason: 'customer_asked' }, takeover: null });
    await until('the agents to get it', () => a.states.some((s) => s.handoff?.reason === 'customer_asked'));
    const before = asked.length;
    await say(v, 'anyone?');
    await tick(100);
    expect(asked.length).toBe(before);
  });

  it('stop: assistant:stop commits the text so far with stopped: true; unknown ids are not_found', async () => {
    const v = await visitor();
    behave = async (req) => {
      req.onDelta('Let me think');
      await aborted(req.signal);
      throw new Error('unreachable');
    };
    const q = await say(v, 'long answer please');
    const started = await until('the streaming reply', () => v.events.find((e) => e.event === 'message:new' && isAi(e.payload))?.payload as Message | undefined);
    const missing = await ack(v.socket, 'assistant:stop', { conversationId: q.conversationId, messageId: 'm_nope' });
    expect(missing).toMatchObject({ ok: false, error: { code: 'not_found' } });
    expect(await ack(v.socket, 'assistant:stop', { conversationId: q.conversationId, messageId: started.id })).toMatchObject({ ok: true });
    const final = await finalReply(v, q);
    expect(final).toMatchObject({ id: started.id, text: 'Let me think', stopped: true });
    expect(final.streaming).toBeUndefined();
    // Stopping a finished reply is fine.
    expect(await ack(v.socket, 'assistant:stop', { conversationId: q.conversationId, messageId: started.id })).toMatchObject({ ok: true });
  });

  it('take-over by assistant:set aborts the reply; hand back; an agent message takes over implicitly', async () => {
    const a = await agent();
    const v = await visitor();
    const conversationId = v.session.conversation?.id as string;
    behave = async (req) => {
      req.onDelta('Thinking');
      await aborted(req.signal);
      throw new Error('unreachable');
    };
    const q = await say(v, 'question');
    await until('streaming', () => v.events.some((e) => e.event === 'message:new' && isAi(e.payload)));
    const taken = await ack<{ assistant: AssistantState }>(a.socket, 'assistant:set', { conversationId, mode: 'human' });
    expect(taken.assistant).toMatchObject({ mode: 'human', handoff: null, takeover: { agentName: 'Lin' } });
    expect(await finalReply(v, q)).toMatchObject({ text: 'Thinking', stopped: true });
    await until('the visitor to see the take-over', () => v.states.some((s) => s.takeover?.agentName === 'Lin'));

    const back = await ack<{ assistant: AssistantState }>(a.socket, 'assistant:set', { conversationId, mode: 'assistant' });
    expect(back.assistant).toMatchObject({ mode: 'assistant', handoff: null, takeover: null });

    behave = async (req) => {
      req.onDelta('Again');
      await aborted(req.signal);
      throw new Error('unreachable');
    };
    const q2 = await say(v, 'second');
    await until('streaming again', () => v.events.some((e) => e.event === 'message:new' && isAi(e.payload) && (e.payload as Message).clientId === `ai:${q2.id}`));
    const count = v.states.length;
    const res = await ack(a.socket, 'message:send', { conversationId, clientId: `agent-${++n}`, kind: 'text', text: 'Hi, Lin here' });
    expect(res.ok).toBe(true);
    expect(await finalReply(v, q2)).toMatchObject({ text: 'Again', stopped: true });
    const implicit = await until('implicit take-over', () => v.states.slice(count).find((s) => s.takeover));
    expect(implicit).toMatchObject({ mode: 'human', takeover: { agentName: 'Lin' } });
  });

  it('visitor assistant:set: human is a customer_toggled hand-off, assistant goes back; conflict when the shop has it off', async () => {
    const v = await visitor();
    const conversationId = v.session.conversation?.id as string;
    const human = await ack<{ assistant: AssistantState }>(v.socket, 'assistant:set', { conversationId, mode: 'human' });
    expect(human.assistant).toMatchObject({ mode: 'human', handoff: { reason: 'customer_toggled' } });
    const ai = await ack<{ assistant: AssistantState }>(v.socket, 'assistant:set', { conversationId, mode: 'assistant' });
    expect(ai.assistant).toMatchObject({ mode: 'assistant', handoff: null });
    expect(await ack(v.socket, 'assistant:set', { conversationId, mode: 'robot' })).toMatchObject({ ok: false, error: { code: 'invalid_payload' } });
    await createShop(server.store, { id: 'runner-off', name: 'Off' });
    const offSocket = io(`${server.url}/vitrine`, { auth: { protocol: 1, shop: 'runner-off', role: 'visitor' }, transports: ['websocket'], forceNew: true, reconnection: false });
    sockets.push(offSocket);
    const session = await new Promise<SessionReady>((r) => offSocket.once('session:ready', r));
    expect(session.features).not.toContain('assistant');
    expect(session.conversation?.assistant).toBeUndefined();
    const refused = await ack(offSocket, 'assistant:set', { conversationId: session.conversation?.id, mode: 'assistant' });
    expect(refused).toMatchObject({ ok: false, error: { code: 'conflict' } });
  });

  it('exactly one reply per customer message under a retried send; the latest waiting question is answered next', async () => {
    const v = await visitor();
    let release: () => void = () => undefined;
    const gate = new Promise<void>((r) => (release = r));
    behave = async (req) => {
      if (req.question === 'first') await gate;
      return { text: `re: ${req.question}`, productIds: [], meta: { source: 'chat', provider: 'test' } };
    };
    const [q1, again] = await Promise.all([say(v, 'first', 'retry-1'), say(v, 'first', 'retry-1')]);
    expect(again.id).toBe(q1.id);
    await say(v, 'second');
    const q3 = await say(v, 'third');
    release();
    await finalReply(v, q1);
    const r3 = await finalReply(v, q3);
    expect(r3.text).toBe('re: third');
    await tick(100);
    const replies = (await history(v)).filter((m) => m.author.role === 'assistant');
    expect(replies.map((m) => m.clientId)).toEqual([`ai:${q1.id}`, `ai:${q3.id}`]);
    const seqs = (await history(v)).map((m) => m.seq);
    expect(seqs).toEqual(seqs.map((_, i) => i + 1));
  });

  it('a provider that starts over (fallback) sends no delta that does not fit; the final message carries the new text', async () => {
    const v = await visitor();
    behave = async (req) => {
      req.onDelta('Wrong start');
      // Starts over while the streaming reply is being stored.
      req.onReset();
      req.onDelta('Right ');
      await tick(60);
      req.onDelta('answer');
      return { text: 'Right answer', productIds: [], meta: { source: 'chat', provider: 'test', fallback: true } };
    };
    const q = await say(v, 'fallback please');
    const final = await finalReply(v, q);
    expect(final).toMatchObject({ text: 'Right answer', ai: { fallback: true } });
    const mine = v.events.filter((e) => (isFull(e.payload) ? e.payload.id === final.id : e.payload.messageId === final.id));
    let text = (mine[0].payload as Message).text;
    for (const e of mine.slice(1, -1)) {
      const d = e.payload as MessageDelta;
      expect(d.offset).toBe(text.length);
      text += d.delta;
    }
    // After the restart no delta fits what clients have: they keep it until the final message.
    expect(text).toBe('Wrong start');
  });

  it('provider failure: the assistant apologises and hands off with provider_failed', async () => {
    const v = await visitor();
    behave = async (req) => {
      req.onDelta('Partial');
      throw new Error('endpoint down');
    };
    const reply = await finalReply(v, await say(v, 'hello?'));
    expect(reply.text).toBe(phrase('en', 'providerFailed'));
    expect(reply.ai?.source).toBe('handoff');
    const state = await until('hand-off', () => v.states.at(-1));
    expect(state).toMatchObject({ mode: 'human', handoff: { reason: 'provider_failed' } });
  });

  it('human chat is not delayed by a slow provider: acks and messages flow while a reply waits', async () => {
    const v = await visitor();
    const other = await visitor();
    const a = await agent();
    let release: () => void = () => undefined;
    const gate = new Promise<void>((r) => (release = r));
    let waiting = false;
    behave = async (req) => {
      waiting = true;
      await Promise.race([gate, aborted(req.signal)]);
      return { text: 'finally', productIds: [], meta: { source: 'chat', provider: 'test' } };
    };
    const q = await say(v, 'slow one');
    await until('the provider to be asked', () => waiting);
    // While the provider waits: the same visitor, another visitor and an agent all get their acks.
    const more = await say(v, 'still there?');
    expect(more.seq).toBe(q.seq + 1);
    await say(other, 'hello from another customer');
    const list = await ack<{ items: unknown[] }>(a.socket, 'conversation:list', {});
    expect(list.ok).toBe(true);
    expect(v.events.some((e) => isAi(e.payload))).toBe(false);
    release();
    expect((await finalReply(v, q)).text).toBe('finally');
  });
});

const REDIS_URL = process.env.REDIS_URL || 'redis://127.0.0.1:6379';
const pgTarget = await createTempPg();
const noPg = 'skip' in pgTarget ? pgTarget.skip : null;
if (noPg) console.warn(`[server] skipping the two-process assistant test: ${noPg}`);

describe.skipIf(noPg !== null)('assistant across two processes (PostgreSQL + Redis adapter)', () => {
  const extra: RunningServer[] = [];
  afterAll(async () => {
    for (const s of extra) await s.close().catch(() => undefined);
    if (!('skip' in pgTarget)) await (pgTarget as TempPg).drop();
  });

  it('a reply left streaming by a dead process is committed as stopped by the sweep of a starting process', async () => {
    const databaseUrl = (pgTarget as TempPg).url;
    const { Store } = await import('../storage/store.js');
    const store = await Store.open({ databaseUrl });
    let replyId = '';
    let conversationId = '';
    try {
      await createShop(store, { id: 'crash', name: 'Crashed shop' });
      const { visitor: who, conversation } = await store.createVisitor('crash', `seed:crash:${Date.now()}`);
      conversationId = conversation.id;
      const q = await store.sendMessage(conversation.id, 'q', { role: 'visitor', id: who.id, name: null }, 'hello?');
      const half = await store.assistant.insertReply(conversation.id, q.message.id, { kind: 'text', text: 'Half', payload: { streaming: true, ai: { source: 'chat', provider: 'embedded' } } });
      replyId = half.message.id;
      await store.db.query(`UPDATE messages SET created_at = now() - interval '3 minutes' WHERE id = $1`, [replyId]);
    } finally {
      await store.close();
    }
    const srv = await startServer({ port: 0, databaseUrl, quiet: true, assistantProviders: async () => testProvider });
    extra.push(srv);
    const swept = await until('the sweep', async () => {
      const m = await srv.store.assistant.findReply(conversationId, replyId);
      return m?.stopped === true ? m : null;
    });
    expect(swept).toMatchObject({ id: replyId, text: 'Half', stopped: true });
  });

  it('graceful shutdown stops the reply being written and commits it as stopped', async () => {
    const databaseUrl = (pgTarget as TempPg).url;
    const srv = await startServer({ port: 0, databaseUrl, quiet: true, assistantProviders: async () => testProvider });
    extra.push(srv);
    await createShop(srv.store, { id: 'bye', name: 'Closing shop' });
    await srv.store.assistant.putSettings('bye', { enabled: true, provider: 'embedded' });
    const socket = io(`${srv.url}/vitrine`, { auth: { protocol: 1, shop: 'bye', role: 'visitor' }, transports: ['websocket'], reconnection: false, forceNew: true });
    sockets.push(socket);
    const session = await new Promise<SessionReady>((r) => socket.once('session:ready', r));
    const conversationId = session.conversation?.id as string;
    let writing = false;
    behave = async (req) => {
      req.onDelta('Half an ans');
      writing = true;
      await aborted(req.signal);
      throw new Error('unreachable');
    };
    const sent = (await socket.emitWithAck('message:send', { conversationId, clientId: 'bye-1', kind: 'text', text: 'tell me everything' })) as { message: Message };
    await until('the reply to be written', () => writing);
    await tick(60);
    await srv.close();
    const { Store } = await import('../storage/store.js');
    const store = await Store.open({ databaseUrl });
    try {
      const reply = await store.findMessageByClientId(conversationId, `ai:${sent.message.id}`);
      expect(reply).toMatchObject({ text: 'Half an ans', stopped: true });
      expect(reply?.streaming).toBeUndefined();
    } finally {
      await store.close();
    }
  });

  it('a take-over on another process stops the reply being written; its deltas and final reach sockets of both', async () => {
    const databaseUrl = (pgTarget as TempPg).url;
    const prefix = `vitrine-ai-${Date.now().toString(36)}`;
    const opts = { port: 0, databaseUrl, redisUrl: REDIS_URL, redisKeyPrefix: prefix, quiet: true, assistantProviders: async () => testProvider };
    const a = await startServer(opts);
    extra.push(a);
    const b = await startServer(opts);
    extra.push(b);
    await createShop(a.store, { id: 'xshop', name: 'Two processes' });
    await createAgent(a.store, { shop: 'xshop', email: 'x@x.test', name: 'Xu', password: 'open-sesame' });
    await a.store.assistant.putSettings('xshop', { enabled: true, provider: 'embedded' });
    const login = await fetch(`${b.url}/api/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'x@x.test', password: 'open-sesame', shop: 'xshop' }),
    });
    const token = ((await login.json()) as { token: string }).token;
    const open = (url: string, auth: Record<string, unknown>): Promise<Conn> => {
      const socket = io(`${url}/vitrine`, { auth: { protocol: 1, shop: 'xshop', ...auth }, transports: ['websocket'], reconnection: false, forceNew: true });
      sockets.push(socket);
      const events: Conn['events'] = [];
      const states: AssistantState[] = [];
      socket.on('message:new', (payload: Message) => events.push({ event: 'message:new', payload }));
      socket.on('message:update', (payload: Message | MessageDelta) => events.push({ event: 'message:update', payload }));
      socket.on('assistant:update', (u: { assistant: AssistantState }) => states.push(u.assistant));
      return new Promise((resolve, reject) => {
        socket.once('session:ready', (session: SessionReady) => resolve({ socket, session, events, states }));
        socket.once('connect_error', reject);
      });
    };
    const v = await open(a.url, { role: 'visitor' });
    const ag = await open(b.url, { role: 'agent', token });
    const conversationId = v.session.conversation?.id as string;
    behave = async (req) => {
      req.onDelta('Written on A');
      await aborted(req.signal);
      throw new Error('unreachable');
    };
    const q = await say(v, 'question on A');
    // The agent on B sees the streaming reply written on A.
    await until('the agent on B to see the reply', () => ag.events.some((e) => e.event === 'message:new' && isAi(e.payload)));
    const taken = await ack<{ assistant: AssistantState }>(ag.socket, 'assistant:set', { conversationId, mode: 'human' });
    expect(taken.assistant.takeover?.agentName).toBe('Xu');
    const final = await finalReply(v, q);
    expect(final).toMatchObject({ text: 'Written on A', stopped: true });
    await until('the agent on B to get the final', () => ag.events.some((e) => isFull(e.payload) && e.payload.id === final.id && e.payload.stopped === true));
  });
});
