/** Navigation between the console's pages (URL fragment routing, see stores/route.ts), with the hand-off queue's count. */
import { useEffect } from 'preact/hooks';
import type { Translator } from '../../../src/index.js';
import { at } from '../lib/assistant-strings.js';
import { useStore } from '../lib/use-store.js';
import { $handoffs, watchHandoffs } from '../stores/assistant.js';
import { $page, PAGES, pageHref, type Page } from '../stores/route.js';

function label(p: Page, tr: Translator): string {
  if (p === 'assistant') return at(tr, 'nav.assistant');
  if (p === 'handoffs') return at(tr, 'nav.handoffs');
  return tr.t(`console.nav.${p}`);
}

export function Nav({ tr }: { tr: Translator }) {
  const page = useStore($page);
  const handoffs = useStore($handoffs);
  useEffect(() => watchHandoffs(), []);
  const waiting = handoffs.data.length;
  return (
    <nav class="nav" aria-label={tr.t('console.nav.label')}>
      {PAGES.map((p) => (
        <a key={p} class={`nav__link${p === page ? ' nav__link--current' : ''}`} href={pageHref(p)} aria-current={p === page ? 'page' : undefined} data-testid={`nav-${p}`}>
          {label(p, tr)}
          {p === 'handoffs' && waiting > 0 && (
            <span class="count nav__count" data-testid="handoff-count" aria-label={at(tr, 'nav.handoffsCount', { count: waiting })}>
              {waiting > 99 ? '99+' : waiting}
            </span>
          )}
        </a>
      ))}
    </nav>
  );
}
