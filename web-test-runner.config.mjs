// @web/test-runner: widget/**/*.test.ts in real headless Chromium against the REAL reference server.
// `npx wtr` (or `npm run test:browser`). Tests get the server through the `vitrine-server` command.
import { esbuildPlugin } from '@web/dev-server-esbuild';
import { defaultReporter } from '@web/test-runner';
import { chromeLauncher } from '@web/test-runner-chrome';
import { CHROMIUM_ARGS } from './scripts/ensure-chromium.mjs';
import { countReporter } from './scripts/wtr-count-reporter.mjs';

const SHOP = 'wtr';
const AGENT = { email: 'agent@wtr.test', name: 'Mei', password: 'wtr-password-1' };
/** A second shop with the AI assistant on (embedded provider, demo FAQ), so shop `wtr` sees no AI replies. */
const AI_SHOP = 'wtr-ai';
const AI_AGENT = { email: 'agent@wtr-ai.test', name: 'Lan', password: 'wtr-password-2' };
/** The embedded provider's pause between streamed chunks: small, yet slow enough to see the text grow and press Stop. */
const ASSISTANT_PACE_MS = 40;

/** Loads server/app.ts through tsx (this config is plain .mjs). */
async function loadServerApp() {
  const { tsImport } = await import('tsx/esm/api');
  return tsImport('./server/app.ts', import.meta.url);
}

async function startSeeded(app) {
  const server = await app.startServer({ port: 0, host: '127.0.0.1', dataDir: 'memory://', quiet: true, assistantPaceMs: ASSISTANT_PACE_MS });
  await app.createShop(server.store, { id: SHOP, name: 'WTR Boutique' });
  await app.createAgent(server.store, { shop: SHOP, ...AGENT });
  const token = await login(server.url, AGENT);
  const products = await seedProducts(server.store);
  const assistant = await seedAssistantShop(app, server);
  return { server, info: { url: server.url, shop: SHOP, agentToken: token, products, assistant } };
}

