/**
 * Which page of the console is open, from the URL fragment: `#/catalogue`, `#/coupons`,
 * `#/reservations`, `#/segments`, `#/campaigns`, `#/assistant` (settings, Try it, FAQ; `#/faq` is the same page), `#/handoffs`, otherwise the inbox (`#/c/<id>` opens a conversation, see chat.ts).
 * Reload and Back work; the server serves the same shell for every console path.
 */
import { atom, computed } from 'nanostores';

export type Page = 'inbox' | 'handoffs' | 'catalogue' | 'coupons' | 'reservations' | 'segments' | 'campaigns' | 'assistant';

export const PAGES: readonly Page[] = ['inbox', 'handoffs', 'catalogue', 'coupons', 'reservations', 'segments', 'campaigns', 'assistant'];

const $hash = atom(window.location.hash);
window.addEventListener('hashchange', () => $hash.set(window.location.hash));

export function pageOf(hash: string): Page {
  const m = /^#\/(catalogue|coupons|reservations|segments|campaigns|assistant|faq|handoffs)(?:\/|$)/.exec(hash);
  if (m?.[1] === 'faq') return 'assistant';
  return m ? (m[1] as Page) : 'inbox';
}

export const $page = computed($hash, pageOf);

/** The last conversation opened, so "Inbox" goes back to it. */
let lastConversation: string | null = null;
$hash.subscribe((hash) => {
  if (hash.startsWith('#/c/')) lastConversation = hash;
  else if (pageOf(hash) === 'inbox') lastConversation = null;
});

export function pageHref(page: Page): string {
  if (page === 'inbox') return lastConversation ?? '#/';
  return `#/${page}`;
}
