/**
 * Saved quick replies ("Yes, in stock in all sizes"), shared by the shop's staff on the server
 * (`/api/quick-replies`). While the shop has none, a few defaults in the console's language are
 * shown; they are stored the first time the list is changed. Replies saved in this browser by
 * earlier consoles (localStorage) are offered for upload once, when the shop has none yet.
 */
import { atom, computed } from 'nanostores';
import type { ApiErrorCode } from '../api.js';
import * as api from '../api-commerce.js';
import { localStoragePort } from '../lib/web-ports.js';
import { $tr } from './locale.js';
import { codeOf, remote, withToken, type RemoteState } from './rest.js';
import { $session } from './session.js';

export interface QuickReplyItem {
  id: string;
  text: string;
}

/** Longest quick reply (same as a message). */
export const QUICK_REPLY_MAX = 4000;
const MAX_LOCAL = 100;

const storage = localStoragePort('vitrine.console.');

/** The shop's list on the server. */
export const $serverReplies = atom<RemoteState<QuickReplyItem[]>>(remote([]));
/** The last change that failed (cleared by the next success). */
export const $quickReplyError = atom<ApiErrorCode | null>(null);
/** Replies of this browser's old local list, offered for upload while the shop has none. */
export const $localOffer = atom<QuickReplyItem[]>([]);

let localKey: string | null = null;
let generation = 0;

function parseLocal(raw: string | null): QuickReplyItem[] {
  if (!raw) return [];
  try {
    const list: unknown = JSON.parse(raw);
    if (!Array.isArray(list)) return [];
    return list
      .filter((r): r is QuickReplyItem => !!r && typeof (r as QuickReplyItem).text === 'string' && (r as QuickReplyItem).text.trim() !== '')
      .slice(0, MAX_LOCAL)
      .map((r, i) => ({ id: `local-${i}`, text: r.text.trim().slice(0, QUICK_REPLY_MAX) }));
  } catch {
    return [];
  }
}

const slim = (r: { id: string; text: string }): QuickReplyItem => ({ id: r.id, text: r.text });

export async function loadQuickReplies(): Promise<void> {
  const mine = ++generation;
  $serverReplies.set({ ...$serverReplies.get(), loading: true });
  try {
    const items = (await withToken(api.listQuickReplies)).map(slim);
    if (mine !== generation) return;
    $serverReplies.set({ data: items, loading: false, error: null, loaded: true });
    const offered = localKey ? storage.get(`${localKey}.offered`) === '1' : true;
    $localOffer.set(items.length === 0 && !offered && localKey ? parseLocal(storage.get(localKey)) : []);
  } catch (e) {
    if (mine !== generation) return;
    $serverReplies.set({ ...$serverReplies.get(), loading: false, error: codeOf(e) });
  }
}

$session.subscribe((session) => {
  generation++;
  localKey = session ? `${session.shop.id}.${session.agent.id}.quickReplies` : null;
  $serverReplies.set(remote([]));
  $localOffer.set([]);
  if (session) void loadQuickReplies();
});

function defaults(): QuickReplyItem[] {
  const tr = $tr.get();
  return [
    { id: 'default-stock', text: tr.t('console.quickReplies.default.stock') },
    { id: 'default-shipping', text: tr.t('console.quickReplies.default.shipping') },
    { id: 'default-try-on', text: tr.t('console.quickReplies.default.tryOn') },
  ];
}

/** True while the defaults are shown (the shop has no quick replies stored). */
export const $showingDefaults = computed($serverReplies, (s) => s.data.length === 0);

export const $quickReplies = computed([$serverReplies, $tr], (s): QuickReplyItem[] => (s.data.length > 0 ? s.data : defaults()));

/** Changes run one after another, so the list on the server keeps the order they were made in. */
let queue: Promise<unknown> = Promise.resolve();

function change(fn: () => Promise<void>): Promise<void> {
  const run = queue.then(async () => {
    try {
      await fn();
      $quickReplyError.set(null);
    } catch (e) {
      $quickReplyError.set(codeOf(e));
      // Part of a change may have landed: show what the server has.
      await loadQuickReplies();
    }
  });
  queue = run;
  return run;
}

function setList(items: QuickReplyItem[]): void {
  $serverReplies.set({ ...$serverReplies.get(), data: items, loaded: true });
}

/** Stores the shown defaults (all but `skip`, with `replace` applied) before the first change. */
async function materialize(skip: string | null, replace: { id: string; text: string } | null): Promise<void> {
  if (!$showingDefaults.get()) return;
  const out: QuickReplyItem[] = [];
  for (const d of defaults()) {
    if (d.id === skip) continue;
    const text = replace && replace.id === d.id ? replace.text : d.text;
    out.push(slim(await withToken((t) => api.createQuickReply(t, text))));
  }
  setList(out);
}

const clean = (text: string): string => text.trim().slice(0, QUICK_REPLY_MAX);

export function addQuickReply(text: string): Promise<void> {
  const value = clean(text);
  if (!value) return Promise.resolve();
  return change(async () => {
    await materialize(null, null);
    const item = slim(await withToken((t) => api.createQuickReply(t, value)));
    setList([...$serverReplies.get().data, item]);
  });
}

export function editQuickReply(id: string, text: string): Promise<void> {
  const value = clean(text);
  if (!value) return deleteQuickReply(id);
  return change(async () => {
    if ($showingDefaults.get()) return materialize(null, { id, text: value });
    const item = slim(await withToken((t) => api.updateQuickReply(t, id, value)));
    setList($serverReplies.get().data.map((r) => (r.id === id ? item : r)));
  });
}

export function deleteQuickReply(id: string): Promise<void> {
  return change(async () => {
    if ($showingDefaults.get()) return materialize(id, null);
    await withToken((t) => api.deleteQuickReply(t, id));
    setList($serverReplies.get().data.filter((r) => r.id !== id));
  });
}

/** Uploads the offered local replies to the shop (once), after any already stored. */
export function uploadLocalReplies(): Promise<void> {
  const offer = $localOffer.get();
  return change(async () => {
    const added: QuickReplyItem[] = [];
    for (const r of offer) added.push(slim(await withToken((t) => api.createQuickReply(t, r.text))));
    setList([...$serverReplies.get().data, ...added]);
    dismissLocalOffer();
  });
}

/** Does not offer the local replies again (in this browser). */
export function dismissLocalOffer(): void {
  if (localKey) storage.set(`${localKey}.offered`, '1');
  $localOffer.set([]);
}

/** Quick replies whose text contains every word of `filter` (case-insensitive). */
export function filterQuickReplies(list: readonly QuickReplyItem[], filter: string): QuickReplyItem[] {
  const words = filter.toLowerCase().split(/\s+/).filter(Boolean);
  if (words.length === 0) return [...list];
  return list.filter((r) => {
    const text = r.text.toLowerCase();
    return words.every((w) => text.includes(w));
  });
}
