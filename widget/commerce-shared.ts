/**
 * Helpers shared by the commerce elements (reservation picker and card, coupon card). They live in
 * the lazy commerce chunk: `<vitrine-chat>` loads it only when a conversation shows a reservation or
 * a coupon, or the visitor presses "Reserve".
 */
import { css, LitElement, type PropertyDeclarations, type PropertyValues } from 'lit';
import {
  createTranslator,
  formatSlot,
  type ChatMessage,
  type ConversationHandle,
  type ErrorCode,
  type MessageKey,
  type MessageParams,
  type Translator,
} from '../src/index.js';
import { commerceStrings } from './commerce-strings.js';

/**
 * `createTranslator` for the commerce elements: in the built widget their `reservation.*` and
 * `coupon.*` strings travel in this chunk (see widget/commerce-strings.ts); they have `{name}`
 * placeholders only. Every other key comes from the core catalogues.
 */
export function commerceTranslator(locale?: string | readonly string[] | null): Translator {
  const tr = createTranslator(locale);
  const own = commerceStrings[tr.locale] ?? {};
  const en = commerceStrings.en ?? {};
  const t = (key: MessageKey, params: MessageParams = {}): string => {
    const text = own[key] ?? en[key];
    if (text === undefined) return tr.t(key, params);
    return text.replace(/\{(\w+)\}/g, (all, name: string) => (name in params ? String(params[name]) : all));
  };
  return { ...tr, t };
}

/**
 * Base of the commerce elements: the `locale` property and `tr`, the commerce translator that
 * follows it (the browser's languages while `locale` is empty).
 */
export class CommerceElement extends LitElement {
  static override properties: PropertyDeclarations = {
    locale: { type: String },
  };

  /** BCP 47 locale (`zh-CN`, `en`); default: the browser's languages. */
  declare locale: string;

  protected tr: Translator = commerceTranslator('en');

  constructor() {
    super();
    this.locale = '';
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('locale') || !this.hasUpdated) {
      this.tr = commerceTranslator(this.locale || (typeof navigator !== 'undefined' ? navigator.languages : 'en'));
    }
  }
}

/**
 * Base of the commerce message cards (reservation, coupon): the message, every message of its
 * conversation, the visitor's conversation, and one visitor step at a time (`busy`, `error`).
 */
export class CommerceMessageCard extends CommerceElement {
  static override properties: PropertyDeclarations = {
    message: { attribute: false },
    messages: { attribute: false },
    conversation: { attribute: false },
    busy: { state: true },
    error: { state: true },
  };

  declare message: ChatMessage | null;
  declare messages: readonly ChatMessage[];
  declare conversation: ConversationHandle | null;
  /** A step is under way. */
  protected declare busy: boolean;
  /** Why the last step failed (`null` after a success or before any). */
  protected declare error: unknown;

  constructor() {
    super();
    this.message = null;
    this.messages = [];
    this.conversation = null;
    this.busy = false;
    this.error = null;
  }

  /**
   * Runs one step through the conversation: nothing without a conversation or while a step runs;
   * `busy` meanwhile; a rejection lands in `error` and is handed to `failed`.
   */
  protected async step(run: (conv: ConversationHandle) => Promise<unknown>, failed?: (error: unknown, conv: ConversationHandle) => void): Promise<void> {
    const conv = this.conversation;
    if (!conv || this.busy) return;
    this.busy = true;
    this.error = null;
    try {
      await run(conv);
    } catch (error) {
      this.error = error;
      failed?.(error, conv);
    } finally {
      this.busy = false;
    }
  }
}

/** `code` of a rejection (a `VitrineError` or a wire `ProtocolError`), `internal` otherwise. */
export function errorCode(error: unknown): ErrorCode {
  const code = error && typeof error === 'object' && 'code' in error ? (error as { code: unknown }).code : null;
  return typeof code === 'string' && code in ERROR_KEYS ? (code as ErrorCode) : 'internal';
}

