/**
 * `node --import tsx server/main.ts [--demo]`
 * Env: PORT (8787), HOST (127.0.0.1), VITRINE_DATA (./.vitrine-data), DATABASE_URL (postgres://...),
 * REDIS_URL (redis://...: several processes share rooms; needs DATABASE_URL), VITRINE_REDIS_PREFIX (vitrine),
 * VITRINE_BROADCAST_TICK_MS (5000: how often the broadcast scheduler looks for due campaigns),
 * VITRINE_DEMO_ASSISTANT (on|off, default on: --demo switches the demo shop's assistant on unless staff saved settings),
 * VITRINE_ASSISTANT_PACE_MS (30: pause between the embedded assistant's streamed chunks).
 */
import { startServer } from './app.js';

async function main(): Promise<void> {
  const demo = process.argv.includes('--demo');
  const port = process.env.PORT ? Number(process.env.PORT) : 8787;
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    process.stderr.write(`PORT must be an integer between 0 and 65535, got ${process.env.PORT}\n`);
    process.exit(2);
  }
  const tick = process.env.VITRINE_BROADCAST_TICK_MS ? Number(process.env.VITRINE_BROADCAST_TICK_MS) : undefined;
  if (tick !== undefined && (!Number.isInteger(tick) || tick < 10 || tick > 3_600_000)) {
    process.stderr.write(`VITRINE_BROADCAST_TICK_MS must be an integer between 10 and 3600000 (ms), got ${process.env.VITRINE_BROADCAST_TICK_MS}\n`);
    process.exit(2);
  }
  const demoAssistant = (process.env.VITRINE_DEMO_ASSISTANT || 'on').toLowerCase();
  if (demoAssistant !== 'on' && demoAssistant !== 'off') {
    process.stderr.write(`VITRINE_DEMO_ASSISTANT must be on or off, got ${process.env.VITRINE_DEMO_ASSISTANT}\n`);
    process.exit(2);
  }
  const pace = process.env.VITRINE_ASSISTANT_PACE_MS ? Number(process.env.VITRINE_ASSISTANT_PACE_MS) : undefined;
  if (pace !== undefined && (!Number.isInteger(pace) || pace < 0 || pace > 1000)) {
    process.stderr.write(`VITRINE_ASSISTANT_PACE_MS must be an integer between 0 and 1000 (ms), got ${process.env.VITRINE_ASSISTANT_PACE_MS}\n`);
    process.exit(2);
  }
  const databaseUrl = process.env.DATABASE_URL || undefined;
  const redisUrl = process.env.REDIS_URL || undefined;
  if (redisUrl && !databaseUrl) {
    process.stderr.write(
      'REDIS_URL is set but DATABASE_URL is not: several server processes must share one PostgreSQL database ' +
        '(the embedded PGlite store in VITRINE_DATA belongs to a single process). Set DATABASE_URL=postgres://... or unset REDIS_URL.\n',
    );
    process.exit(2);
  }
  const server = await startServer({
    port,
    host: process.env.HOST || '127.0.0.1',
    dataDir: process.env.VITRINE_DATA || './.vitrine-data',
    databaseUrl,
    redisUrl,
    redisKeyPrefix: process.env.VITRINE_REDIS_PREFIX || undefined,
    demo,
    quiet: process.env.VITRINE_QUIET === '1',
    broadcastTickMs: tick,
    demoAssistant: demoAssistant === 'on',
    assistantPaceMs: pace,
  });
  process.stdout.write(`Vitrine is running at ${server.url}  (console: ${server.url}/console/)\n`);

  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) {
      process.stderr.write(`${signal} again: exiting now\n`);
      process.exit(1);
    }
    stopping = true;
    const force = setTimeout(() => {
      process.stderr.write('shutdown took longer than 10 s: exiting\n');
      process.exit(1);
    }, 10_000);
    force.unref();
    server.close().then(
      () => process.exit(0),
      (err: unknown) => {
        process.stderr.write(`shutdown failed: ${String(err)}\n`);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

main().catch((err: unknown) => {
  process.stderr.write(`Vitrine failed to start: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
