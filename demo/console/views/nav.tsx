/** Navigation between the console's pages (URL fragment routing, see stores/route.ts). */
import type { Translator } from '../../../src/index.js';
import { useStore } from '../lib/use-store.js';
import { $page, PAGES, pageHref } from '../stores/route.js';

export function Nav({ tr }: { tr: Translator }) {
  const page = useStore($page);
  return (
    <nav class="nav" aria-label={tr.t('console.nav.label')}>
      {PAGES.map((p) => (
        <a key={p} class={`nav__link${p === page ? ' nav__link--current' : ''}`} href={pageHref(p)} aria-current={p === page ? 'page' : undefined} data-testid={`nav-${p}`}>
          {tr.t(`console.nav.${p}`)}
        </a>
      ))}
    </nav>
  );
}
