// @web/test-runner: widget/**/*.test.ts in real headless Chromium against the REAL reference server.
// `npx wtr` (or `npm run test:browser`). Tests get the server through the `vitrine-server` command.
import { esbuildPlugin } from '@web/dev-server-esbuild';
import { defaultReporter } from '@web/test-runner';
import { chromeLauncher } from '@web/test-runner-chrome';
import { CHROMIUM_ARGS } from './scripts/ensure-chromium.mjs';
import { countReporter } from './scripts/wtr-count-reporter.mjs';

const SHOP = 'wtr';
const AGENT = { email: 'agent@wtr.test', name: 'Mei', password: 'wtr-password-1' };

/** Loads server/app.ts through tsx (this config is plain .mjs). */
async function loadServerApp() {
  const { tsImport } = await import('tsx/esm/api');
  return tsImport('./server/app.ts', import.meta.url);
}

async function startSeeded(app) {
  const server = await app.startServer({ port: 0, host: '127.0.0.1', dataDir: 'memory://', quiet: true });
  await app.createShop(server.store, { id: SHOP, name: 'WTR Boutique' });
  await app.createAgent(server.store, { shop: SHOP, ...AGENT });
  const res = await fetch(`${server.url}/api/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: AGENT.email, password: AGENT.password }),
  });
  if (!res.ok) throw new Error(`wtr: agent login failed: ${res.status} ${await res.text()}`);
  const { token } = await res.json();
  return { server, info: { url: server.url, shop: SHOP, agentToken: token } };
}

/**
 * Starts the reference server (in-memory PGlite) for the whole run.
 * Command `vitrine-server`:
 *   payload undefined / { action: 'get' }  -> { url, shop, agentToken } of the shared server
 *   { action: 'start-extra' }               -> { id, url, shop, agentToken } of a fresh server
 *   { action: 'stop-extra', id }            -> { stopped: true } (its clients see the connection drop)
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
