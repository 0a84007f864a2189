/**
 * The console's live connection: one agent client per signed-in session, the selected
 * conversation (kept in the URL fragment `#/c/<id>` so reload and Back work), and the
 * conversation list's paging state.
 */
import { atom, computed } from 'nanostores';
import { createVitrineClient, type ConversationHandle, type VitrineClient } from '../../../src/index.js';
import { webPorts } from '../lib/web-ports.js';
import { $session, signOut } from './session.js';

export const $client = atom<VitrineClient | null>(null);

export const $loadingMore = atom(false);

let current: { token: string; client: VitrineClient; off: () => void } | null = null;

$session.subscribe((session) => {
  if (current && current.token === session?.token) return;
  if (current) {
    current.off();
    current.client.destroy();
    current = null;
  }
  if (!session) {
    $client.set(null);
    return;
  }
  const client = createVitrineClient({
    url: window.location.origin,
    shop: session.shop.id,
    role: 'agent',
    token: session.token,
    ports: webPorts(`vitrine.console.${session.shop.id}.${session.agent.id}.`),
  });
  const off = client.$error.subscribe((error) => {
    if (error?.code === 'unauthorized') signOut('unauthorized');
  });
  current = { token: session.token, client, off };
  $client.set(client);
});

// --- selection, mirrored in the URL fragment -------------------------------------------

function idFromHash(): string | null {
  const m = /^#\/c\/(.+)$/.exec(window.location.hash);
  if (!m) return null;
  try {
    return decodeURIComponent(m[1]);
  } catch {
    return null;
  }
}

export const $selectedId = atom<string | null>(idFromHash());

window.addEventListener('hashchange', () => $selectedId.set(idFromHash()));

export function conversationHref(id: string): string {
  return `#/c/${encodeURIComponent(id)}`;
}

/** Closes the open conversation (narrow screens: back to the list). */
export function closeConversation(): void {
  if (window.location.hash) window.history.pushState(null, '', window.location.pathname + window.location.search);
  $selectedId.set(null);
}

export const $selected = computed([$client, $selectedId], (client, id): ConversationHandle | null =>
  client && id ? client.conversation(id) : null,
);

// --- conversation list paging ------------------------------------------------------------


export async function loadMoreConversations(): Promise<void> {
  const client = $client.get();
  if (!client || $loadingMore.get()) return;
  $loadingMore.set(true);
  try {
    await client.loadMoreConversations();
  } finally {
    $loadingMore.set(false);
  }
}
