/**
 * The assistant runner (issue 6): answers customer text messages of conversations the assistant
 * handles, one reply at a time per conversation, streaming what the provider writes.
 *
 * Nothing here is awaited by a socket handler: `trigger` returns at once and the run goes on in the
 * background (tracked, so shutdown waits for it after aborting it). A reply is stored through
 * `store.assistant.insertReply` (clientId `ai:<customer message id>`: one reply per customer
 * message, gap-free seq) at the first streamed text, then deltas are pushed every
 * {@link DELTA_INTERVAL_MS}, then the committed reply replaces it (`message:update`, full message).
 */
import type { AssistantState, HandoffReason, MessageDelta } from '../../src/protocol/assistant.js';
import type { ProductSnapshot } from '../../src/protocol/catalogue.js';
import type { AssistantSettings } from '../../src/protocol/assistant.js';
import type { Message } from '../../src/protocol/types.js';
import type { Logger } from '../log.js';
import { ASSISTANT_AUTHOR, type ReplyBody, type StoredAssistantState } from '../storage/assistant.js';
import { snapshot, type Store } from '../storage/store.js';
import { phrase } from './phrases.js';
import type { AssistantLocale, AssistantProvider, AssistantReply, KnowledgeSearch } from './provider.js';
import type { ProviderResolver } from './providers.js';
import { createKnowledgeSearch } from './retrieval.js';
import { detectLocale } from './text.js';

/** Streamed text is pushed at most this often (ms): deltas written meanwhile go out as one. */
export const DELTA_INTERVAL_MS = 40;
/** Knowledge (catalogue + FAQ) of a shop is rebuilt at least this often, for changes made by other processes (ms). */
export const KNOWLEDGE_TTL_MS = 30_000;
/** Settings of a shop are re-read at least this often (ms). */
export const SETTINGS_TTL_MS = 5_000;
/** Earlier messages given to the provider as history. */
export const HISTORY_MESSAGES = 12;
/** How often the stale-streaming sweep runs (ms). */
export const SWEEP_INTERVAL_MS = 60_000;

/** How the runner reaches the sockets (room emits work across processes with the Redis adapter). */
export interface RunnerEmitter {
  /** To the conversation's room and the shop's agents. */
  message(shop: string, conversationId: string, event: 'message:new' | 'message:update', payload: Message | MessageDelta): void;
  typing(shop: string, conversationId: string, typing: boolean): void;
  assistant(shop: string, conversationId: string, state: AssistantState): void;
  /** The agents' summary of the conversation changed. */
  summary(shop: string, conversationId: string): void;
  /** Some agent of the shop is connected. */
  staffOnline(shop: string): Promise<boolean>;
}

/** Options of {@link createAssistantRunner}. */
export interface RunnerOptions {
  store: Store;
  emit: RunnerEmitter;
  log: Logger;
  providers: ProviderResolver;
  /** Registers a background promise so shutdown can wait for it. */
  track?: (p: Promise<unknown>) => void;
  /** Sweep replies left streaming by dead processes (default true). */
  sweep?: boolean;
}

/** The answer of {@link AssistantRunner.ask} (`POST /api/assistant/try`). */
export interface TryReply {
  text: string;
  products: ProductSnapshot[];
  ai: AssistantReply['meta'];
  handoff?: HandoffReason;
}

/** A started runner. */
export interface AssistantRunner {
  /** A customer text message was stored in `shop`: answers it when the conversation's mode is `assistant`. */
  trigger(shop: string, message: Message): void;
  /** Stops the reply being written in the conversation (`messageId`: only that one). True when one was stopped. */
  stop(conversationId: string, messageId?: string): boolean;
  /** Stops the current reply and forgets queued questions (the conversation went to people). */
  abortConversation(conversationId: string): void;
  /** The shop's settings (cached for a few seconds). */
  settings(shop: string): Promise<AssistantSettings>;
  /** Answers `question` with the shop's configured provider without storing anything. */
  ask(shop: string, question: string, locale?: AssistantLocale): Promise<TryReply>;
  /** Adds `staffOnline` to a stored state. */
  withStaff(shop: string, state: StoredAssistantState): Promise<AssistantState>;
  /** Aborts every run, waits for them to commit, stops the sweep. */
  close(): Promise<void>;
}

interface Run {
  messageId: string | null;
  controller: AbortController;
  done: Promise<void>;
}

interface Lane {
  run: Run | null;
  /** The latest customer message that arrived while a run was going. */
  next: { shop: string; message: Message } | null;
}

