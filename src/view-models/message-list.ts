/**
 * Render-ready message list: day separators, author labels, grouping of consecutive messages
 * by the same author, localized times and status labels. Front ends render these as text only.
 */
import type { Translator } from '../i18n/index.js';
import type { ChatMessage, DeliveryStatus } from '../types.js';

/** A day separator. */
export interface DayItem {
  type: 'day';
  /** Stable key for keyed rendering. */
  key: string;
  label: string;
}

/** One message, ready to render. */
export interface MessageItem {
  type: 'message';
  key: string;
  message: ChatMessage;
  mine: boolean;
  /** Author label to show above the first message of a group, `null` inside a group. */
  authorLabel: string | null;
  /** First message of a run by the same author (for bubble shapes). */
  groupStart: boolean;
  /** Last message of a run by the same author. */
  groupEnd: boolean;
  time: string;
  /** ISO timestamp for `<time datetime>`. */
  datetime: string;
  /** Shown for own messages only. */
  status: DeliveryStatus | null;
  statusLabel: string | null;
  /** Written by the shop's AI assistant (label it as such). */
  ai: boolean;
  /** An assistant reply still being written (its text grows). */
  streaming: boolean;
  /** An assistant reply the customer stopped. */
  stopped: boolean;
}

export type MessageListItem = DayItem | MessageItem;

const GROUP_GAP_MS = 5 * 60_000;

function authorKey(m: ChatMessage): string {
  return `${m.author.role}:${m.author.id}`;
}

function authorLabel(m: ChatMessage, tr: Translator): string {
  if (m.mine) return tr.t('message.you');
  if (m.author.name) return m.author.name;
  switch (m.author.role) {
    case 'agent':
      return tr.t('message.shop');
    case 'assistant':
      return tr.t('message.assistant');
    case 'visitor':
      return tr.t('message.visitor');
    default:
      return tr.t('message.shop');
  }
}

const STATUS_KEYS = {
  sending: 'status.sending',
  sent: 'status.sent',
  read: 'status.read',
  failed: 'status.failed',
} as const;

/** Builds the list items for `messages` (already in display order). */
export function buildMessageList(messages: readonly ChatMessage[], tr: Translator, now: number = Date.now()): MessageListItem[] {
  const items: MessageListItem[] = [];
  let lastDay = '';
  let prev: ChatMessage | null = null;
  let prevItem: MessageItem | null = null;
  for (const m of messages) {
    const created = new Date(m.createdAt);
    const dayKey = `${created.getFullYear()}-${created.getMonth()}-${created.getDate()}`;
    let newDay = false;
    if (dayKey !== lastDay) {
      items.push({ type: 'day', key: `day:${dayKey}`, label: tr.day(created, now) });
      lastDay = dayKey;
      newDay = true;
    }
    const sameGroup =
      !newDay && prev !== null && authorKey(prev) === authorKey(m) && created.getTime() - new Date(prev.createdAt).getTime() < GROUP_GAP_MS;
    if (!sameGroup && prevItem) prevItem.groupEnd = true;
    const item: MessageItem = {
      type: 'message',
      key: m.clientId ? `c:${m.conversationId}:${m.clientId}` : `m:${m.id}`,
      message: m,
      mine: m.mine,
      authorLabel: sameGroup ? null : authorLabel(m, tr),
      groupStart: !sameGroup,
      groupEnd: false,
      time: tr.time(created),
      datetime: created.toISOString(),
      status: m.mine ? m.status : null,
      statusLabel: m.mine ? tr.t(STATUS_KEYS[m.status]) : null,
      ai: m.author.role === 'assistant',
      streaming: m.streaming === true,
      stopped: m.stopped === true,
    };
    items.push(item);
    prev = m;
    prevItem = item;
  }
  if (prevItem) prevItem.groupEnd = true;
  return items;
}
