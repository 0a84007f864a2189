import { useEffect, useLayoutEffect, useMemo, useRef, useState } from 'preact/hooks';
import {
  buildMessageList,
  claimedCoupons,
  LIMITS,
  localized,
  type ChatMessage,
  type ConversationHandle,
  type ConversationSummary,
  type MessageItem,
  type Translator,
  type VitrineClient,
} from '../../../src/index.js';
import { atom, type ReadableAtom } from 'nanostores';
import type { AssistantState } from '../../../src/index.js';
import { at, reasonText } from '../lib/assistant-strings.js';
import { errorText } from '../lib/errors.js';
import { visitorLabel } from '../lib/labels.js';
import { productTitle } from '../lib/product.js';
import { useStore } from '../lib/use-store.js';
import { dropFromQueue } from '../stores/assistant.js';
import { closeConversation } from '../stores/chat.js';
import { codeOf } from '../stores/rest.js';
import { $session } from '../stores/session.js';
import { $drafts, $focusRequest, insertIntoDraft, setDraft, slashFilter } from '../stores/composer.js';
import { $tr } from '../stores/locale.js';
import { $quickReplies, filterQuickReplies } from '../stores/quick-replies.js';
import { CouponClaim, CouponCard } from './coupon-card.js';
import { CouponPanel } from './coupon-panel.js';
import { CustomerProfilePanel } from './customer-profile.js';
import { ProductCard, stockAtSend } from './product-card.js';
import { ProductContextPanel } from './product-context.js';
import { ProductPanel } from './product-panel.js';
import { QuickReplies } from './quick-replies.js';
import { ReservationCard } from './reservation-card.js';

/** The right-hand pane: the open conversation, or a hint to pick one. */
export function ConversationPane({ client, selectedId }: { client: VitrineClient; selectedId: string | null }) {
  const tr = useStore($tr);
  return (
    <main class="conversation-pane" id="main">
      {selectedId ? (
        <ConversationView key={selectedId} client={client} id={selectedId} />
      ) : (
        <p class="conversation-pane__empty">{tr.t('console.conversation.select')}</p>
      )}
    </main>
  );
}

function ConversationView({ client, id }: { client: VitrineClient; id: string }) {
  const tr = useStore($tr);
  const handle = useMemo(() => client.conversation(id), [client, id]);
  const messages = useStore(handle.$messages);
  const connection = useStore(client.$connection);
  const summaries = useStore(client.$conversations);
  const summary = summaries.find((c) => c.id === id);
  const name = visitorLabel(summary, id, tr);

  // The customer sees "read" once the agent has the conversation open and the tab visible.
  useEffect(() => {
    const mark = () => {
      if (document.visibilityState === 'visible') handle.markRead();
    };
    mark();
    document.addEventListener('visibilitychange', mark);
    window.addEventListener('focus', mark);
    return () => {
      document.removeEventListener('visibilitychange', mark);
      window.removeEventListener('focus', mark);
    };
  }, [handle, messages, connection]);

  return (
    <div class="conversation-layout">
      <section class="conversation" aria-labelledby="conversation-title" data-testid="conversation" data-conversation-id={id}>
        <header class="conversation__head">
          <button type="button" class="btn btn--quiet conversation__back" data-testid="back-to-list" onClick={closeConversation}>
            <span aria-hidden="true">←</span> <span class="conversation__back-text">{tr.t('console.back')}</span>
          </button>
          <h2 id="conversation-title" class="pane-title" data-testid="conversation-title">
            {name}
          </h2>
          <AssistantControls handle={handle} summary={summary} tr={tr} />
        </header>
        <MessageList client={client} handle={handle} tr={tr} summary={summary} />
        <Typing handle={handle} tr={tr} fallbackName={name} />
        <Composer handle={handle} tr={tr} summary={summary} />
      </section>
      <aside class="side">
        {summary && <CustomerProfilePanel key={summary.visitorId} customerId={summary.visitorId} tr={tr} />}
        <ProductContextPanel client={client} handle={handle} tr={tr} />
        <ProductPanel client={client} handle={handle} tr={tr} />
        <CouponPanel handle={handle} tr={tr} />
        <QuickReplies conversationId={id} tr={tr} />
      </aside>
    </div>
  );
}

