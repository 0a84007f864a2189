/**
 * The shop's assistant as staff manage it: settings (`/api/settings/assistant`), the FAQ
 * (`/api/faq`) and the hand-off queue (`/api/assistant/handoffs`).
 *
 * The queue is kept live while anything shows it (the page, the nav badge): it reloads when the
 * agent connection reports a change of any conversation's assistant state or activity (the client's
 * conversation list follows `assistant:update` and `conversation:update`), and every 5 s as a fallback.
 */
import { atom } from 'nanostores';
import type { AssistantSettings, AssistantSettingsInput, ConversationSummary, FaqEntry, FaqInput, HandoffQueueItem } from '../../../src/index.js';
import * as api from '../api-assistant.js';
import { $client } from './chat.js';
import { loadInto, remote, withToken, type RemoteState } from './rest.js';
import { onNewSession } from './session.js';

export const $assistantSettings = atom<RemoteState<AssistantSettings | null>>(remote(null));
export const $faq = atom<RemoteState<FaqEntry[]>>(remote([]));
export const $handoffs = atom<RemoteState<HandoffQueueItem[]>>(remote([]));

let generation = 0;

export async function loadAssistantSettings(): Promise<void> {
  const mine = generation;
  await loadInto($assistantSettings, () => withToken(api.getAssistantSettings), () => mine === generation);
}

/** Saves the settings; rejects with the API error. */
export async function saveAssistantSettings(input: AssistantSettingsInput): Promise<AssistantSettings> {
  const saved = await withToken((t) => api.putAssistantSettings(t, input));
  $assistantSettings.set({ data: saved, loading: false, error: null, loaded: true });
  return saved;
}

export async function loadFaq(): Promise<void> {
  const mine = generation;
  await loadInto($faq, () => withToken(api.listFaq), () => mine === generation);
}

/** Creates (no `id`) or updates an entry; the list follows. Rejects with the API error. */
export async function saveFaq(id: string | null, input: FaqInput): Promise<FaqEntry> {
  const entry = await withToken((t) => (id ? api.updateFaq(t, id, input) : api.createFaq(t, input)));
  const s = $faq.get();
  const next = s.data.some((e) => e.id === entry.id) ? s.data.map((e) => (e.id === entry.id ? entry : e)) : [...s.data, entry];
  $faq.set({ ...s, data: next, loaded: true });
  return entry;
}

export async function removeFaq(id: string): Promise<void> {
  await withToken((t) => api.deleteFaq(t, id));
  const s = $faq.get();
  $faq.set({ ...s, data: s.data.filter((e) => e.id !== id) });
}

export function tryAssistant(question: string, locale?: string): Promise<api.TryReply> {
  return withToken((t) => api.tryAssistant(t, question, locale));
}

// ---- the hand-off queue -------------------------------------------------------------------

let queueLoad: Promise<void> | null = null;
let queueAgain = false;

/** Reloads the queue (calls while one runs are folded into one more load). */
export function loadHandoffs(): Promise<void> {
  if (queueLoad) {
    queueAgain = true;
    return queueLoad;
  }
  const mine = generation;
  queueLoad = (async () => {
    do {
      queueAgain = false;
      await loadInto($handoffs, () => withToken(api.listHandoffs), () => mine === generation);
    } while (queueAgain && mine === generation);
  })().finally(() => {
    queueLoad = null;
  });
  return queueLoad;
}

/** What, in a conversation summary, can move it into or out of the queue. */
function queueFingerprint(list: readonly ConversationSummary[]): string {
  return list
    .map((c) => {
      const a = c.assistant;
      return `${c.id}:${c.lastSeq}:${a ? `${a.mode}/${a.handoff?.at ?? ''}/${a.takeover?.agentId ?? ''}` : '-'}`;
    })
    .join('|');
}

let watchers = 0;
let stopWatching: (() => void) | null = null;

/** Keeps `$handoffs` live while at least one caller watches; returns the stop function. */
export function watchHandoffs(): () => void {
  watchers++;
  if (watchers === 1) {
    void loadHandoffs();
    const timer = setInterval(() => {
      if (document.visibilityState === 'visible') void loadHandoffs();
    }, 5000);
    let offList: (() => void) | null = null;
    let last = '';
    const offClient = $client.subscribe((client) => {
      offList?.();
      offList = null;
      if (!client) return;
      offList = client.$conversations.subscribe((list) => {
        const print = queueFingerprint(list);
        if (print !== last) {
          const first = last === '';
          last = print;
          if (!first) void loadHandoffs();
        }
      });
    });
    const onVisible = () => {
      if (document.visibilityState === 'visible') void loadHandoffs();
    };
    document.addEventListener('visibilitychange', onVisible);
    stopWatching = () => {
      clearInterval(timer);
      offClient();
      offList?.();
      document.removeEventListener('visibilitychange', onVisible);
    };
  }
  let stopped = false;
  return () => {
    if (stopped) return;
    stopped = true;
    watchers--;
    if (watchers === 0) {
      stopWatching?.();
      stopWatching = null;
    }
  };
}

/** Drops a conversation from the queue at once (the agent just took it over); the next load confirms. */
export function dropFromQueue(conversationId: string): void {
  const s = $handoffs.get();
  if (s.data.some((i) => i.conversationId === conversationId)) $handoffs.set({ ...s, data: s.data.filter((i) => i.conversationId !== conversationId) });
}

// A new sign-in (not the same session refreshed by `verifySession`) starts from nothing.
onNewSession(() => {
  generation++;
  $assistantSettings.set(remote(null));
  $faq.set(remote([]));
  $handoffs.set(remote([]));
});