const ERROR_KEYS: Record<ErrorCode, MessageKey> = {
  invalid_payload: 'error.invalid_payload',
  unauthorized: 'error.unauthorized',
  forbidden: 'error.forbidden',
  not_found: 'error.not_found',
  rate_limited: 'error.rate_limited',
  too_large: 'error.too_large',
  conflict: 'error.conflict',
  unavailable: 'error.unavailable',
  internal: 'error.internal',
};

/** Catalogue texts of the reservation `reason`s of a `conflict` (docs/protocol.md, error reasons). */
const REASON_KEYS: Record<string, MessageKey> = {
  slot_full: 'reservation.error.slotFull',
  reservation_state: 'reservation.error.state',
};

/** The catalogue text of an error (never the raw server text: it is not localized). */
export function errorText(tr: Translator, error: unknown): string {
  const reason = error && typeof error === 'object' && 'reason' in error ? String((error as { reason: unknown }).reason) : '';
  return tr.t(REASON_KEYS[reason] ?? ERROR_KEYS[errorCode(error)]);
}

/** Name of an IANA time zone in `locale` ("China Standard Time", "中国标准时间"); the id itself when unknown. */
export function zoneName(timeZone: string, locale: string, at: Date = new Date()): string {
  try {
    const part = new Intl.DateTimeFormat(locale, { timeZone, timeZoneName: 'long' }).formatToParts(at).find((p) => p.type === 'timeZoneName');
    return part?.value || timeZone;
  } catch {
    return timeZone;
  }
}

/** {@link formatSlot} that never throws (an unknown zone falls back to UTC). */
export function slotText(start: string, end: string | null, timeZone: string, locale: string): string {
  try {
    return formatSlot(start, end, timeZone, locale);
  } catch {
    try {
      return formatSlot(start, end, 'UTC', locale);
    } catch {
      return start;
    }
  }
}

const memo = new WeakMap<readonly ChatMessage[], Map<string, unknown>>();

/** Caches `derive(messages)` per messages array (every card of a render shares one result). */
export function derived<T>(messages: readonly ChatMessage[], key: string, derive: (messages: readonly ChatMessage[]) => T): T {
  let cache = memo.get(messages);
  if (!cache) memo.set(messages, (cache = new Map()));
  if (!cache.has(key)) cache.set(key, derive(messages));
  return cache.get(key) as T;
}

/**
 * Arrow keys, Home and End move focus between the enabled buttons matching `selector` in `root`
 * (roving focus). Returns the newly focused button, `null` when the key is not a navigation key.
 */
export function roveFocus(event: KeyboardEvent, root: ParentNode, selector: string): HTMLButtonElement | null {
  const keys = ['ArrowLeft', 'ArrowRight', 'ArrowUp', 'ArrowDown', 'Home', 'End'];
  if (!keys.includes(event.key)) return null;
  const items = [...root.querySelectorAll<HTMLButtonElement>(selector)].filter((b) => !b.disabled);
  if (items.length === 0) return null;
  event.preventDefault();
  event.stopPropagation();
  const index = items.indexOf(event.currentTarget as HTMLButtonElement);
  let next = index;
  if (event.key === 'Home') next = 0;
  else if (event.key === 'End') next = items.length - 1;
  else if (event.key === 'ArrowLeft' || event.key === 'ArrowUp') next = index <= 0 ? items.length - 1 : index - 1;
  else next = (index + 1) % items.length;
  items[next].focus();
  return items[next];
}

/**
 * Base styles of the commerce elements. Colours come from `--vitrine-*` tokens; inside
 * `<vitrine-chat>` the chat's resolved theme values (`--_surface`, `--_text`...) are inherited and
 * `light-dark()` follows the chat's `color-scheme` (dark theme), so the elements follow its theme.
 * Browsers without `light-dark()` (older Android WebViews) get the light defaults.
 */