/** What kind-specific bodies need to know about the whole conversation. */
interface ConversationFacts {
  client: VitrineClient;
  /** Seq of the newest stored message of each reservation. */
  latestReservationSeq: Map<string, number>;
  /** Claimed codes by coupon id. */
  claims: Map<string, string>;
}

function conversationFacts(client: VitrineClient, messages: readonly ChatMessage[]): ConversationFacts {
  const latestReservationSeq = new Map<string, number>();
  for (const m of messages) if (m.kind === 'reservation' && m.reservation && m.seq !== null) latestReservationSeq.set(m.reservation.id, m.seq);
  const claims = new Map<string, string>();
  for (const [id, claim] of claimedCoupons(messages)) claims.set(id, claim.code);
  return { client, latestReservationSeq, claims };
}

function MessageList({ client, handle, tr, summary }: { client: VitrineClient; handle: ConversationHandle; tr: Translator; summary: ConversationSummary | undefined }) {
  const messages = useStore(handle.$messages);
  const facts = useMemo(() => conversationFacts(client, messages), [client, messages]);
  const hasEarlier = useStore(handle.$hasEarlier);
  const [loadingEarlier, setLoadingEarlier] = useState(false);
  const items = useMemo(() => buildMessageList(messages, tr), [messages, tr]);
  const scroller = useRef<HTMLDivElement>(null);
  const stick = useRef(true);
  const prev = useRef<{ height: number; firstKey: string | null; lastKey: string | null }>({ height: 0, firstKey: null, lastKey: null });

  // Keep the view pinned to the newest message, unless the agent scrolled up to read;
  // keep the position when earlier messages are prepended.
  useLayoutEffect(() => {
    const el = scroller.current;
    if (!el) return;
    const firstKey = items[0]?.key ?? null;
    const last = items[items.length - 1];
    const lastKey = last?.key ?? null;
    const ownNew = last?.type === 'message' && last.mine && lastKey !== prev.current.lastKey;
    if (stick.current || ownNew) el.scrollTop = el.scrollHeight;
    else if (firstKey !== prev.current.firstKey && prev.current.height > 0) el.scrollTop += el.scrollHeight - prev.current.height;
    if (ownNew) stick.current = true;
    prev.current = { height: el.scrollHeight, firstKey, lastKey };
  }, [items]);

  const onScroll = () => {
    const el = scroller.current;
    if (el) stick.current = el.scrollHeight - el.scrollTop - el.clientHeight < 48;
  };

  const loadEarlier = async () => {
    setLoadingEarlier(true);
    try {
      await handle.loadEarlier();
    } catch {
      // The button stays; the agent can try again.
    } finally {
      setLoadingEarlier(false);
    }
  };

  const empty = messages.length === 0 && (summary?.lastSeq ?? 0) === 0;

  return (
    <div class="messages" ref={scroller} onScroll={onScroll} tabIndex={0} role="log" aria-label={tr.t('messages.label')} data-testid="message-list">
      {hasEarlier && (
        <button type="button" class="btn btn--quiet messages__earlier" data-testid="load-earlier" disabled={loadingEarlier} onClick={loadEarlier}>
          {tr.t('messages.loadEarlier')}
        </button>
      )}
      {empty && <p class="messages__empty">{tr.t('console.conversation.empty')}</p>}
      <ol class="messages__list">
        {items.map((item) =>
          item.type === 'day' ? (
            <li key={item.key} class="day">
              <span>{item.label}</span>
            </li>
          ) : (
            <Bubble key={item.key} item={item} handle={handle} tr={tr} facts={facts} />
          ),
        )}
      </ol>
    </div>
  );
}

