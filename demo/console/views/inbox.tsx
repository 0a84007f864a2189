import type { ConversationSummary, Translator, VitrineClient } from '../../../src/index.js';
import { at, reasonText } from '../lib/assistant-strings.js';
import { previewText, shortWhen, visitorLabel } from '../lib/labels.js';
import { useStore } from '../lib/use-store.js';
import { $loadingMore, conversationHref, loadMoreConversations } from '../stores/chat.js';
import { $tr } from '../stores/locale.js';

function Row({ summary, selected, tr }: { summary: ConversationSummary; selected: boolean; tr: Translator }) {
  const name = visitorLabel(summary, summary.id, tr);
  const preview = previewText(summary, tr);
  const unread = selected ? 0 : summary.unread;
  // A hand-off nobody took over yet: the customer waits for a person.
  const handoff = summary.assistant && !summary.assistant.takeover ? summary.assistant.handoff : null;
  return (
    <li>
      <a
        class={`row${selected ? ' row--selected' : ''}${unread > 0 ? ' row--unread' : ''}`}
        href={conversationHref(summary.id)}
        aria-current={selected ? 'page' : undefined}
        data-testid="conversation-row"
        data-conversation-id={summary.id}
      >
        <span class="row__top">
          <span class="row__name" data-testid="conversation-name">
            {name}
          </span>
          {handoff && (
            <span class="row__chip" data-testid="conversation-waiting" data-reason={handoff.reason} title={reasonText(handoff.reason, tr)}>
              {at(tr, 'inboxWaiting')}
            </span>
          )}
          <time class="row__time" dateTime={summary.updatedAt}>
            {shortWhen(summary.updatedAt, tr)}
          </time>
        </span>
        <span class="row__bottom">
          <span class="row__preview" data-testid="conversation-preview">
            {preview}
          </span>
          {unread > 0 && (
            <span class="count" data-testid="unread-badge" aria-label={tr.t('launcher.unread', { count: unread })}>
              {unread > 99 ? '99+' : unread}
            </span>
          )}
        </span>
      </a>
    </li>
  );
}

export function Inbox({ client, selectedId }: { client: VitrineClient; selectedId: string | null }) {
  const tr = useStore($tr);
  const items = useStore(client.$conversations);
  const total = useStore(client.$unreadTotal);
  const hasMore = useStore(client.$hasMoreConversations);
  const loading = useStore($loadingMore);
  const state = useStore(client.$connection);
  const canLoadMore = hasMore;

  return (
    <nav class="inbox" aria-labelledby="inbox-title">
      <h2 id="inbox-title" class="pane-title">
        {tr.t('console.conversations')}
        {total > 0 && (
          <span class="count count--total" data-testid="unread-total" aria-label={tr.t('launcher.unread', { count: total })}>
            {total > 99 ? '99+' : total}
          </span>
        )}
      </h2>
      {items.length === 0 ? (
        state === 'online' && <p class="inbox__empty">{tr.t('console.conversations.empty')}</p>
      ) : (
        <ul class="rows" data-testid="conversation-list">
          {items.map((c) => (
            <Row key={c.id} summary={c} selected={c.id === selectedId} tr={tr} />
          ))}
        </ul>
      )}
      {canLoadMore && (
        <button type="button" class="btn btn--quiet btn--block" data-testid="load-more" disabled={loading || state !== 'online'} onClick={() => void loadMoreConversations().catch(() => {})}>
          {tr.t('console.loadMore')}
        </button>
      )}
    </nav>
  );
}
