/**
 * Render-ready assistant state (issue 6): whether to show the "AI assistant" / "Talk to a person"
 * toggle, its position, and the status line (AI answering, waiting for a person, staff offline,
 * taken over by an agent). Shared by the web widget and the mini-program; output is plain text.
 */
import type { Translator } from '../i18n/index.js';
import type { AssistantState } from '../protocol/index.js';
import type { ChatMessage } from '../types.js';

/**
 * - `ai`: the assistant answers;
 * - `waiting`: handed off, staff are online — a person will join;
 * - `offline`: people answer but none is online — leave the question;
 * - `human`: people answer (no pending hand-off, staff online);
 * - `takeover`: an agent took the conversation over.
 */
export type AssistantStatus = 'ai' | 'waiting' | 'offline' | 'human' | 'takeover';

/** What the toggle and the status line show. */
export interface AssistantView {
  /** The toggle's state: `true` = "AI assistant", `false` = "Talk to a person". */
  ai: boolean;
  status: AssistantStatus;
  /** The status line, localized. */
  statusText: string;
  /** The agent who took over (status `takeover`). */
  agentName: string | null;
}

/** The view of `state`; `null` when there is no assistant (unknown, or off for the shop): show no toggle. */
export function assistantView(state: AssistantState | null | undefined, tr: Translator): AssistantView | null {
  if (!state?.enabled) return null;
  const agentName = state.takeover?.agentName || null;
  const status: AssistantStatus = state.takeover
    ? 'takeover'
    : state.mode === 'assistant'
      ? 'ai'
      : !state.staffOnline
        ? 'offline'
        : state.handoff
          ? 'waiting'
          : 'human';
  const statusText =
    status === 'takeover'
      ? agentName
        ? tr.t('assistant.status.takeover', { name: agentName })
        : tr.t('assistant.status.takeoverSomeone')
      : tr.t(`assistant.status.${status}`);
  return { ai: state.mode === 'assistant' && !state.takeover, status, statusText, agentName };
}

/** A message written by the shop's AI assistant. */
export const isAssistantMessage = (m: Pick<ChatMessage, 'author'>): boolean => m.author.role === 'assistant';

/**
 * The AI reply under which to offer "Talk to a person": the newest message when it is a finished
 * assistant reply and the assistant still answers; `null` otherwise.
 */
export function handoffOfferFor(messages: readonly ChatMessage[], view: AssistantView | null): ChatMessage | null {
  const last = messages.at(-1);
  return view?.ai && last && isAssistantMessage(last) && !last.streaming ? last : null;
}
