/** The incremental server-sent events decoder: line ends, splits anywhere, comments, multi-line data. */
import { describe, expect, it } from 'vitest';
import { parseSse, SseDecoder, SseError, type SseEvent } from './sse.js';

const STREAM =
  ': keep-alive\n' +
  'data: {"choices":[{"delta":{"content":"你好"}}]}\n\n' +
  'event: note\r\nid: 7\r\ndata: line one\r\ndata: line two\r\n\r\n' +
  'data:no-space\rdata:  two spaces\r\r' +
  'retry: 100\nunknown: x\n\n' +
  'data: [DONE]\n\n';

const EXPECTED: SseEvent[] = [
  { event: 'message', data: '{"choices":[{"delta":{"content":"你好"}}]}' },
  { event: 'note', id: '7', data: 'line one\nline two' },
  { event: 'message', data: 'no-space\n two spaces' },
  { event: 'message', data: '[DONE]' },
];

describe('SseDecoder', () => {
  it('decodes LF, CRLF and CR line ends, comments, fields and multi-line data', () => {
    expect(parseSse(STREAM)).toEqual(EXPECTED);
  });

  it('gives the same events whatever the chunking (every split point, one character at a time)', () => {
    for (let i = 0; i <= STREAM.length; i++) {
      const d = new SseDecoder();
      const events = [...d.push(STREAM.slice(0, i)), ...d.push(STREAM.slice(i))];
      expect(events, `split at ${i}`).toEqual(EXPECTED);
      expect(d.end().unterminated).toBe(false);
    }
    const d = new SseDecoder();
    const events: SseEvent[] = [];
    for (const ch of STREAM) events.push(...d.push(ch));
    expect(events).toEqual(EXPECTED);
    expect(d.comments).toBe(1);
  });

  it('a CRLF split across chunks is one line end (no empty event in between)', () => {
    const d = new SseDecoder();
    expect(d.push('data: a\r')).toEqual([]);
    expect(d.push('\ndata: b\r')).toEqual([]);
    expect(d.push('\n\r\n')).toEqual([{ event: 'message', data: 'a\nb' }]);
  });

  it('reports an event left unterminated at the end, and discards it', () => {
    const d = new SseDecoder();
    expect(d.push('data: {"choices":[]}\n\ndata: {"cho')).toHaveLength(1);
    expect(d.end()).toEqual({ unterminated: true });
    const e = new SseDecoder();
    e.push('data: x\n');
    expect(e.end()).toEqual({ unterminated: true });
  });

  it('an event with fields but no data is not dispatched', () => {
    expect(parseSse('event: ping\n\nid: 3\n\n')).toEqual([]);
  });

  it('refuses a line that never ends (not an event stream)', () => {
    const d = new SseDecoder();
    expect(() => d.push('x'.repeat(1_000_001))).toThrow(SseError);
  });
});