function Bubble({ item, handle, tr, facts }: { item: MessageItem; handle: ConversationHandle; tr: Translator; facts: ConversationFacts }) {
  const m = item.message;
  const cls = ['msg', item.mine ? 'msg--mine' : 'msg--theirs', item.groupStart ? 'msg--start' : '', item.groupEnd ? 'msg--end' : '', item.status ? `msg--${item.status}` : '']
    .filter(Boolean)
    .join(' ');
  const card = m.kind === 'product' || m.kind === 'products' || m.kind === 'reservation' || m.kind === 'coupon';
  const ai = m.author.role === 'assistant';
  const streaming = ai && m.streaming === true;
  return (
    <li class={`${cls}${ai ? ' msg--ai' : ''}`}>
      {(item.authorLabel || (ai && item.groupStart)) && (
        <span class="msg__author">
          {ai && (
            <span class="ai-label" data-testid="ai-label" title={at(tr, 'aiLabel')} aria-label={at(tr, 'aiLabel')}>
              {at(tr, 'ai')}
            </span>
          )}
          {item.authorLabel}
        </span>
      )}
      <div
        class={`msg__bubble${card ? ' msg__bubble--card' : ''}${streaming ? ' msg__bubble--streaming' : ''}`}
        data-ai={ai ? 'true' : undefined}
        data-streaming={streaming ? 'true' : undefined}
        aria-busy={streaming ? 'true' : undefined}
        data-testid="message-bubble"
        data-kind={m.kind}
        data-mine={item.mine ? 'true' : 'false'}
        data-status={item.status ?? undefined}
        data-seq={m.seq ?? undefined}
      >
        <MessageBody m={m} tr={tr} handle={handle} facts={facts} />
        {streaming && (
          <span class="msg__streaming" data-testid="message-streaming">
            {at(tr, 'streaming')}
          </span>
        )}
        {ai && m.stopped && (
          <span class="msg__stopped" data-testid="message-stopped">
            {at(tr, 'stopped')}
          </span>
        )}
      </div>
      {(item.groupEnd || item.status === 'failed' || item.status === 'sending') && (
        <span class="msg__meta">
          <time dateTime={item.datetime}>{item.time}</time>
          {item.statusLabel && item.status !== 'failed' && (
            <span class="msg__status" data-testid="message-status">
              {' · '}
              {item.statusLabel}
            </span>
          )}
          {item.status === 'failed' && m.clientId && (
            <>
              {' · '}
              <button type="button" class="link-button msg__retry" data-testid="message-retry" onClick={() => void handle.retry(m.clientId).catch(() => {})}>
                {tr.t('status.failed')}
              </button>
              {m.error && <span class="msg__error"> ({tr.t(`error.${m.error.code}`)})</span>}
            </>
          )}
        </span>
      )}
    </li>
  );
}

