/**
 * Saved quick replies ("Yes, in stock in all sizes"): per agent and shop, kept in this
 * browser's localStorage for now (no server storage yet; see docs/console.md). Until the agent
 * changes the list, a few defaults in the console's language are shown (and not stored).
 */
import { atom, computed } from 'nanostores';
import { $tr } from './locale.js';
import { $session } from './session.js';
import { localStoragePort } from '../lib/web-ports.js';

export interface QuickReply {
  id: string;
  text: string;
}

/** Longest quick reply (same as a message). */
export const QUICK_REPLY_MAX = 4000;
const MAX_REPLIES = 100;

const storage = localStoragePort('vitrine.console.');

function keyFor(shop: string, agent: string): string {
  return `${shop}.${agent}.quickReplies`;
}

let currentKey: string | null = null;

/** Stored list, or `null` when the agent never saved one (defaults show). */
const $stored = atom<QuickReply[] | null>(null);

function parse(raw: string | null): QuickReply[] | null {
  if (!raw) return null;
  try {
    const list: unknown = JSON.parse(raw);
    if (!Array.isArray(list)) return null;
    return list
      .filter((r): r is QuickReply => !!r && typeof (r as QuickReply).id === 'string' && typeof (r as QuickReply).text === 'string')
      .slice(0, MAX_REPLIES)
      .map((r) => ({ id: r.id, text: r.text.slice(0, QUICK_REPLY_MAX) }));
  } catch {
    return null;
  }
}

$session.subscribe((session) => {
  currentKey = session ? keyFor(session.shop.id, session.agent.id) : null;
  $stored.set(currentKey ? parse(storage.get(currentKey)) : null);
});

// Another console tab of the same agent changed the list: follow it.
window.addEventListener('storage', (event) => {
  if (currentKey && event.key === `vitrine.console.${currentKey}`) $stored.set(parse(event.newValue));
});

export const $quickReplies = computed([$stored, $tr], (stored, tr): QuickReply[] =>
  stored ?? [
    { id: 'default-stock', text: tr.t('console.quickReplies.default.stock') },
    { id: 'default-shipping', text: tr.t('console.quickReplies.default.shipping') },
    { id: 'default-try-on', text: tr.t('console.quickReplies.default.tryOn') },
  ],
);

function save(list: QuickReply[]): void {
  $stored.set(list);
  if (currentKey) storage.set(currentKey, JSON.stringify(list));
}

const newId = (): string => `qr-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;

export function addQuickReply(text: string): void {
  const clean = text.trim().slice(0, QUICK_REPLY_MAX);
  if (!clean) return;
  save([...$quickReplies.get(), { id: newId(), text: clean }].slice(0, MAX_REPLIES));
}

export function editQuickReply(id: string, text: string): void {
  const clean = text.trim().slice(0, QUICK_REPLY_MAX);
  if (!clean) return deleteQuickReply(id);
  save($quickReplies.get().map((r) => (r.id === id ? { ...r, text: clean } : r)));
}

export function deleteQuickReply(id: string): void {
  save($quickReplies.get().filter((r) => r.id !== id));
}

/** Quick replies whose text contains every word of `filter` (case-insensitive). */
export function filterQuickReplies(list: readonly QuickReply[], filter: string): QuickReply[] {
  const words = filter.toLowerCase().split(/\s+/).filter(Boolean);
  if (words.length === 0) return [...list];
  return list.filter((r) => {
    const text = r.text.toLowerCase();
    return words.every((w) => text.includes(w));
  });
}
