/** Storage tests, run against PGlite (memory://) and a real PostgreSQL database of its own. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Author } from '../../src/protocol/types.js';
import { createAgent, createShop, login } from '../auth.js';
import { hashToken } from '../security.js';
import { createTempPg, type TempPg } from '../test-support.js';
import { loadMigrations, migrate, openDb } from './db.js';
import { Store } from './store.js';

const pgTarget = await createTempPg();
const pgAvailable = !('skip' in pgTarget);
if ('skip' in pgTarget) console.warn(`[server] skipping PostgreSQL storage tests: ${pgTarget.skip}`);

afterAll(async () => {
  if (pgAvailable) await (pgTarget as TempPg).drop();
});

const backends = [
  { name: 'PGlite', available: true, opts: () => ({ dataDir: 'memory://' }) },
  { name: 'PostgreSQL', available: pgAvailable, opts: () => ({ databaseUrl: (pgTarget as TempPg).url }) },
];

for (const backend of backends) {
  describe.skipIf(!backend.available)(`storage on ${backend.name}`, () => {
    let store: Store;
    let n = 0;
    const shop = (): string => `shop-${backend.name.toLowerCase()}-${++n}`;

    beforeAll(async () => {
      store = await Store.open(backend.opts());
    });
    afterAll(async () => {
      await store?.close();
    });

    async function newConversation(): Promise<{ shopId: string; conv: string; visitorId: string }> {
      const shopId = shop();
      await createShop(store, { id: shopId, name: 'Test shop' });
      const { visitor, conversation } = await store.createVisitor(shopId, hashToken(`t-${shopId}`));
      return { shopId, conv: conversation.id, visitorId: visitor.id };
    }
    const visitorAuthor = (id: string): Author => ({ role: 'visitor', id, name: null });

    it('migrations are recorded and idempotent', async () => {
      const again = await migrate(store.db);
      expect(again).toEqual([]);
      const rows = await store.db.query<{ version: number }>('SELECT version FROM schema_migrations ORDER BY version');
      expect(rows.map((r) => Number(r.version))).toEqual(loadMigrations().map((m) => m.version));
      // A second handle on the same database applies nothing either.
      if (backend.name === 'PostgreSQL') {
        const other = await openDb(backend.opts());
        expect(await migrate(other)).toEqual([]);
        await other.close();
      }
    });

    it('a failing migration rolls back completely', async () => {
      const bad = [{ version: 9999, name: '9999_bad.sql', sql: 'CREATE TABLE should_vanish (x int); SELECT * FROM no_such_table;' }];
      await expect(migrate(store.db, bad)).rejects.toThrow();
      const rows = await store.db.query("SELECT 1 FROM information_schema.tables WHERE table_name = 'should_vanish'");
      expect(rows).toHaveLength(0);
      expect(await store.db.query('SELECT 1 FROM schema_migrations WHERE version = 9999')).toHaveLength(0);
    });

    it('findOrCreateVisitor: 20 parallel first opens with one token make one visitor and conversation', async () => {
      const shopId = shop();
      await createShop(store, { id: shopId, name: 'Race shop' });
      const results = await Promise.all(Array.from({ length: 20 }, () => store.findOrCreateVisitor(shopId, hashToken(`race-${shopId}`))));
      expect(new Set(results.map((r) => r?.visitor.id)).size).toBe(1);
      expect(new Set(results.map((r) => r?.conversation.id)).size).toBe(1);
      const rows = await store.db.query<{ n: string }>('SELECT count(*) AS n FROM visitors WHERE shop = $1', [shopId]);
      expect(Number(rows[0].n)).toBe(1);
      // A token already bound in another shop is not taken over.
      const other = shop();
      await createShop(store, { id: other, name: 'Other shop' });
      expect(await store.findOrCreateVisitor(other, hashToken(`race-${shopId}`))).toBeNull();
    });

    it('tokens are stored only as sha256 hashes', async () => {
      const shopId = shop();
      await createShop(store, { id: shopId, name: 'Hash shop' });
      await store.createVisitor(shopId, hashToken('secret-visitor-token'));
      const rows = await store.db.query<{ token_hash: string }>('SELECT token_hash FROM visitors WHERE shop = $1', [shopId]);
      expect(rows[0].token_hash).toBe(hashToken('secret-visitor-token'));
      expect(rows[0].token_hash).not.toContain('secret');
      expect(await store.findVisitor(shopId, hashToken('secret-visitor-token'))).not.toBeNull();
      expect(await store.findVisitor('other-shop', hashToken('secret-visitor-token'))).toBeNull();
    });

    it('seq is gap-free under 50 concurrent sends', async () => {
      const { conv, visitorId } = await newConversation();
      const results = await Promise.all(
        Array.from({ length: 50 }, (_, i) => store.sendMessage(conv, `c${i}`, visitorAuthor(visitorId), `m${i}`)),
      );
      expect(results.every((r) => r.created)).toBe(true);
      expect(results.map((r) => r.message.seq).sort((a, b) => a - b)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
      const page = await store.history(conv, { afterSeq: 0, limit: 100 });
      expect(page.messages.map((m) => m.seq)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
      expect((await store.getConversation(conv))?.lastSeq).toBe(50);
    });

    it('clientId is idempotent, also under concurrent repeats', async () => {
      const { conv, visitorId } = await newConversation();
      const first = await store.sendMessage(conv, 'same', visitorAuthor(visitorId), 'original');
      expect(first.created).toBe(true);
      const repeat = await store.sendMessage(conv, 'same', visitorAuthor(visitorId), 'changed text');
      expect(repeat.created).toBe(false);
      expect(repeat.message).toEqual(first.message);
      const racing = await Promise.all(Array.from({ length: 10 }, () => store.sendMessage(conv, 'race', visitorAuthor(visitorId), 'r')));
      expect(racing.filter((r) => r.created)).toHaveLength(1);
      const ids = new Set(racing.map((r) => r.message.id));
      expect(ids.size).toBe(1);
      const all = await store.history(conv);
      expect(all.messages.map((m) => m.seq)).toEqual([1, 2]);
      expect((await store.sendMessage(conv, 'next', visitorAuthor(visitorId), 'n')).message.seq).toBe(3);
    });

    it('history pages forwards and backwards, always ascending', async () => {
      const { conv, visitorId } = await newConversation();
      for (let i = 1; i <= 7; i++) await store.sendMessage(conv, `h${i}`, visitorAuthor(visitorId), `t${i}`);
      const seqs = (p: { messages: { seq: number }[] }): number[] => p.messages.map((m) => m.seq);
      expect(seqs(await store.history(conv, { limit: 3 }))).toEqual([5, 6, 7]);
      expect((await store.history(conv, { limit: 3 })).hasMore).toBe(true);
      expect((await store.history(conv, { limit: 7 })).hasMore).toBe(false);
      expect(seqs(await store.history(conv, { afterSeq: 2, limit: 2 }))).toEqual([3, 4]);
      expect((await store.history(conv, { afterSeq: 5, limit: 2 })).hasMore).toBe(false);
      expect(seqs(await store.history(conv, { beforeSeq: 5, limit: 2 }))).toEqual([3, 4]);
      expect((await store.history(conv, { beforeSeq: 3, limit: 2 })).hasMore).toBe(false);
      expect(seqs(await store.history(conv, { afterSeq: Number.MAX_SAFE_INTEGER }))).toEqual([]);
      expect(seqs(await store.history(conv, { beforeSeq: Number.MAX_SAFE_INTEGER, limit: 1 }))).toEqual([7]);
    });

    it('history of a reconnect uses the (conversation_id, seq) index', async () => {
      const { conv } = await newConversation();
      const plan = await store.db.query<Record<string, string>>(
        'EXPLAIN SELECT id FROM messages WHERE conversation_id = $1 AND seq > $2 ORDER BY seq LIMIT 51',
        [conv, 10],
      );
      const text = plan.map((r) => Object.values(r).join(' ')).join('\n');
      // Tiny tables may be scanned sequentially; with the planner nudged, the unique index must serve it.
      await store.db.exec('SET enable_seqscan = off');
      try {
        const forced = await store.db.query<Record<string, string>>(
          'EXPLAIN SELECT id FROM messages WHERE conversation_id = $1 AND seq > $2 ORDER BY seq LIMIT 51',
          [conv, 10],
        );
        expect(forced.map((r) => Object.values(r).join(' ')).join('\n')).toContain('messages_conversation_seq_key');
      } finally {
        await store.db.exec('SET enable_seqscan = on');
      }
      expect(text.length).toBeGreaterThan(0);
    });

    it('read marks move forward only and never past lastSeq', async () => {
      const { conv, visitorId } = await newConversation();
      for (let i = 1; i <= 3; i++) await store.sendMessage(conv, `r${i}`, visitorAuthor(visitorId), 'x');
      expect(await store.setRead(conv, 'visitor', 2)).toEqual({ seq: 2, changed: true });
      expect(await store.setRead(conv, 'visitor', 1)).toEqual({ seq: 2, changed: false });
      expect(await store.setRead(conv, 'visitor', 2)).toEqual({ seq: 2, changed: false });
      expect(await store.setRead(conv, 'visitor', 99)).toEqual({ seq: 3, changed: true });
      expect(await store.setRead(conv, 'agent', Number.MAX_SAFE_INTEGER)).toEqual({ seq: 3, changed: true });
      const c = await store.getConversation(conv);
      expect(c?.visitorReadSeq).toBe(3);
      expect(c?.agentReadSeq).toBe(3);
    });

    it('summaries count unread visitor messages and list by activity', async () => {
      const shopId = shop();
      await createShop(store, { id: shopId, name: 'List shop' });
      const convs: string[] = [];
      for (let i = 0; i < 5; i++) {
        const { visitor, conversation } = await store.createVisitor(shopId, hashToken(`l-${shopId}-${i}`), { name: `V${i}` });
        await store.sendMessage(conversation.id, 'a', visitorAuthor(visitor.id), 'hi');
        convs.push(conversation.id);
      }
      // An empty conversation is not listed.
      await store.createVisitor(shopId, hashToken(`l-${shopId}-empty`));
      await store.sendMessage(convs[1], 'b', { role: 'agent', id: 'a_x', name: 'Lin' }, 'reply');
      const first = await store.listConversations(shopId, { limit: 2 });
      expect(first.items.map((c) => c.id)).toEqual([convs[1], convs[4]]);
      expect(first.hasMore).toBe(true);
      expect(first.items[0].unread).toBe(1);
      expect(first.items[0].lastMessage?.text).toBe('reply');
      expect(first.items[0].visitorName).toBe('V1');
      const rest = await store.listConversations(shopId, { limit: 10, before: first.items[1].updatedAt });
      expect(rest.items.map((c) => c.id)).toEqual([convs[3], convs[2], convs[0]]);
      expect(rest.hasMore).toBe(false);
    });

    it('list paging with the (updatedAt, id) cursor never skips conversations that share one updatedAt', async () => {
      const shopId = shop();
      await createShop(store, { id: shopId, name: 'Tie shop' });
      const ids: string[] = [];
      for (let i = 0; i < 7; i++) {
        const { visitor, conversation } = await store.createVisitor(shopId, hashToken(`tie-${shopId}-${i}`));
        await store.sendMessage(conversation.id, 'a', visitorAuthor(visitor.id), 'hi');
        ids.push(conversation.id);
      }
      // Concurrent writers on PostgreSQL can end with equal timestamps: make five of seven tie.
      await store.db.query(`UPDATE conversations SET updated_at = '2026-11-23T10:00:00.123Z' WHERE id = ANY($1::text[])`, [ids.slice(1, 6)]);
      const seen: string[] = [];
      let cursor: { before?: string; beforeId?: string } = {};
      for (let page = 0; page < 10; page++) {
        const res = await store.listConversations(shopId, { limit: 2, ...cursor });
        seen.push(...res.items.map((c) => c.id));
        const last = res.items.at(-1);
        if (!res.hasMore || !last) break;
        cursor = { before: last.updatedAt, beforeId: last.id };
      }
      expect([...seen].sort()).toEqual([...ids].sort());
      expect(new Set(seen).size).toBe(seen.length);
    });

    it('agents: scrypt passwords, sessions by token hash, duplicate e-mails refused', async () => {
      const shopId = shop();
      await createShop(store, { id: shopId, name: 'Agent shop' });
      const a = await createAgent(store, { shop: shopId, email: 'Staff@Example.com', name: 'Staff', password: 'pass-word-1' });
      expect(a.email).toBe('staff@example.com');
      const row = await store.findAgent(shopId, 'staff@example.com');
      expect(row?.passwordHash).toMatch(/^scrypt\$/);
      expect(row?.passwordHash).not.toContain('pass-word-1');
      await expect(createAgent(store, { shop: shopId, email: 'staff@example.com', name: 'X', password: 'another-1' })).rejects.toThrow(/already exists/);
      expect(await login(store, { email: 'staff@example.com', password: 'wrong-password', shop: shopId })).toBeNull();
      const ok = await login(store, { email: 'STAFF@example.com', password: 'pass-word-1' });
      expect(ok?.agent.id).toBe(a.id);
      expect(ok?.shop.id).toBe(shopId);
      expect(await store.findAgentBySession(hashToken(ok!.token))).not.toBeNull();
      const stored = await store.db.query<{ token_hash: string }>('SELECT token_hash FROM agent_sessions WHERE agent_id = $1', [a.id]);
      expect(stored.map((r) => r.token_hash)).toEqual([hashToken(ok!.token)]);
    });
  });
}
