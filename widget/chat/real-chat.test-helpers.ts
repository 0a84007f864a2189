// Shared set-up of the <vitrine-chat> suites that run against the real server (shop `wtr`, started by
// web-test-runner.config.mjs): the server info, clean-ups after each test, and an opened chat.
import { createVitrineClient, type ConversationHandle, type VitrineClient } from '../../src/index.js';
import { webPorts } from '../ports-web.js';
import { afterEach, before, vitrineServer, waitFor, type ServerInfo } from '../test-utils.js';
import './vitrine-chat.js';
import type { VitrineChat } from './vitrine-chat.js';

/** What {@link useRealChat} gives a suite. */
export interface RealChat {
  /** The running server (set before the first test). */
  readonly info: ServerInfo;
  /** Run after the current test, last registered first. */
  readonly cleanups: (() => void | Promise<void>)[];
  track<T extends { destroy(): void }>(client: T): T;
  visitorClient(): VitrineClient;
  agentClient(): VitrineClient;
  /** Mounts an open `<vitrine-chat>` (locale `en` unless given) and waits until its visitor is online. */
  openChat(props?: Partial<VitrineChat>): Promise<{ el: VitrineChat; visitor: VitrineClient; conv: ConversationHandle }>;
}

/** Registers the suite hooks (call once at module level) and returns the helpers. */
export function useRealChat(): RealChat {
  let server: ServerInfo | null = null;
  const cleanups: (() => void | Promise<void>)[] = [];
  before(async () => {
    server = await vitrineServer();
  });
  afterEach(async () => {
    for (const fn of cleanups.splice(0).reverse()) await fn();
    localStorage.clear();
  });
  const chat: RealChat = {
    get info(): ServerInfo {
      if (!server) throw new Error('the server is not started yet');
      return server;
    },
    cleanups,
    track(client) {
      cleanups.push(() => client.destroy());
      return client;
    },
    visitorClient: () => chat.track(createVitrineClient({ url: chat.info.url, shop: chat.info.shop, ports: webPorts(chat.info.shop), autoConnect: false })),
    agentClient: () => chat.track(createVitrineClient({ url: chat.info.url, shop: chat.info.shop, role: 'agent', token: chat.info.agentToken })),
    async openChat(props = {}) {
      const visitor = chat.visitorClient();
      const el = document.createElement('vitrine-chat');
      el.locale = 'en';
      Object.assign(el, { client: visitor, ...props });
      document.body.append(el);
      cleanups.push(() => el.remove());
      await el.updateComplete;
      el.show();
      const conv = await waitFor(() => visitor.$conversation.get(), 'visitor conversation');
      await waitFor(() => visitor.$connection.get() === 'online', 'visitor online');
      return { el, visitor, conv };
    },
  };
  return chat;
}
