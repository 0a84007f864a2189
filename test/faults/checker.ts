/**
 * The one delivery checker of the fault harness. Scenarios log what really happened — sends, acks,
 * what each observer saw and in which order — and compare it with the final stored history:
 *
 * - exactly once: every sent clientId is stored exactly once; no clientId was acked with two
 *   different messages,
 * - no gaps: seqs are 1..n in every conversation,
 * - order: every observer saw each conversation's messages in seq order (first appearance counts),
 * - nothing invented: every stored message maps to a logged send (same conversation and text), every
 *   received message is the stored one,
 * - durable: every acked message is in the final history with the acked seq and id,
 * - complete (when asked): an observer saw everything of a conversation from a given seq on.
 */

/** The fields of a message the checker needs. */
export interface LoggedMessage {
  id: string;
  conversationId: string;
  seq: number;
  clientId: string;
  text: string;
}

export interface Violation {
  rule: 'exactly-once' | 'no-gaps' | 'order' | 'nothing-invented' | 'durable' | 'complete';
  detail: string;
}

interface SendEntry {
  clientId: string;
  conversationId: string;
  text: string;
  at: number;
}

interface AckEntry {
  clientId: string;
  seq: number;
  messageId: string;
  at: number;
}

export class DeliveryLog {
  readonly sends = new Map<string, SendEntry>();
  readonly acks: AckEntry[] = [];
  /** observer -> conversation -> seqs in first-seen order */
  private readonly seen = new Map<string, Map<string, number[]>>();
  private readonly seenSet = new Map<string, Set<string>>();
  private readonly received: { observer: string; message: LoggedMessage }[] = [];
  /** `message:send` requests per clientId (attempts on the wire). */
  readonly attempts = new Map<string, number>();
  private readonly duplicateSends: string[] = [];
  private readonly complete: { observer: string; conversationId: string; fromSeq: number }[] = [];
  /** Free-form counters a scenario may add (history requests, ...). */
  readonly counters = new Map<string, number>();

  send(clientId: string, conversationId: string, text: string): void {
    if (this.sends.has(clientId)) this.duplicateSends.push(clientId);
    this.sends.set(clientId, { clientId, conversationId, text, at: Date.now() });
  }

  attempt(clientId: string): void {
    this.attempts.set(clientId, (this.attempts.get(clientId) ?? 0) + 1);
  }

  ack(clientId: string, seq: number, messageId: string): void {
    this.acks.push({ clientId, seq, messageId, at: Date.now() });
  }

  receive(observer: string, message: LoggedMessage): void {
    const key = `${observer}\u0000${message.conversationId}\u0000${message.seq}`;
    let set = this.seenSet.get(observer);
    if (!set) this.seenSet.set(observer, (set = new Set()));
    if (set.has(key)) return;
    set.add(key);
    this.received.push({ observer, message });
    let byConv = this.seen.get(observer);
    if (!byConv) this.seen.set(observer, (byConv = new Map()));
    const list = byConv.get(message.conversationId) ?? [];
    list.push(message.seq);
    byConv.set(message.conversationId, list);
  }

  /** Requires `observer` to have seen every message of `conversationId` with seq >= fromSeq. */
  expectComplete(observer: string, conversationId: string, fromSeq = 1): void {
    this.complete.push({ observer, conversationId, fromSeq });
  }

  count(name: string, by = 1): void {
    this.counters.set(name, (this.counters.get(name) ?? 0) + by);
  }

  /** Extra `message:send` attempts beyond the first of each clientId. */
  retries(): number {
    let n = 0;
    for (const a of this.attempts.values()) n += Math.max(0, a - 1);
    return n;
  }

