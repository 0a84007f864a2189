/** Top level: the login form, or the console shell for a signed-in agent. */
import { useStore } from './lib/use-store.js';
import { $client } from './stores/chat.js';
import { $session } from './stores/session.js';
import { ConnectionBanner } from './views/connection-banner.js';
import { ConversationPane } from './views/conversation.js';
import { Header } from './views/header.js';
import { Inbox } from './views/inbox.js';
import { LoginView } from './views/login.js';
import { $selectedId } from './stores/chat.js';

export function App() {
  const session = useStore($session);
  const client = useStore($client);
  const selectedId = useStore($selectedId);
  if (!session || !client) return <LoginView />;
  return (
    <div class={`shell${selectedId ? ' shell--selected' : ''}`}>
      <Header session={session} />
      <ConnectionBanner client={client} />
      <div class="panes">
        <Inbox client={client} selectedId={selectedId} />
        <ConversationPane client={client} selectedId={selectedId} />
      </div>
    </div>
  );
}
