/**
 * Server-sent events (the `text/event-stream` format of the HTML standard) as OpenAI-compatible
 * chat-completion endpoints stream them: `data: {json}` lines, a blank line ending each event,
 * `data: [DONE]` at the end, `: comment` lines as keep-alives. The decoder is incremental (feed it
 * the text of each network chunk; an event or a line may be split anywhere, even inside a CRLF).
 */

/** One dispatched event: `data` is its `data:` lines joined with `\n`. */
export interface SseEvent {
  /** The `event:` field (`message` when absent). */
  event: string;
  data: string;
  /** The `id:` field, when present. */
  id?: string;
}

/** Longest line accepted (a line without an end this long is not an event stream). */
const LINE_MAX = 1_000_000;

/** Thrown for input that cannot be an event stream (a line longer than {@link LINE_MAX}). */
export class SseError extends Error {
  override name = 'SseError';
}

/**
 * Incremental SSE decoder. `push(text)` returns the events completed by `text`; `end()` returns
 * nothing (per the standard, an event not terminated by a blank line is discarded) and reports
 * whether such an unterminated event was pending. Unknown fields and comments are ignored.
 */
export class SseDecoder {
  private buffer = '';
  /** The previous chunk ended with `\r`: a `\n` starting the next one belongs to it. */
  private pendingCr = false;
  private data: string[] = [];
  private event = '';
  private id: string | undefined;
  private hasField = false;
  /** Comment lines seen (keep-alives). */
  comments = 0;

  push(text: string): SseEvent[] {
    const out: SseEvent[] = [];
    let chunk = text;
    if (this.pendingCr && chunk.startsWith('\n')) chunk = chunk.slice(1);
    this.pendingCr = false;
    this.buffer += chunk;
    let start = 0;
    for (;;) {
      const cr = this.buffer.indexOf('\r', start);
      const lf = this.buffer.indexOf('\n', start);
      if (cr < 0 && lf < 0) break;
      let end: number;
      let next: number;
      if (cr >= 0 && (lf < 0 || cr < lf)) {
        end = cr;
        if (cr + 1 === this.buffer.length) {
          // A CR at the end of the chunk: a following LF (next chunk) is part of the same line end.
          this.pendingCr = true;
          next = cr + 1;
        } else {
          next = this.buffer[cr + 1] === '\n' ? cr + 2 : cr + 1;
        }
      } else {
        end = lf;
        next = lf + 1;
      }
      const event = this.line(this.buffer.slice(start, end));
      if (event) out.push(event);
      start = next;
    }
    this.buffer = this.buffer.slice(start);
    if (this.buffer.length > LINE_MAX) throw new SseError(`event-stream line longer than ${LINE_MAX} characters`);
    return out;
  }

  /** The stream ended: `true` when a started event (or line) was left unterminated (discarded). */
  end(): { unterminated: boolean } {
    const unterminated = this.buffer.length > 0 || this.hasField;
    this.buffer = '';
    this.reset();
    return { unterminated };
  }

  private reset(): void {
    this.data = [];
    this.event = '';
    this.id = undefined;
    this.hasField = false;
  }

  private line(line: string): SseEvent | null {
    if (line === '') {
      if (!this.hasField) return null;
      const event: SseEvent = { event: this.event || 'message', data: this.data.join('\n') };
      if (this.id !== undefined) event.id = this.id;
      const hadData = this.data.length > 0;
      this.reset();
      return hadData ? event : null;
    }
    if (line.startsWith(':')) {
      this.comments++;
      return null;
    }
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    this.hasField = true;
    if (field === 'data') this.data.push(value);
    else if (field === 'event') this.event = value;
    else if (field === 'id') this.id = value;
    // `retry` and unknown fields are ignored.
    return null;
  }
}

/** Decodes a whole event-stream text at once (tests, small bodies). */
export function parseSse(text: string): SseEvent[] {
  const decoder = new SseDecoder();
  const events = decoder.push(text);
  // A final event missing its blank line is discarded by the standard; callers that care use end().
  decoder.end();
  return events;
}
