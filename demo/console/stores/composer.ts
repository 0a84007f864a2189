/**
 * Reply drafts per conversation (they survive switching conversations, not reloads), and
 * inserting text into a draft from elsewhere (quick replies). The composer view renders
 * `$drafts` and focuses itself when `$focusRequest` ticks.
 */
import { atom, map } from 'nanostores';

export const $drafts = map<Record<string, string | undefined>>({});

/** Bumped when something wants the reply box focused (e.g. after inserting a quick reply). */
export const $focusRequest = atom(0);

export function draftOf(conversationId: string): string {
  return $drafts.get()[conversationId] ?? '';
}

export function setDraft(conversationId: string, text: string): void {
  $drafts.setKey(conversationId, text || undefined);
}

/** A draft that is a `/filter` command for quick replies: the filter text, else `null`. */
export function slashFilter(draft: string): string | null {
  const m = /^\/([^\n]*)$/.exec(draft);
  return m ? m[1] : null;
}

/**
 * Inserts `text` into the draft: replaces a `/filter` command, fills an empty draft, or is
 * appended after what the agent already wrote.
 */
export function insertIntoDraft(conversationId: string, text: string): void {
  const draft = draftOf(conversationId);
  let next: string;
  if (!draft.trim() || slashFilter(draft) !== null) next = text;
  else next = /\s$/.test(draft) ? draft + text : `${draft} ${text}`;
  setDraft(conversationId, next);
  $focusRequest.set($focusRequest.get() + 1);
}