async function login(url, agent) {
  const res = await fetch(`${url}/api/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: agent.email, password: agent.password }),
  });
  if (!res.ok) throw new Error(`wtr: agent login failed: ${res.status} ${await res.text()}`);
  return (await res.json()).token;
}

/**
 * Shop `wtr-ai`: the assistant on (embedded provider) with the demo FAQ, and its own agent (for
 * take-overs). `null` when the server has no assistant store yet (the assistant tests then skip).
 */
async function seedAssistantShop(app, server) {
  if (typeof server.store?.assistant?.putSettings !== 'function') return null;
  const { DEMO_FAQ } = await import('tsx/esm/api').then(({ tsImport }) => tsImport('./server/assistant/demo-faq.ts', import.meta.url));
  await app.createShop(server.store, { id: AI_SHOP, name: 'WTR AI Boutique' });
  await app.createAgent(server.store, { shop: AI_SHOP, ...AI_AGENT });
  await server.store.assistant.putSettings(AI_SHOP, { enabled: true, provider: 'embedded' });
  await server.store.assistant.seedFaq(AI_SHOP, [...DEMO_FAQ]);
  return { shop: AI_SHOP, agentToken: await login(server.url, AI_AGENT), agentName: AI_AGENT.name };
}

/**
 * Products of shop `wtr` for the product-card tests in <vitrine-chat>: six demo-like products in
 * CNY, USD, EUR and JPY. Seeded only when the server has a catalogue (`store.upsertProduct`);
 * `info.products` tells the tests whether it does.
 */
export const WTR_PRODUCTS = [
  {
    id: 'etoile-necklace',
    title: { 'zh-CN': '星辰项链', en: 'Étoile star necklace' },
    description: { en: '18K gold-plated S925 silver.' },
    price: { amount: 69900, currency: 'CNY' },
    compareAt: { amount: 89900, currency: 'CNY' },
    images: ['/img/necklace.svg'],
    url: '/#p-etoile-necklace',
    tags: ['necklace'],
    variants: [
      { id: 'gold', sku: 'ETN-G', options: { colour: 'gold' }, price: null, stock: 12 },
      { id: 'silver', sku: 'ETN-S', options: { colour: 'silver' }, price: null, stock: 0 },
    ],
  },
  {
    id: 'perle-studs',
    title: { 'zh-CN': '珍珠耳钉', en: 'Perle pearl studs' },
    description: { en: '8 mm pin.' },
    price: { amount: 4500, currency: 'USD' },
    compareAt: null,
    images: [],
    url: 'https://shop.example/perle-studs',
    tags: ['earrings'],
    variants: [{ id: 'default', sku: 'PRL', options: {}, price: null, stock: 2 }],
  },
  {
    id: 'jade-bangle',
    title: { en: 'Hetian jade bangle' },
    description: { en: 'Jade.' },
    price: { amount: 12000, currency: 'JPY' },
    compareAt: null,
    images: [],
    url: null,
    tags: ['bangle'],
    variants: [{ id: 'default', sku: 'JDB', options: {}, price: null, stock: 0 }],
  },
  {
    id: 'hostile-title',
    title: { en: '<img src=x onerror=alert(1)>' },
    description: { en: '<script>alert(1)</script>' },
    price: { amount: 999, currency: 'EUR' },
    compareAt: null,
    images: [],
    url: null,
    tags: [],
    variants: [],
  },
];

async function seedProducts(store) {
  if (typeof store?.upsertProduct !== 'function') return false;
  try {
    for (const product of WTR_PRODUCTS) await store.upsertProduct(SHOP, product);
    return true;
  } catch (error) {
    console.error('wtr: could not seed the catalogue (product tests in <vitrine-chat> will be skipped):', error);
    return false;
  }
}

/**
 * Starts the reference server (in-memory PGlite) for the whole run.
 * Command `vitrine-server`:
 *   payload undefined / { action: 'get' }  -> { url, shop, agentToken, products, assistant } of the shared server
 *                                             (products: whether shop wtr has the WTR_PRODUCTS catalogue;
 *                                             assistant: { shop, agentToken, agentName } of shop wtr-ai, whose
 *                                             AI assistant is on, or null when the server has none)
 *   { action: 'start-extra' }               -> { id, url, shop, agentToken } of a fresh server
 *   { action: 'stop-extra', id }            -> { stopped: true } (its clients see the connection drop)
 *   { action: 'upsert-product', product }   -> { product } (shared server, shop wtr; needs the catalogue)
 */
function vitrineServerPlugin() {
  let app;
  let main;
  const extras = new Map();
  let nextId = 1;
  return {
    name: 'vitrine-server',
    async serverStart() {
      app = await loadServerApp();
      main = await startSeeded(app);
    },
    async serverStop() {
      for (const { server } of extras.values()) await server.close().catch(() => {});
      extras.clear();
      await main?.server.close();
    },
    async executeCommand({ command, payload }) {
      if (command !== 'vitrine-server') return undefined;
      const action = payload?.action ?? 'get';
      if (action === 'get') return main.info;
      if (action === 'upsert-product') {
        // Changes a product of the shared server (e.g. its stock, for live-stock tests).
        const { product } = await main.server.store.upsertProduct(SHOP, payload.product);
        return { product };
      }
      if (action === 'start-extra') {
        const id = String(nextId++);
        const started = await startSeeded(app);
        extras.set(id, started);
        return { id, ...started.info };
      }
      if (action === 'stop-extra') {
        const started = extras.get(payload.id);
        extras.delete(payload.id);
        await started?.server.close();
        return { stopped: Boolean(started) };
      }
      throw new Error(`vitrine-server: unknown action ${action}`);
    },
  };
}

export default {
  files: ['widget/**/*.test.ts'],
  // 'production' (not the default 'development'): socket.io-parser's development build imports CommonJS `debug`.
  nodeResolve: { browser: true, exportConditions: ['production'] },
  concurrency: 1,
  plugins: [
    // tsconfig: false: esbuild uses its own TS defaults (no decorators needed: elements use static properties).
    esbuildPlugin({ ts: true, target: 'es2022', tsconfig: false }),
    vitrineServerPlugin(),
  ],
  testRunnerHtml: (testFramework) => `<!doctype html>
<html>
  <head><meta charset="utf-8"></head>
  <body>
    <script>window.process = { env: { NODE_ENV: 'development' } };</script>
    <script type="module" src="${testFramework}"></script>
  </body>
</html>`,
  browsers: [
    chromeLauncher({
      launchOptions: {
        executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
        headless: true,
        args: CHROMIUM_ARGS,
      },
    }),
  ],
  reporters: [defaultReporter(), countReporter({ file: process.env.WTR_COUNT_FILE || '.test-output/wtr.json' })],
  testFramework: { config: { timeout: 10000 } },
};