export const baseStyles = css`
  :host {
    --_k-surface: var(--vitrine-card-background, var(--vitrine-color-surface, var(--_surface, #ffffff)));
    --_k-surface-2: var(--vitrine-color-surface-variant, var(--_surface-2, #f4f2f3));
    --_k-text: var(--vitrine-color-text, var(--_text, #1d1b1c));
    --_k-muted: var(--vitrine-color-muted, var(--_muted, #6b6469));
    --_k-border: var(--vitrine-color-border, var(--_border, rgba(0, 0, 0, 0.12)));
    --_k-primary: var(--vitrine-color-primary, var(--_primary, #b4235a));
    --_k-on-primary: var(--vitrine-color-on-primary, var(--_on-primary, #ffffff));
    --_k-danger: var(--vitrine-color-danger, var(--_danger, #b3261e));
    --_k-focus: var(--vitrine-color-focus, var(--_focus, #1a73e8));
    display: block;
    box-sizing: border-box;
    min-width: 0;
    font-family: var(--vitrine-font-family, var(--_font-family, system-ui, -apple-system, 'PingFang SC', 'Microsoft YaHei', 'Segoe UI', Roboto, sans-serif));
    font-size: var(--vitrine-font-size, var(--_font-size, 15px));
    line-height: 1.4;
    color: var(--_k-text);
  }
  @supports (color: light-dark(#000, #fff)) {
    :host {
      --_k-surface: var(--vitrine-card-background, var(--vitrine-color-surface, var(--_surface, light-dark(#ffffff, #1f1d1e))));
      --_k-surface-2: var(--vitrine-color-surface-variant, var(--_surface-2, light-dark(#f4f2f3, #2b2829)));
      --_k-text: var(--vitrine-color-text, var(--_text, light-dark(#1d1b1c, #f2eff0)));
      --_k-muted: var(--vitrine-color-muted, var(--_muted, light-dark(#6b6469, #b1a9ae)));
      --_k-border: var(--vitrine-color-border, var(--_border, light-dark(rgba(0, 0, 0, 0.12), rgba(255, 255, 255, 0.14))));
      --_k-primary: var(--vitrine-color-primary, var(--_primary, light-dark(#b4235a, #f06292)));
      --_k-on-primary: var(--vitrine-color-on-primary, var(--_on-primary, light-dark(#ffffff, #1d1b1c)));
      --_k-danger: var(--vitrine-color-danger, var(--_danger, light-dark(#b3261e, #f2b8b5)));
      --_k-focus: var(--vitrine-color-focus, var(--_focus, light-dark(#1a73e8, #8ab4f8)));
    }
  }
  :host([hidden]) {
    display: none;
  }
  *,
  *::before,
  *::after {
    box-sizing: border-box;
  }
  p,
  h3 {
    margin: 0;
  }
  button {
    font: inherit;
  }
  .button {
    display: inline-flex;
    align-items: center;
    justify-content: center;
    min-height: 36px;
    padding: 6px 14px;
    border: 1px solid var(--_k-primary);
    border-radius: 999px;
    background: transparent;
    color: var(--_k-primary);
    font-size: 0.9em;
    font-weight: 600;
    cursor: pointer;
  }
  .button.primary {
    background: var(--_k-primary);
    color: var(--_k-on-primary);
  }
  .button:disabled {
    cursor: not-allowed;
    opacity: 0.55;
  }
  button:focus-visible,
  textarea:focus-visible,
  [tabindex]:focus-visible {
    outline: 3px solid var(--_k-focus);
    outline-offset: 2px;
  }
  .muted {
    color: var(--_k-muted);
    font-size: 0.87em;
  }
  .error {
    color: var(--_k-danger);
    font-size: 0.87em;
  }
  .sr-only {
    position: absolute;
    width: 1px;
    height: 1px;
    margin: -1px;
    padding: 0;
    overflow: hidden;
    clip: rect(0 0 0 0);
    white-space: nowrap;
    border: 0;
  }
`;
