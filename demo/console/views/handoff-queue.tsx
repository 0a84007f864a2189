/**
 * The hand-off queue (`#/handoffs`): conversations the assistant handed to people and nobody took
 * over yet, oldest first, with the reason, how long the customer has waited and their last text.
 * A row opens the conversation. Kept live by `watchHandoffs` (agent connection changes, 5 s poll).
 */
import { useEffect, useState } from 'preact/hooks';
import type { HandoffQueueItem, Translator } from '../../../src/index.js';
import { at, reasonText, waitingFor } from '../lib/assistant-strings.js';
import { errorText } from '../lib/errors.js';
import { visitorLabel } from '../lib/labels.js';
import { useStore } from '../lib/use-store.js';
import { $handoffs, loadHandoffs, watchHandoffs } from '../stores/assistant.js';
import { conversationHref } from '../stores/chat.js';
import { $tr } from '../stores/locale.js';

export function HandoffQueuePage() {
  const tr = useStore($tr);
  const queue = useStore($handoffs);
  const [now, setNow] = useState(Date.now());
  useEffect(() => watchHandoffs(), []);
  // Waiting times move on by themselves.
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), 15_000);
    return () => clearInterval(t);
  }, []);
  useEffect(() => setNow(Date.now()), [queue.data]);
  const items = [...queue.data].sort((a, b) => Date.parse(a.handoff.at) - Date.parse(b.handoff.at));
  return (
    <main class="page handoffs" id="main" data-testid="handoffs-page">
      <div class="page__head">
        <h1 class="page__title">{at(tr, 'handoffs.title')}</h1>
        <button type="button" class="btn btn--quiet" data-testid="handoffs-refresh" disabled={queue.loading} onClick={() => void loadHandoffs()}>
          {at(tr, 'handoffs.refresh')}
        </button>
      </div>
      <p class="page__intro">{at(tr, 'handoffs.intro')}</p>
      <section class="card" aria-labelledby="handoffs-list-title">
        <h2 id="handoffs-list-title" class="visually-hidden">
          {at(tr, 'handoffs.title')}
        </h2>
        {queue.error && (
          <p class="form-error" role="alert">
            {errorText(queue.error, tr)}
          </p>
        )}
        {queue.loaded && items.length === 0 && (
          <p class="page__empty" data-testid="handoffs-empty">
            {at(tr, 'handoffs.empty')}
          </p>
        )}
        {items.length > 0 && (
          <ul class="list" data-testid="handoff-list">
            {items.map((item) => (
              <Row key={item.conversationId} item={item} tr={tr} now={now} />
            ))}
          </ul>
        )}
      </section>
    </main>
  );
}

function Row({ item, tr, now }: { item: HandoffQueueItem; tr: Translator; now: number }) {
  const name = visitorLabel({ visitorName: item.visitorName, visitorId: item.visitorId || item.conversationId }, item.conversationId, tr);
  const text = item.lastCustomerText?.replace(/\s+/g, ' ').trim();
  return (
    <li class="list__item handoff" data-testid="handoff-row" data-conversation-id={item.conversationId} data-reason={item.handoff.reason}>
      <span class="list__main">
        <a class="handoff__name" href={conversationHref(item.conversationId)} data-testid="handoff-open-name">
          {name}
        </a>
        <span class={`badge badge--handoff badge--${item.handoff.reason}`} data-testid="handoff-reason">
          {reasonText(item.handoff.reason, tr)}
        </span>
        <time class="handoff__wait" dateTime={item.handoff.at} data-testid="handoff-waiting" title={new Date(item.handoff.at).toLocaleString(tr.locale)}>
          {at(tr, 'handoffs.waiting', { duration: waitingFor(item.handoff.at, tr, now) })}
        </time>
      </span>
      <span class="list__meta handoff__text" data-testid="handoff-text">
        {text ? at(tr, 'handoffs.lastText', { text }) : at(tr, 'handoffs.noText')}
      </span>
      <a class="list__link" href={conversationHref(item.conversationId)} data-testid="handoff-open">
        {at(tr, 'handoffs.open')}
      </a>
    </li>
  );
}