function toLocale(locale: string | null | undefined): AssistantLocale {
  return locale && locale.toLowerCase().startsWith('en') ? 'en' : 'zh-CN';
}

/** Starts the runner (and its stale-streaming sweep). */
export function createAssistantRunner(opts: RunnerOptions): AssistantRunner {
  const { store, emit, log } = opts;
  const lanes = new Map<string, Lane>();
  const running = new Set<Promise<void>>();
  let closed = false;

  // ---- caches: settings and knowledge per shop ----
  const settingsCache = new Map<string, { at: number; value: Promise<AssistantSettings> }>();
  /** A cached knowledge search and the knowledge version it was built from (null: unknown). */
  interface KnowledgeEntry {
    at: number;
    value: Promise<KnowledgeSearch>;
    /** The knowledge version the search was built from (set once built; null: unknown). */
    built: { version: string | null };
  }
  const knowledgeCache = new Map<string, KnowledgeEntry>();

  function settings(shop: string): Promise<AssistantSettings> {
    const hit = settingsCache.get(shop);
    if (hit && Date.now() - hit.at < SETTINGS_TTL_MS) return hit.value;
    const value = store.assistant.getSettings(shop);
    settingsCache.set(shop, { at: Date.now(), value });
    value.catch(() => settingsCache.delete(shop));
    return value;
  }

  /**
   * The shop's knowledge search. Changes made through this process drop it at once; after
   * KNOWLEDGE_TTL_MS the (cheap) knowledge version is compared and the index — whose build takes
   * about a second for 10,000 products (bench:assistant) — is rebuilt only when another process changed
   * the catalogue or the FAQ.
   */
  function knowledge(shop: string): Promise<KnowledgeSearch> {
    const hit = knowledgeCache.get(shop);
    if (hit && Date.now() - hit.at < KNOWLEDGE_TTL_MS) return hit.value;
    const built: KnowledgeEntry['built'] = { version: hit?.built.version ?? null };
    const value = (async () => {
      // Read before the data: a change racing with the load only causes one more rebuild later.
      const version = await store.assistant.knowledgeVersion(shop);
      if (hit && hit.built.version === version) return hit.value;
      const [info, products, faq] = await Promise.all([store.getShop(shop), store.allProducts(shop), store.assistant.listFaq(shop)]);
      const search = createKnowledgeSearch({ shopId: shop, shopName: info?.name ?? shop, products, faq });
      built.version = version;
      return search;
    })();
    knowledgeCache.set(shop, { at: Date.now(), value, built });
    value.catch(() => knowledgeCache.delete(shop));
    return value;
  }

  const offProducts = store.onProductChange((shop) => knowledgeCache.delete(shop));
  const offAssistant = store.assistant.onChange((shop, what) => {
    if (what === 'faq') knowledgeCache.delete(shop);
    else settingsCache.delete(shop);
  });

  async function withStaff(shop: string, state: StoredAssistantState): Promise<AssistantState> {
    return { ...state, staffOnline: await emit.staffOnline(shop).catch(() => false) };
  }

  async function cards(shop: string, ids: readonly string[]): Promise<ProductSnapshot[]> {
    const unique = [...new Set(ids)].slice(0, 10);
    return unique.length === 0 ? [] : (await store.getProducts(shop, unique)).map(snapshot);
  }

  async function shopLocale(shop: string): Promise<AssistantLocale> {
    return toLocale((await store.getShop(shop))?.locale);
  }

  // ---- one reply ----

  async function answer(shop: string, question: Message, run: Run): Promise<void> {
    const conversationId = question.conversationId;
    const state = await store.assistant.getState(conversationId);
    if (!state || state.mode !== 'assistant' || run.controller.signal.aborted) return;
    const [shopSettings, search, history, fallbackLocale, staffOnline] = await Promise.all([
      settings(shop),
      knowledge(shop),
      store.history(conversationId, { beforeSeq: question.seq, limit: HISTORY_MESSAGES }),
      shopLocale(shop),
      emit.staffOnline(shop).catch(() => false),
    ]);
    if (!shopSettings.enabled || run.controller.signal.aborted) return;
    const locale = detectLocale(question.text, fallbackLocale);
    let provider: AssistantProvider | null = null;
    emit.typing(shop, conversationId, true);
    let typing = true;
    const stopTyping = (): void => {
      if (!typing) return;
      typing = false;
      emit.typing(shop, conversationId, false);
    };

    // Streaming state: `text` is what the provider wrote; `sent` what clients got (message:new + deltas).
    let text = '';
    let sent = 0;
    let reset = false;
    let stored: Message | null = null;
    let inserting: Promise<void> | null = null;
    let timer: NodeJS.Timeout | null = null;

    const flush = (): void => {
      timer = null;
      if (!stored || reset || text.length <= sent) return;
      const delta: MessageDelta = { conversationId, messageId: stored.id, seq: stored.seq, offset: sent, delta: text.slice(sent) };
      sent = text.length;
      emit.message(shop, conversationId, 'message:update', delta);
    };
    const schedule = (): void => {
      if (!timer && stored) timer = setTimeout(flush, DELTA_INTERVAL_MS);
    };
    const insertStreaming = (meta: { provider: string }): void => {
      const initial = text;
      inserting = store.assistant
        .insertReply(conversationId, question.id, { kind: 'text', text: initial, payload: { streaming: true, ai: { source: 'chat', provider: meta.provider } } })
        .then(({ message, created }) => {
          if (!created) {
            // Another process (or an earlier run) already answered this message: stop here.
            run.controller.abort();
            return;
          }
          stored = message;
          run.messageId = message.id;
          sent = initial.length;
          stopTyping();
          emit.message(shop, conversationId, 'message:new', message);
          emit.summary(shop, conversationId);
          schedule();
        });
    };

    let reply: AssistantReply | null = null;
    let failure: unknown = null;
    try {
      provider = await opts.providers(shop, shopSettings, () => store.assistant.getApiKey(shop));
      reply = await provider.reply({
        question: question.text,
        // The question's own context (the product a customer asked about from its page or the
        // feed) is part of what the provider must see: it reads context from the history.
        history: question.context ? [...history.messages, question] : history.messages,
        locale,
        search,
        staffOnline,
        signal: run.controller.signal,
        onDelta(delta) {
          if (run.controller.signal.aborted || delta === '') return;
          text += delta;
          if (!inserting) insertStreaming({ provider: provider?.name ?? 'embedded' });
          else schedule();
        },
        onReset() {
          text = '';
          // Once the reply is (being) stored, clients keep what they got until the final message
          // replaces it: no more deltas (their offsets would not match what clients have).
          if (inserting) reset = true;
        },
      });
    } catch (err) {
      failure = err;
    }
    if (inserting) await (inserting as Promise<void>).catch((err: unknown) => log.error(`assistant reply insert failed conv=${conversationId}`, err));
    if (timer) clearTimeout(timer);
    // What was written but not pushed yet goes out before the final message (deltas then add up to it).
    flush();
    const aborted = run.controller.signal.aborted;
    const providerName = reply?.meta.provider ?? (provider as AssistantProvider | null)?.name ?? 'embedded';

    let body: ReplyBody;
    let handoff: HandoffReason | undefined;
    if (aborted) {
      // Stopped (by the customer, a take-over or shutdown): keep what was written, if anything.
      stopTyping();
      if (!stored) return;
      body = { kind: 'text', text, payload: { stopped: true, ai: reply?.meta ?? { source: 'chat', provider: providerName } } };
    } else if (failure !== null || !reply) {
      log.warn(`assistant provider failed conv=${conversationId}: ${failure instanceof Error ? `${failure.name}: ${failure.message}` : String(failure)}`);
      handoff = 'provider_failed';
      body = { kind: 'text', text: phrase(locale, 'providerFailed'), payload: { ai: { source: 'handoff', provider: providerName } } };
    } else {
      handoff = reply.handoff;
      const found = await cards(shop, reply.productIds);
      const ai = { ...reply.meta };
      if (found.length === 1) body = { kind: 'product', text: reply.text, payload: { product: found[0], ai } };
      else if (found.length > 1) body = { kind: 'products', text: reply.text, payload: { products: found, ai } };
      else body = { kind: 'text', text: reply.text, payload: { ai } };
    }
    if (stored) {
      const final = await store.assistant.commitReply((stored as Message).id, body);
      if (final) emit.message(shop, conversationId, 'message:update', final);
    } else {
      const { message, created } = await store.assistant.insertReply(conversationId, question.id, body);
      if (created) emit.message(shop, conversationId, 'message:new', message);
    }
    stopTyping();
    emit.summary(shop, conversationId);
    if (handoff && !aborted) {
      const next = await store.assistant.handoff(conversationId, handoff);
      if (next) {
        log.info(`assistant: conv=${conversationId} handed off to people (${handoff})`);
        const lane = lanes.get(conversationId);
        if (lane) lane.next = null;
        emit.assistant(shop, conversationId, await withStaff(shop, next));
        emit.summary(shop, conversationId);
      }
    }
  }

  function start(shop: string, message: Message): void {
    const conversationId = message.conversationId;
    let lane = lanes.get(conversationId);
    if (!lane) {
      lane = { run: null, next: null };
      lanes.set(conversationId, lane);
    }
    const controller = new AbortController();
    const run: Run = { messageId: null, controller, done: Promise.resolve() };
    lane.run = run;
    const done = answer(shop, message, run)
      .catch((err: unknown) => log.error(`assistant run failed conv=${conversationId} message=${message.id}`, err))
      .finally(() => {
        const current = lanes.get(conversationId);
        if (!current || current.run !== run) return;
        current.run = null;
        const next = current.next;
        current.next = null;
        if (next && !closed) start(next.shop, next.message);
        else lanes.delete(conversationId);
      });
    run.done = done;
    running.add(done);
    void done.finally(() => running.delete(done));
    opts.track?.(done);
  }

  function trigger(shop: string, message: Message): void {
    if (closed || message.kind !== 'text' || message.author.role !== 'visitor') return;
    // The shop's setting is cached: shops without the assistant cost no query per message.
    settings(shop)
      .then((s) => {
        if (!s.enabled || closed) return;
        const lane = lanes.get(message.conversationId);
        if (lane?.run) {
          // One reply at a time: the latest question is answered next (earlier ones are in its history).
          if (!lane.next || lane.next.message.seq < message.seq) lane.next = { shop, message };
          return;
        }
        start(shop, message);
      })
      .catch((err: unknown) => log.error(`assistant trigger failed conv=${message.conversationId}`, err));
  }

  function stop(conversationId: string, messageId?: string): boolean {
    const run = lanes.get(conversationId)?.run;
    if (!run || (messageId !== undefined && run.messageId !== messageId)) return false;
    run.controller.abort();
    return true;
  }

  function abortConversation(conversationId: string): void {
    const lane = lanes.get(conversationId);
    if (!lane) return;
    lane.next = null;
    lane.run?.controller.abort();
  }

  async function ask(shop: string, question: string, locale?: AssistantLocale): Promise<TryReply> {
    const [shopSettings, search, fallbackLocale] = await Promise.all([settings(shop), knowledge(shop), shopLocale(shop)]);
    const provider = await opts.providers(shop, shopSettings, () => store.assistant.getApiKey(shop));
    const controller = new AbortController();
    const reply = await provider.reply({
      question,
      history: [],
      locale: locale ?? detectLocale(question, fallbackLocale),
      search,
      staffOnline: await emit.staffOnline(shop).catch(() => false),
      signal: controller.signal,
      onDelta: () => undefined,
      onReset: () => undefined,
    });
    return {
      text: reply.text,
      products: await cards(shop, reply.productIds),
      ai: reply.meta,
      ...(reply.handoff ? { handoff: reply.handoff } : {}),
    };
  }

  // ---- stale streaming replies (a process died while writing them) ----
  async function sweep(): Promise<void> {
    const swept = await store.assistant.sweepStreaming();
    for (const message of swept) {
      const conv = await store.getConversation(message.conversationId);
      if (!conv) continue;
      log.info(`assistant reply ${message.id} conv=${conv.id} left streaming: committed as stopped`);
      emit.message(conv.shop, conv.id, 'message:update', message);
      emit.summary(conv.shop, conv.id);
    }
  }
  let sweepTimer: NodeJS.Timeout | null = null;
  let sweeping: Promise<void> | null = null;
  const runSweep = (): void => {
    if (sweeping || closed) return;
    sweeping = sweep()
      .catch((err: unknown) => log.error('assistant stale-streaming sweep failed', err))
      .finally(() => {
        sweeping = null;
      });
  };
  if (opts.sweep !== false) {
    runSweep();
    sweepTimer = setInterval(runSweep, SWEEP_INTERVAL_MS);
    sweepTimer.unref();
  }

  async function close(): Promise<void> {
    closed = true;
    if (sweepTimer) clearInterval(sweepTimer);
    offProducts();
    offAssistant();
    for (const lane of lanes.values()) {
      lane.next = null;
      lane.run?.controller.abort();
    }
    while (running.size > 0) await Promise.allSettled([...running]);
    if (sweeping) await sweeping;
  }

  return { trigger, stop, abortConversation, settings, ask, withStaff, close };
}

/** The author of assistant replies (re-exported for tests and the socket layer). */
export { ASSISTANT_AUTHOR };
