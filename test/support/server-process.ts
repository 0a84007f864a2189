/**
 * The reference server as a real child process (`node --import tsx server/main.ts`), the way
 * `npm run demo` and `npm start` run it. Shared by the end-to-end, fault and scale-out suites.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { resolve } from 'node:path';

const root = resolve(import.meta.dirname, '../..');

/** A free TCP port on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => (typeof address === 'object' && address ? resolvePort(address.port) : reject(new Error('no port'))));
    });
  });
}

export interface ServerProcessOptions {
  port: number;
  /** Embedded store directory (`VITRINE_DATA`); ignored when `databaseUrl` is set. */
  dataDir?: string;
  databaseUrl?: string;
  redisUrl?: string;
  redisPrefix?: string;
  /** Seed the demo shop and agent (`--demo`). Default true. */
  demo?: boolean;
  /**
   * Switch the demo shop's assistant on (`VITRINE_DEMO_ASSISTANT=on`). Default false: suites that do
   * not test the assistant see no AI replies.
   */
  assistant?: boolean;
  /** Pause between the embedded assistant's streamed chunks (`VITRINE_ASSISTANT_PACE_MS`). */
  assistantPaceMs?: number;
  /** Keep the server's log quiet. Default true. */
  quiet?: boolean;
  /** Name used in error messages (several processes in one test). */
  name?: string;
  readyTimeoutMs?: number;
}

export interface ServerProcess {
  name: string;
  url: string;
  port: number;
  pid: number;
  output(): string;
  readonly exited: boolean;
  /** Sends `signal`; resolves with the signal that ended the process, or its exit code, as text. */
  kill(signal: NodeJS.Signals): Promise<string>;
  /** Graceful stop (SIGTERM); resolves with the exit code as text (`'0'` when clean). */
  stop(): Promise<string>;
}

/**
 * Starts the server and resolves once it printed its URL and `/healthz` answers 200. Only the
 * engines named in `opts` are used: an ambient `DATABASE_URL` or `REDIS_URL` is ignored.
 */
export async function startServerProcess(opts: ServerProcessOptions): Promise<ServerProcess> {
  const name = opts.name ?? `server:${opts.port}`;
  let out = '';
  const args = ['--import', 'tsx', 'server/main.ts', ...(opts.demo === false ? [] : ['--demo'])];
  const child: ChildProcess = spawn(process.execPath, args, {
    cwd: root,
    env: {
      ...process.env,
      PORT: String(opts.port),
      HOST: '127.0.0.1',
      VITRINE_DATA: opts.dataDir ?? '',
      DATABASE_URL: opts.databaseUrl ?? '',
      REDIS_URL: opts.redisUrl ?? '',
      VITRINE_REDIS_PREFIX: opts.redisPrefix ?? '',
      VITRINE_QUIET: opts.quiet === false ? '' : '1',
      VITRINE_DEMO_ASSISTANT: opts.assistant === true ? 'on' : 'off',
      VITRINE_ASSISTANT_PACE_MS: opts.assistantPaceMs === undefined ? '' : String(opts.assistantPaceMs),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (b: Buffer) => (out += b.toString()));
  child.stderr?.on('data', (b: Buffer) => (out += b.toString()));
  const ended = new Promise<string>((r) => child.once('exit', (code, signal) => r(signal ?? String(code))));
  const exited = (): boolean => child.exitCode !== null || child.signalCode !== null;

  const url = `http://127.0.0.1:${opts.port}`;
  const timeout = opts.readyTimeoutMs ?? 45_000;
  const deadline = Date.now() + timeout;
  for (;;) {
    if (exited()) throw new Error(`${name} exited early (${child.exitCode ?? child.signalCode}):\n${out}`);
    if (out.includes(url)) {
      const health = await fetch(`${url}/healthz`).catch(() => null);
      if (health?.status === 200) break;
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`${name} did not become ready within ${timeout} ms:\n${out}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }

  const kill = async (signal: NodeJS.Signals): Promise<string> => {
    if (exited()) return child.signalCode ?? String(child.exitCode);
    child.kill(signal);
    return ended;
  };
  return {
    name,
    url,
    port: opts.port,
    pid: child.pid ?? 0,
    output: () => out,
    get exited() {
      return exited();
    },
    kill,
    stop: () => kill('SIGTERM'),
  };
}
