import { useStore } from '../lib/use-store.js';
import { $tr } from '../stores/locale.js';
import { signOut, type Session } from '../stores/session.js';
import { LocaleSwitch } from './locale-switch.js';
import { Nav } from './nav.js';

export function Header({ session }: { session: Session }) {
  const tr = useStore($tr);
  return (
    <header class="topbar">
      <div class="topbar__brand">
        <span class="topbar__title">{tr.t('console.title')}</span>
        <span class="topbar__shop" data-testid="shop-name">
          {session.shop.name ?? session.shop.id}
        </span>
      </div>
      <Nav tr={tr} />
      <div class="topbar__end">
        <LocaleSwitch />
        <span class="topbar__agent" data-testid="agent-name" title={tr.t('console.signedInAs', { name: session.agent.email || session.agent.name })}>
          {session.agent.name}
        </span>
        <button type="button" class="btn btn--quiet" data-testid="logout" onClick={() => signOut()}>
          {tr.t('console.logout')}
        </button>
      </div>
    </header>
  );
}
