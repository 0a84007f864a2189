/** Top level: the login form, or the console shell (inbox, hand-offs, catalogue, coupons, reservations, segments, campaigns, assistant) for a signed-in agent. */
import { useStore } from './lib/use-store.js';
import { $client, $selectedId } from './stores/chat.js';
import { $page } from './stores/route.js';
import { $session } from './stores/session.js';
import { AssistantPage } from './views/assistant-page.js';
import { CampaignsPage } from './views/campaigns-page.js';
import { CataloguePage } from './views/catalogue-page.js';
import { ConnectionBanner } from './views/connection-banner.js';
import { ConversationPane } from './views/conversation.js';
import { CouponsPage } from './views/coupons-page.js';
import { HandoffQueuePage } from './views/handoff-queue.js';
import { Header } from './views/header.js';
import { Inbox } from './views/inbox.js';
import { LoginView } from './views/login.js';
import { ReservationsPage } from './views/reservations-page.js';
import { SegmentsPage } from './views/segments-page.js';

export function App() {
  const session = useStore($session);
  const client = useStore($client);
  const selectedId = useStore($selectedId);
  const page = useStore($page);
  if (!session || !client) return <LoginView />;
  return (
    <div class={`shell${page === 'inbox' && selectedId ? ' shell--selected' : ''}`}>
      <Header session={session} />
      <ConnectionBanner client={client} />
      {page === 'inbox' && (
        <div class="panes">
          <Inbox client={client} selectedId={selectedId} />
          <ConversationPane client={client} selectedId={selectedId} />
        </div>
      )}
      {page === 'catalogue' && <CataloguePage />}
      {page === 'coupons' && <CouponsPage />}
      {page === 'reservations' && <ReservationsPage />}
      {page === 'segments' && <SegmentsPage />}
      {page === 'campaigns' && <CampaignsPage />}
      {page === 'handoffs' && <HandoffQueuePage />}
      {page === 'assistant' && <AssistantPage />}
    </div>
  );
}
