/** Tiny helpers for the browser tests (no chai / open-wc: plain DOM and a few asserts). */
import { executeServerCommand } from '@web/test-runner-commands';

export class AssertionError extends Error {
  override name = 'AssertionError';
}

export function assert(condition: unknown, message = 'assertion failed'): asserts condition {
  if (!condition) throw new AssertionError(message);
}

export function equal<T>(actual: T, expected: T, message = ''): void {
  if (!Object.is(actual, expected)) {
    throw new AssertionError(`${message ? `${message}: ` : ''}expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`);
  }
}

export function notEqual<T>(actual: T, unexpected: T, message = ''): void {
  if (Object.is(actual, unexpected)) throw new AssertionError(`${message ? `${message}: ` : ''}did not expect ${JSON.stringify(actual)}`);
}

export function deepEqual(actual: unknown, expected: unknown, message = ''): void {
  const a = JSON.stringify(actual);
  const e = JSON.stringify(expected);
  if (a !== e) throw new AssertionError(`${message ? `${message}: ` : ''}expected ${e}, got ${a}`);
}

/** Polls `check` until it returns a truthy value (returned) or the timeout passes. */
export async function waitFor<T>(check: () => T | Promise<T>, message = 'condition', timeout = 6000): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeout;
  let last: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value) return value as NonNullable<T>;
    } catch (e) {
      last = e;
    }
    if (Date.now() > deadline) {
      throw new AssertionError(`timed out waiting for ${message}${last ? ` (last error: ${String(last)})` : ''}`);
    }
    await new Promise((r) => setTimeout(r, 20));
  }
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** The reference server started by web-test-runner.config.mjs. */
export interface ServerInfo {
  url: string;
  shop: string;
  agentToken: string;
  /** Whether shop `wtr` has the catalogue of web-test-runner.config.mjs (`WTR_PRODUCTS`). */
  products?: boolean;
}

export function vitrineServer(): Promise<ServerInfo> {
  return executeServerCommand<ServerInfo, { action: 'get' }>('vitrine-server', { action: 'get' });
}

/** Creates or replaces a product of shop `wtr` on the shared server (needs the catalogue). */
export function upsertProduct(product: unknown): Promise<{ product: unknown }> {
  return executeServerCommand<{ product: unknown }, { action: 'upsert-product'; product: unknown }>('vitrine-server', {
    action: 'upsert-product',
    product,
  });
}

/** A separate, fresh server a test may stop (to see the connection drop). */
export function startExtraServer(): Promise<ServerInfo & { id: string }> {
  return executeServerCommand<ServerInfo & { id: string }, { action: 'start-extra' }>('vitrine-server', { action: 'start-extra' });
}

export function stopExtraServer(id: string): Promise<{ stopped: boolean }> {
  return executeServerCommand<{ stopped: boolean }, { action: 'stop-extra'; id: string }>('vitrine-server', { action: 'stop-extra', id });
}

/** Every element in `root` and in every shadow root below it. */
export function deepElements(root: ParentNode): Element[] {
  const out: Element[] = [];
  for (const el of root.querySelectorAll('*')) {
    out.push(el);
    if (el.shadowRoot) out.push(...deepElements(el.shadowRoot));
  }
  return out;
}

/** The focused element, looking through shadow roots. */
export function deepActiveElement(): Element | null {
  let active: Element | null = document.activeElement;
  while (active?.shadowRoot?.activeElement) active = active.shadowRoot.activeElement;
  return active;
}

/** Mocha's BDD globals (set up by @web/test-runner before a test file loads), typed without @types/mocha. */
interface MochaContext {
  timeout(ms: number): void;
  skip(): void;
}
type Fn = (this: MochaContext) => void | Promise<void>;
interface MochaGlobals {
  describe(name: string, fn: () => void): void;
  it(name: string, fn: Fn): void;
  before(fn: Fn): void;
  after(fn: Fn): void;
  beforeEach(fn: Fn): void;
  afterEach(fn: Fn): void;
}
const mocha = globalThis as unknown as MochaGlobals;
export const describe = mocha.describe.bind(globalThis);
export const it = mocha.it.bind(globalThis);
export const before = mocha.before.bind(globalThis);
export const after = mocha.after.bind(globalThis);
export const beforeEach = mocha.beforeEach.bind(globalThis);
export const afterEach = mocha.afterEach.bind(globalThis);