/** A message's content by kind. Text only: untrusted text is rendered as text nodes, never as HTML. */
function MessageBody({ m, tr, handle, facts }: { m: ChatMessage; tr: Translator; handle: ConversationHandle; facts: ConversationFacts }) {
  const text = typeof m.text === 'string' ? m.text : '';
  const caption = text ? <p class="msg__caption">{text}</p> : null;
  if (m.kind === 'text') {
    const about = m.context?.product;
    // "Ask about this" in the customer's feed: the broadcast (its title as the customer saw it).
    const item = m.context?.feedItem;
    return (
      <>
        {about && (
          <span class="about-chip" data-testid="message-about" data-product-id={about.id}>
            {tr.t('console.product.about', { title: productTitle(about.title, tr) })}
          </span>
        )}
        {item && (
          <span class="about-chip" data-testid="message-about" data-feed-item-id={item.id} title={tr.t('console.campaigns.aboutItem', { title: feedItemTitles(item.title, tr) })}>
            {tr.t('console.campaigns.aboutItem', { title: feedItemTitles(item.title, tr) })}
          </span>
        )}
        {text}
      </>
    );
  }
  if (m.kind === 'product') {
    if (!m.product)
      return m.seq === null ? <Pending tr={tr} /> : <span class="msg__unsupported">{text || tr.t('console.message.unsupported')}</span>;
    return (
      <>
        <ProductCard product={m.product} tr={tr} stock={stockAtSend(m.product, tr)} />
        {caption}
      </>
    );
  }
  if (m.kind === 'products') {
    const list = Array.isArray(m.products) ? m.products : [];
    if (list.length === 0)
      return m.seq === null ? <Pending tr={tr} /> : <span class="msg__unsupported">{text || tr.t('console.message.unsupported')}</span>;
    return (
      <>
        <ul class="carousel" data-testid="message-product-carousel" aria-label={tr.t('console.product.carousel', { count: list.length })}>
          {list.map((p, i) => (
            <li key={`${p.id}:${i}`} class="carousel__item">
              <ProductCard product={p} tr={tr} stock={stockAtSend(p, tr)} />
            </li>
          ))}
        </ul>
        {caption}
      </>
    );
  }
  if (m.kind === 'reservation') {
    const latest = !!m.reservation && m.seq !== null && facts.latestReservationSeq.get(m.reservation.id) === m.seq;
    return <ReservationCard m={m} latest={latest} handle={handle} client={facts.client} tr={tr} />;
  }
  if (m.kind === 'coupon') return <CouponCard m={m} tr={tr} claimed={m.coupon ? facts.claims.get(m.coupon.id) ?? null : null} />;
  if (m.kind === 'coupon-claim') return <CouponClaim m={m} tr={tr} />;
  // A kind this console does not know yet: its text, or a neutral note.
  return <span class="msg__unsupported">{text || tr.t('console.message.unsupported')}</span>;
}

/**
 * A broadcast's title in every language it went out in, the agent's first ("Hi Lin, … / 林小姐，…"):
 * which one the customer read is not known, and the question is often in the other one.
 */
function feedItemTitles(title: Record<string, string>, tr: Translator): string {
  const first = localized(title, tr.locale);
  const rest = Object.values(title).filter((t) => t.trim() && t !== first);
  return [first, ...new Set(rest)].filter(Boolean).join(' / ');
}

function Pending({ tr }: { tr: Translator }) {
  return (
    <span class="msg__pending" data-testid="message-product-pending">
      {tr.t('console.product.sending')}
    </span>
  );
}

function Typing({ handle, tr, fallbackName }: { handle: ConversationHandle; tr: Translator; fallbackName: string }) {
  const typing = useStore(handle.$typing);
  const who = typing[0];
  const text = who ? (who.name ? tr.t('typing.one', { name: who.name }) : who.role === 'visitor' ? tr.t('typing.one', { name: fallbackName }) : tr.t('typing.someone')) : null;
  return (
    <div class="typing-slot" aria-live="polite">
      {text && (
        <p class="typing" data-testid="typing-indicator">
          <span class="typing__dots" aria-hidden="true">
            <span />
            <span />
            <span />
          </span>
          {text}
        </p>
      )}
    </div>
  );
}

