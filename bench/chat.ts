/**
 * Chat throughput and latency through the real reference server on 127.0.0.1.
 * Prints figures only. Usage: `npm run bench:chat [-- --clients 20 --messages 50 --db postgres://...]`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createAgent, createShop, startServer } from '../server/app.js';
import { createVitrineClient, memoryStorage, type ConversationHandle, type VitrineClient } from '../src/index.js';

const { values } = parseArgs({
  options: {
    clients: { type: 'string', default: '20' },
    messages: { type: 'string', default: '50' },
    db: { type: 'string' },
  },
});
const clientCount = Number(values.clients);
const perClient = Number(values.messages);

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
const wait = async (check: () => unknown) => {
  while (!check()) await new Promise((r) => setTimeout(r, 5));
};

const dataDir = mkdtempSync(join(tmpdir(), 'vitrine-bench-'));
const server = await startServer({ port: 0, quiet: true, ...(values.db ? { databaseUrl: values.db } : { dataDir }) });
await createShop(server.store, { id: 'bench', name: 'Bench' }).catch(() => {});
await createAgent(server.store, { shop: 'bench', email: 'b@bench.shop', name: 'B', password: 'bench-password' }).catch(() => {});

const clients: VitrineClient[] = [];
const conversations: ConversationHandle[] = [];
for (let i = 0; i < clientCount; i += 1) {
  const client = createVitrineClient({ url: server.url, shop: 'bench', ports: { storage: memoryStorage() } });
  clients.push(client);
  await wait(() => client.$conversation.get());
  conversations.push(client.$conversation.get()!);
}

const latencies: number[] = [];
const started = performance.now();
await Promise.all(
  conversations.map(async (conv, c) => {
    for (let i = 0; i < perClient; i += 1) {
      const t0 = performance.now();
      await conv.send(`client ${c} message ${i}`);
      latencies.push(performance.now() - t0);
    }
  }),
);
const elapsed = (performance.now() - started) / 1000;
latencies.sort((a, b) => a - b);

// Reconnect cost: a visitor away while 200 messages arrive catches up with history:get { afterSeq }.
const login = await fetch(`${server.url}/api/login`, {
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ email: 'b@bench.shop', password: 'bench-password' }),
});
const { token } = (await login.json()) as { token: string };
const agent = createVitrineClient({ url: server.url, shop: 'bench', role: 'agent', token });
await wait(() => agent.$connection.get() === 'online');
const storage = memoryStorage();
const away = createVitrineClient({ url: server.url, shop: 'bench', ports: { storage } });
await wait(() => away.$conversation.get());
const awayId = away.$conversation.get()!.id;
away.destroy();
const agentConv = agent.conversation(awayId);
for (let i = 0; i < 200; i += 1) await agentConv.send(`missed ${i}`);
const t0 = performance.now();
const back = createVitrineClient({ url: server.url, shop: 'bench', ports: { storage } });
await wait(() => back.$conversation.get()?.$messages.get().at(-1)?.text === 'missed 199');
const catchUp = performance.now() - t0;

console.log(`store: ${values.db ? 'PostgreSQL' : 'PGlite (embedded)'}`);
console.log(`clients: ${clientCount}, messages each: ${perClient}, total: ${latencies.length}`);
console.log(`throughput: ${(latencies.length / elapsed).toFixed(0)} acked sends/s`);
console.log(`ack latency ms: p50 ${percentile(latencies, 50).toFixed(1)}  p95 ${percentile(latencies, 95).toFixed(1)}  p99 ${percentile(latencies, 99).toFixed(1)}`);
console.log(`reconnect + catch-up of 200 missed messages (latest page): ${catchUp.toFixed(0)} ms`);

for (const c of [...clients, agent, back]) c.destroy();
await server.close();
rmSync(dataDir, { recursive: true, force: true });
