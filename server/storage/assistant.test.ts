/**
 * Assistant storage on PGlite and PostgreSQL: settings (key kept, replaced, removed; never in the
 * settings), FAQ (CRUD, validation, per-shop limit, seeding keeps edits), conversation state
 * transitions, the hand-off queue, replies (one per customer message, gap-free seq, commit in one
 * update, the stale-streaming sweep).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VitrineError } from '../../src/protocol/errors.js';
import { LIMITS } from '../../src/protocol/limits.js';
import { createShop } from '../auth.js';
import { hashToken } from '../security.js';
import { createTempPg, type TempPg } from '../test-support.js';
import { Store } from './store.js';

const pgTarget = await createTempPg();
const pgAvailable = !('skip' in pgTarget);
if ('skip' in pgTarget) console.warn(`[server] skipping PostgreSQL assistant tests: ${pgTarget.skip}`);
afterAll(async () => {
  if (pgAvailable) await (pgTarget as TempPg).drop();
});

const backends = [
  { name: 'PGlite', available: true, opts: () => ({ dataDir: 'memory://' }) },
  { name: 'PostgreSQL', available: pgAvailable, opts: () => ({ databaseUrl: (pgTarget as TempPg).url }) },
];

async function refused(p: Promise<unknown>, code: string): Promise<void> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err, `expected ${code}`).toBeInstanceOf(VitrineError);
  expect((err as VitrineError).code).toBe(code);
}

const FAQ = { question: { en: 'Returns?', 'zh-CN': '可以退货吗？' }, answer: { en: '7 days.', 'zh-CN': '7 天内可退。' }, keywords: ['refund', '退货'] };

let seq = 0;

for (const backend of backends) {
  describe.skipIf(!backend.available)(`assistant storage on ${backend.name}`, () => {
    let store: Store;
    beforeAll(async () => {
      store = await Store.open(backend.opts());
    });
    afterAll(async () => {
      await store?.close();
    });

    async function newShop(): Promise<string> {
      const id = `as-${backend.name.toLowerCase()}-${++seq}`;
      await createShop(store, { id, name: `Shop ${id}` });
      return id;
    }

    async function newConversation(shop: string): Promise<{ visitorId: string; conversationId: string }> {
      const { visitor, conversation } = await store.createVisitor(shop, hashToken(`t-${shop}-${Math.random()}`), { name: 'Mei' });
      return { visitorId: visitor.id, conversationId: conversation.id };
    }

    it('settings: off by default; the key is stored, kept, replaced and removed, never returned', async () => {
      const shop = await newShop();
      expect(await store.assistant.getSettings(shop)).toEqual({ enabled: false, provider: 'embedded', llm: null, hasApiKey: false });
      const llm = { baseUrl: 'http://127.0.0.1:9/v1', model: 'tiny', timeoutMs: 5000 };
      const saved = await store.assistant.putSettings(shop, { enabled: true, provider: 'llm', llm, apiKey: 'sk-secret' });
      expect(saved).toEqual({ enabled: true, provider: 'llm', llm, hasApiKey: true });
      expect(JSON.stringify(saved)).not.toContain('sk-secret');
      expect(await store.assistant.getApiKey(shop)).toBe('sk-secret');
      // Absent key and endpoint: both kept.
      expect(await store.assistant.putSettings(shop, { enabled: true, provider: 'embedded' })).toEqual({ enabled: true, provider: 'embedded', llm, hasApiKey: true });
      await store.assistant.putSettings(shop, { enabled: true, provider: 'llm', llm, apiKey: 'sk-2' });
      expect(await store.assistant.getApiKey(shop)).toBe('sk-2');
      expect((await store.assistant.putSettings(shop, { enabled: false, provider: 'embedded', llm: null, apiKey: null })).hasApiKey).toBe(false);
      expect(await store.assistant.getApiKey(shop)).toBeNull();
      expect((await store.assistant.getSettings(shop)).llm).toBeNull();
      await refused(store.assistant.putSettings(shop, { enabled: true, provider: 'llm' }), 'invalid_payload');
      // Seeding never overwrites what staff saved.
      expect(await store.assistant.initSettings(shop, { enabled: true, provider: 'embedded' })).toBe(false);
      expect((await store.assistant.getSettings(shop)).enabled).toBe(false);
      const fresh = await newShop();
      expect(await store.assistant.initSettings(fresh, { enabled: true, provider: 'embedded' })).toBe(true);
      expect((await store.assistant.getSettings(fresh)).enabled).toBe(true);
    });

    it('FAQ: create, list, update, delete per shop; invalid input refused; seeding keeps edited entries', async () => {
      const shop = await newShop();
      const other = await newShop();
      const changes: string[] = [];
      const off = store.assistant.onChange((s, what) => changes.push(`${s}:${what}`));
      const a = await store.assistant.createFaq(shop, FAQ);
      expect(a).toMatchObject({ question: FAQ.question, answer: FAQ.answer, keywords: ['refund', '退货'] });
      expect(a.id).toMatch(/^[A-Za-z0-9_-]+$/);
      expect((await store.assistant.listFaq(shop)).map((e) => e.id)).toEqual([a.id]);
      expect(await store.assistant.listFaq(other)).toEqual([]);
      expect(await store.assistant.updateFaq(other, a.id, FAQ)).toBeNull();
      const updated = await store.assistant.updateFaq(shop, a.id, { ...FAQ, answer: { en: '14 days.' } });
      expect(updated?.answer).toEqual({ en: '14 days.' });
      expect(updated?.keywords).toEqual(['refund', '退货']);
      await refused(store.assistant.createFaq(shop, { question: { en: '' }, answer: { en: 'x' } }), 'invalid_payload');
      expect(await store.assistant.deleteFaq(other, a.id)).toBe(false);
      expect(await store.assistant.deleteFaq(shop, a.id)).toBe(true);
      expect(await store.assistant.deleteFaq(shop, a.id)).toBe(false);

      await store.assistant.seedFaq(shop, [
        { id: 'faq-a', ...FAQ },
        { id: 'faq-b', question: { en: 'B?' }, answer: { en: 'B.' } },
      ]);
      await store.assistant.updateFaq(shop, 'faq-a', { ...FAQ, answer: { en: 'edited' } });
      await store.assistant.seedFaq(shop, [{ id: 'faq-a', ...FAQ }]);
      await store.assistant.seedFaq(other, [{ id: 'faq-a', ...FAQ }]);
      const list = await store.assistant.listFaq(shop);
      expect(list.map((e) => e.id)).toEqual(['faq-a', 'faq-b']);
      expect(list[0].answer).toEqual({ en: 'edited' });
      expect((await store.assistant.listFaq(other)).map((e) => e.id)).toEqual(['faq-a']);
      off();
      expect(changes).toContain(`${shop}:faq`);
    });

    it(`FAQ: at most ${LIMITS.faqEntriesMax} entries per shop (conflict)`, async () => {
      const shop = await newShop();
      await store.db.query(
        `INSERT INTO faq_entries (shop, id, question, answer) SELECT $1, 'f' || g, '{"en":"q"}', '{"en":"a"}' FROM generate_series(1, $2::int) g`,
        [shop, LIMITS.faqEntriesMax],
      );
      await refused(store.assistant.createFaq(shop, FAQ), 'conflict');
    });

    it('conversation state: default by shop setting, hand-off, take-over, implicit take-over, hand back; the queue', async () => {
      const shop = await newShop();
      const { conversationId, visitorId } = await newConversation(shop);
      expect(await store.assistant.getState(conversationId)).toEqual({ enabled: false, mode: 'human', handoff: null, takeover: null });
      // Assistant off and nothing pending: an agent's message changes nothing.
      expect(await store.assistant.takeOverIfAnswering(conversationId, { id: 'a1', name: 'Lin' })).toBeNull();
      await store.assistant.putSettings(shop, { enabled: true, provider: 'embedded' });
      expect(await store.assistant.getState(conversationId)).toEqual({ enabled: true, mode: 'assistant', handoff: null, takeover: null });

      await store.sendMessage(conversationId, 'c1', { role: 'visitor', id: visitorId, name: 'Mei' }, '转人工');
      const handed = await store.assistant.handoff(conversationId, 'customer_asked');
      expect(handed).toMatchObject({ enabled: true, mode: 'human', handoff: { reason: 'customer_asked' }, takeover: null });
      const queue = await store.assistant.listHandoffs(shop);
      expect(queue).toEqual([{ conversationId, visitorId, visitorName: 'Mei', handoff: handed?.handoff, lastCustomerText: '转人工' }]);
      // The agents' summary carries the state.
      expect((await store.getSummary(conversationId))?.assistant).toMatchObject({ mode: 'human', handoff: { reason: 'customer_asked' }, staffOnline: true });

      const taken = await store.assistant.takeOverIfAnswering(conversationId, { id: 'a1', name: 'Lin' });
      expect(taken).toMatchObject({ mode: 'human', handoff: null, takeover: { agentId: 'a1', agentName: 'Lin' } });
      expect(await store.assistant.listHandoffs(shop)).toEqual([]);
      // Already with people: nothing changes.
      expect(await store.assistant.takeOverIfAnswering(conversationId, { id: 'a2', name: 'Bo' })).toBeNull();

      expect(await store.assistant.toAssistant(conversationId)).toEqual({ enabled: true, mode: 'assistant', handoff: null, takeover: null });
      expect(await store.assistant.takeOverIfAnswering(conversationId, { id: 'a2', name: 'Bo' })).toMatchObject({ takeover: { agentId: 'a2' } });
      expect(await store.assistant.takeOver(conversationId, { id: 'a1', name: 'Lin' })).toMatchObject({ takeover: { agentId: 'a1' } });
      expect(await store.assistant.handoff('c_nope', 'no_answer')).toBeNull();
      // Taken over: a late hand-off (a reply finishing) does not take it from the agent.
      expect(await store.assistant.handoff(conversationId, 'no_answer')).toBeNull();
      expect(await store.assistant.getState(conversationId)).toMatchObject({ takeover: { agentId: 'a1' }, handoff: null });
      // The shop switches its assistant off: people answer whatever was stored.
      await store.assistant.toAssistant(conversationId);
      await store.assistant.putSettings(shop, { enabled: false, provider: 'embedded' });
      expect(await store.assistant.getState(conversationId)).toMatchObject({ enabled: false, mode: 'human' });
      expect((await store.getSummary(conversationId))?.assistant).toBeUndefined();
    });

    it('replies: one per customer message, gap-free seq, committed in one update, stale ones swept as stopped', async () => {
      const shop = await newShop();
      const { conversationId, visitorId } = await newConversation(shop);
      const asked = await store.sendMessage(conversationId, 'q1', { role: 'visitor', id: visitorId, name: null }, 'hi');
      const body = { kind: 'text' as const, text: 'Hel', payload: { streaming: true, ai: { source: 'chat' as const, provider: 'embedded' } } };
      const [first, again] = await Promise.all([
        store.assistant.insertReply(conversationId, asked.message.id, body),
        store.assistant.insertReply(conversationId, asked.message.id, body),
      ]);
      expect([first.created, again.created].sort()).toEqual([false, true]);
      expect(first.message.id).toBe(again.message.id);
      const reply = first.message;
      expect(reply).toMatchObject({ seq: 2, clientId: `ai:${asked.message.id}`, author: { role: 'assistant', id: 'assistant', name: null }, streaming: true });
      const final = await store.assistant.commitReply(reply.id, { kind: 'text', text: 'Hello!', payload: { ai: { source: 'chat', provider: 'embedded' } } });
      expect(final).toMatchObject({ id: reply.id, seq: 2, text: 'Hello!', ai: { source: 'chat', provider: 'embedded' } });
      expect(final?.streaming).toBeUndefined();
      // A second commit (e.g. after the sweep) leaves the committed reply alone.
      const again2 = await store.assistant.commitReply(reply.id, { kind: 'text', text: 'other', payload: {} });
      expect(again2?.text).toBe('Hello!');
      const next = await store.sendMessage(conversationId, 'q2', { role: 'visitor', id: visitorId, name: null }, 'more');
      expect(next.message.seq).toBe(3);
      expect(await store.assistant.findReply(conversationId, reply.id)).toMatchObject({ id: reply.id });
      expect(await store.assistant.findReply('c_other', reply.id)).toBeNull();

      const stale = await store.assistant.insertReply(conversationId, next.message.id, { ...body, text: 'Half' });
      expect(await store.assistant.sweepStreaming(60_000)).toEqual([]);
      await store.db.query(`UPDATE messages SET created_at = now() - interval '3 minutes' WHERE id = $1`, [stale.message.id]);
      const swept = await store.assistant.sweepStreaming();
      expect(swept.map((m) => m.id)).toEqual([stale.message.id]);
      expect(swept[0]).toMatchObject({ text: 'Half', stopped: true });
      expect(swept[0].streaming).toBeUndefined();
      expect((await store.history(conversationId)).messages.map((m) => m.seq)).toEqual([1, 2, 3, 4]);
    });

    it('allProducts: every product of the shop', async () => {
      const shop = await newShop();
      for (const id of ['b', 'a']) {
        await store.upsertProduct(shop, { id, title: { en: id }, description: {}, price: { amount: 100, currency: 'CNY' }, compareAt: null, images: [], url: null, tags: [], variants: [] });
      }
      expect((await store.allProducts(shop)).map((p) => p.id)).toEqual(['a', 'b']);
    });

    it('knowledgeVersion: the same while nothing changes; changes with a product, a stock change, a FAQ entry or a removal', async () => {
      const shop = await newShop();
      const product = (stock: number) => ({
        id: 'k1',
        title: { en: 'K1' },
        description: {},
        price: { amount: 100, currency: 'CNY' },
        compareAt: null,
        images: [],
        url: null,
        tags: [],
        variants: [{ id: 'v', sku: null, options: {}, price: null, stock }],
      });
      const seen = new Set<string>();
      const v0 = await store.assistant.knowledgeVersion(shop);
      expect(await store.assistant.knowledgeVersion(shop)).toBe(v0);
      seen.add(v0);
      await store.upsertProduct(shop, product(3));
      const v1 = await store.assistant.knowledgeVersion(shop);
      await store.upsertProduct(shop, product(2));
      const v2 = await store.assistant.knowledgeVersion(shop);
      const entry = await store.assistant.createFaq(shop, { question: { en: 'Q?' }, answer: { en: 'A.' } });
      const v3 = await store.assistant.knowledgeVersion(shop);
      await store.assistant.deleteFaq(shop, entry.id);
      const v4 = await store.assistant.knowledgeVersion(shop);
      for (const v of [v1, v2, v3]) {
        expect(seen.has(v), `version ${v} is new`).toBe(false);
        seen.add(v);
      }
      // Removing the entry brings back the knowledge of v2 (so its version may be v2's), not v3's.
      expect(v4).not.toBe(v3);
    });
  });
}