function Composer({ handle, tr, summary }: { handle: ConversationHandle; tr: Translator; summary: ConversationSummary | undefined }) {
  const assistant = useStore(assistantAtom(handle));
  const state = assistant ?? summary?.assistant ?? null;
  // Server rule: an agent's message takes over a conversation the AI answers or that waits for a person.
  const takesOver = !!state?.enabled && !state.takeover && (state.mode === 'assistant' || !!state.handoff);
  const drafts = useStore($drafts);
  const text = drafts[handle.id] ?? '';
  const focusRequest = useStore($focusRequest);
  const replies = useStore($quickReplies);
  const composing = useRef(false);
  const input = useRef<HTMLTextAreaElement>(null);
  const tooLong = text.length > LIMITS.textMaxLength;
  const canSend = text.trim().length > 0 && !tooLong;
  // "/" at the start of the reply box filters the quick replies; Enter or Tab inserts one.
  const filter = slashFilter(text);
  const [dismissed, setDismissed] = useState<string | null>(null);
  const [active, setActive] = useState(0);
  const suggestions = filter === null || dismissed === text ? [] : filterQuickReplies(replies, filter).slice(0, 8);
  const open = filter !== null && dismissed !== text;
  const activeIndex = Math.min(active, Math.max(0, suggestions.length - 1));

  useEffect(() => {
    input.current?.focus();
    return () => handle.setTyping(false);
  }, [handle]);

  useEffect(() => {
    if (focusRequest === 0 || !input.current) return;
    const el = input.current;
    el.focus();
    el.setSelectionRange(el.value.length, el.value.length);
  }, [focusRequest]);

  const update = (value: string) => {
    setDraft(handle.id, value);
    setActive(0);
  };

  const pick = (index: number) => {
    const reply = suggestions[index];
    if (reply) insertIntoDraft(handle.id, reply.text);
  };

  const send = () => {
    if (!canSend) return;
    // A failed send stays in the list as "failed" with a retry button.
    handle.send(text.replace(/^\s*\n|\s+$/g, '')).catch(() => {});
    if (takesOver) dropFromQueue(handle.id);
    handle.setTyping(false);
    update('');
    input.current?.focus();
  };

  const onKeyDown = (e: KeyboardEvent) => {
    // IME: Enter confirms the composition (pinyin etc.), it does not send.
    if (e.isComposing || composing.current || e.keyCode === 229) return;
    if (open && suggestions.length > 0) {
      if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
        e.preventDefault();
        const n = suggestions.length;
        setActive((activeIndex + (e.key === 'ArrowDown' ? 1 : n - 1)) % n);
        return;
      }
      if ((e.key === 'Enter' && !e.shiftKey) || e.key === 'Tab') {
        e.preventDefault();
        pick(activeIndex);
        return;
      }
    }
    if (open && e.key === 'Escape') {
      e.preventDefault();
      setDismissed(text);
      return;
    }
    if (e.key !== 'Enter' || e.shiftKey || e.altKey || e.ctrlKey || e.metaKey) return;
    e.preventDefault();
    send();
  };

  return (
    <form
      class="composer"
      onSubmit={(e) => {
        e.preventDefault();
        send();
      }}
    >
      <label class="visually-hidden" for="reply-input">
        {tr.t('composer.label')}
      </label>
      {takesOver && (
        <p class="composer__note" id="reply-takeover-note" data-testid="reply-takeover-note">
          {at(tr, 'takeOverHint')}
        </p>
      )}
      {open && (
        <div class="slash" data-testid="quick-reply-suggestions">
          {suggestions.length === 0 ? (
            <p class="slash__none">{tr.t('console.quickReplies.noMatch')}</p>
          ) : (
            <ul id="reply-suggestions" class="slash__list" role="listbox" aria-label={tr.t('console.quickReplies.suggestions')}>
              {suggestions.map((r, i) => (
                <li
                  key={r.id}
                  id={`reply-suggestion-${i}`}
                  role="option"
                  aria-selected={i === activeIndex ? 'true' : 'false'}
                  class={`slash__option${i === activeIndex ? ' slash__option--active' : ''}`}
                  data-testid="quick-reply-option"
                  onMouseDown={(e) => {
                    // Keep the focus in the reply box.
                    e.preventDefault();
                    pick(i);
                  }}
                >
                  {r.text}
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
      <textarea
        ref={input}
        id="reply-input"
        class="composer__input"
        data-testid="reply-input"
        rows={2}
        placeholder={tr.t('console.reply.placeholder')}
        value={text}
        aria-invalid={tooLong ? 'true' : undefined}
        aria-describedby={[tooLong ? 'reply-error' : '', takesOver ? 'reply-takeover-note' : ''].filter(Boolean).join(' ') || undefined}
        aria-controls={open && suggestions.length > 0 ? 'reply-suggestions' : undefined}
        aria-activedescendant={open && suggestions.length > 0 ? `reply-suggestion-${activeIndex}` : undefined}
        aria-autocomplete={open ? 'list' : undefined}
        onInput={(e) => {
          const value = (e.currentTarget as HTMLTextAreaElement).value;
          update(value);
          // A "/" quick-reply filter is not a reply being typed.
          handle.setTyping(value.trim().length > 0 && slashFilter(value) === null);
        }}
        onKeyDown={onKeyDown}
        onCompositionStart={() => {
          composing.current = true;
        }}
        onCompositionEnd={() => {
          composing.current = false;
        }}
        onBlur={() => handle.setTyping(false)}
      />
      <button type="submit" class="btn btn--primary composer__send" data-testid="reply-send" disabled={!canSend}>
        {tr.t('composer.send')}
      </button>
      {tooLong && (
        <p id="reply-error" class="form-error composer__error" role="alert">
          {tr.t('composer.tooLong', { count: text.length, max: LIMITS.textMaxLength })}
        </p>
      )}
    </form>
  );
}

const NO_ASSISTANT = atom<AssistantState | null>(null);

/** The handle's assistant state (a client without the issue 6 additions has none). */
function assistantAtom(handle: ConversationHandle): ReadableAtom<AssistantState | null> {
  return (handle as Partial<Pick<ConversationHandle, '$assistant'>>).$assistant ?? NO_ASSISTANT;
}

/**
 * Who answers this conversation ("AI answering", "Waiting for a person — <reason>", "Taken over by
 * <name>") and the staff's actions: Take over (`setAssistantMode('human')`) and Hand back to AI.
 */
function AssistantControls({ handle, summary, tr }: { handle: ConversationHandle; summary: ConversationSummary | undefined; tr: Translator }) {
  const live = useStore(assistantAtom(handle));
  const session = useStore($session);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const state = live ?? summary?.assistant ?? null;
  if (!state || (!state.enabled && !state.takeover && !state.handoff)) return null;
  const mine = state.takeover && state.takeover.agentId === session?.agent.id;
  const mode = state.takeover ? 'takeover' : state.handoff ? 'waiting' : state.mode === 'assistant' ? 'ai' : state.enabled ? 'human' : 'off';
  const text =
    mode === 'takeover'
      ? mine
        ? at(tr, 'state.takenOverYou')
        : at(tr, 'state.takenOver', { name: state.takeover?.agentName || '?' })
      : mode === 'waiting' && state.handoff
        ? at(tr, 'state.waiting', { reason: reasonText(state.handoff.reason, tr) })
        : mode === 'ai'
          ? at(tr, 'state.ai')
          : mode === 'human'
            ? at(tr, 'state.human')
            : at(tr, 'state.off');
  const set = async (next: 'human' | 'assistant') => {
    setBusy(true);
    setError(null);
    try {
      await handle.setAssistantMode(next);
      if (next === 'human') dropFromQueue(handle.id);
    } catch (e) {
      const code = e && typeof e === 'object' && 'code' in e && typeof (e as { code: unknown }).code === 'string' ? ((e as { code: string }).code as Parameters<typeof errorText>[0]) : codeOf(e);
      setError(at(tr, 'actionFailed', { reason: errorText(code, tr) }));
    } finally {
      setBusy(false);
    }
  };
  const canTakeOver = !state.takeover && (state.mode === 'assistant' || !!state.handoff);
  // A customer waiting for a person is taken over first (handing back would leave them with the AI they asked to leave).
  const canHandBack = state.enabled && state.mode === 'human' && !state.handoff;
  return (
    <div class="assistant-controls">
      <span class={`assistant-chip assistant-chip--${mode}`} data-testid="assistant-state" data-mode={mode} data-reason={state.handoff?.reason ?? undefined} role="status">
        {text}
      </span>
      {canTakeOver && (
        <button type="button" class="btn btn--primary btn--small" data-testid="assistant-take-over" disabled={busy} onClick={() => void set('human')}>
          {at(tr, 'takeOver')}
        </button>
      )}
      {canHandBack && (
        <button type="button" class="btn btn--quiet btn--small" data-testid="assistant-hand-back" disabled={busy} onClick={() => void set('assistant')}>
          {at(tr, 'handBack')}
        </button>
      )}
      {error && (
        <span class="field__error" role="alert" data-testid="assistant-error">
          {error}
        </span>
      )}
    </div>
  );
}