  /** Checks everything against the final history (conversation id -> its messages). */
  check(finalHistory: ReadonlyMap<string, readonly LoggedMessage[]>): Violation[] {
    const v: Violation[] = [];
    const add = (rule: Violation['rule'], detail: string): void => {
      if (v.length < 200) v.push({ rule, detail });
    };
    for (const id of this.duplicateSends) add('exactly-once', `clientId ${id} was logged as sent twice (harness reused an id)`);

    const byClient = new Map<string, LoggedMessage[]>();
    for (const [conv, messages] of finalHistory) {
      // no gaps
      const seqs = messages.map((m) => m.seq).sort((a, b) => a - b);
      for (let i = 0; i < seqs.length; i++) {
        if (seqs[i] !== i + 1) {
          add('no-gaps', `conversation ${conv}: expected seq ${i + 1} at position ${i + 1}, found ${seqs[i]} (seqs ${seqs[0]}..${seqs.at(-1)}, ${seqs.length} messages)`);
          break;
        }
      }
      for (const m of messages) {
        if (m.conversationId !== conv) add('nothing-invented', `message ${m.id} listed under ${conv} belongs to ${m.conversationId}`);
        const list = byClient.get(`${conv}\u0000${m.clientId}`) ?? [];
        list.push(m);
        byClient.set(`${conv}\u0000${m.clientId}`, list);
        const sent = this.sends.get(m.clientId);
        if (!sent) add('nothing-invented', `stored message seq ${m.seq} in ${conv} (clientId ${m.clientId}) matches no logged send`);
        else if (sent.conversationId !== conv || sent.text !== m.text) {
          add('nothing-invented', `stored message seq ${m.seq} clientId ${m.clientId}: sent to ${sent.conversationId} as ${JSON.stringify(sent.text)}, stored in ${conv} as ${JSON.stringify(m.text)}`);
        }
      }
    }
    // exactly once
    for (const s of this.sends.values()) {
      const stored = byClient.get(`${s.conversationId}\u0000${s.clientId}`) ?? [];
      if (stored.length === 0) add('exactly-once', `sent clientId ${s.clientId} (${JSON.stringify(s.text)}) is not stored in ${s.conversationId}`);
      else if (stored.length > 1) add('exactly-once', `clientId ${s.clientId} stored ${stored.length} times: seqs ${stored.map((m) => m.seq).join(', ')}`);
    }
    const ackBy = new Map<string, AckEntry>();
    for (const a of this.acks) {
      const first = ackBy.get(a.clientId);
      if (!first) ackBy.set(a.clientId, a);
      else if (first.seq !== a.seq || first.messageId !== a.messageId) {
        add('exactly-once', `clientId ${a.clientId} acked twice with different messages: seq ${first.seq}/${first.messageId} and seq ${a.seq}/${a.messageId}`);
      }
    }
    // durable
    const storedById = new Map<string, LoggedMessage>();
    const storedBySeq = new Map<string, LoggedMessage>();
    for (const [conv, messages] of finalHistory) {
      for (const m of messages) {
        storedById.set(m.id, m);
        storedBySeq.set(`${conv}\u0000${m.seq}`, m);
      }
    }
    for (const a of ackBy.values()) {
      const m = storedById.get(a.messageId);
      if (!m) add('durable', `acked message ${a.messageId} (clientId ${a.clientId}, seq ${a.seq}) is not in the final history`);
      else if (m.seq !== a.seq || m.clientId !== a.clientId) add('durable', `acked message ${a.messageId} was seq ${a.seq}/${a.clientId}, stored as seq ${m.seq}/${m.clientId}`);
    }
    // received messages are the stored ones
    let badReceives = 0;
    for (const { observer, message } of this.received) {
      const m = storedBySeq.get(`${message.conversationId}\u0000${message.seq}`);
      if (!m || m.id !== message.id || m.clientId !== message.clientId || m.text !== message.text) {
        badReceives += 1;
        if (badReceives <= 20) {
          add('nothing-invented', `${observer} received seq ${message.seq} in ${message.conversationId} as ${message.id}/${message.clientId}, stored: ${m ? `${m.id}/${m.clientId}` : 'nothing'}`);
        }
      }
    }
    // order
    for (const [observer, byConv] of this.seen) {
      for (const [conv, seqs] of byConv) {
        for (let i = 1; i < seqs.length; i++) {
          if (seqs[i]! < seqs[i - 1]!) {
            add('order', `${observer} saw seq ${seqs[i]} after seq ${seqs[i - 1]} in ${conv} (position ${i}; around: ${seqs.slice(Math.max(0, i - 3), i + 3).join(',')})`);
            break;
          }
        }
      }
    }
    // complete
    for (const { observer, conversationId, fromSeq } of this.complete) {
      const have = new Set(this.seen.get(observer)?.get(conversationId) ?? []);
      const all = finalHistory.get(conversationId) ?? [];
      const missing = all.filter((m) => m.seq >= fromSeq && !have.has(m.seq)).map((m) => m.seq);
      if (missing.length) add('complete', `${observer} never saw ${missing.length} messages of ${conversationId}: seqs ${missing.slice(0, 10).join(',')}${missing.length > 10 ? ',...' : ''}`);
    }
    return v;
  }
}

/** Formats violations for an assertion message. */
export function formatViolations(violations: readonly Violation[]): string {
  return violations.map((x) => `  [${x.rule}] ${x.detail}`).join('\n');
}
