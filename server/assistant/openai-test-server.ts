/**
 * A real OpenAI-compatible HTTP server on 127.0.0.1 for tests and manual trials of the `llm`
 * assistant provider: `POST /v1/chat/completions` streams server-sent events in the OpenAI wire
 * format (`data: {"choices":[{"delta":{...}}]}` chunks, tool calls in pieces by `index` as OpenAI,
 * llama.cpp and Ollama send them, `data: [DONE]`), `GET /v1/models` lists one model. What it answers
 * is set with `behave()`; every request is recorded (method, path, headers, parsed body).
 *
 * Not a mock of our code: it parses what the provider really sends and answers over real sockets.
 * `scripts/llm-test-server.mjs` runs it on a port for pointing the demo at it.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/** How the server answers chat completions. */
export type BehaviourName =
  /**
   * A deterministic tiny "model": offered tools and last spoken to by the user, it calls
   * `search_catalogue` with the user's message (and `max_price` when it names a budget: "under 400",
   * "400元以内"); otherwise (after a tool result, or without tools) it
   * answers naming the first two products of the last tool result (else of the prompt's JSON lines)
   * with their prices, in the question's language (Chinese when it has CJK characters), token by token.
   */
  | 'answer'
  /** Streams a fixed text (`text`, default "Hello from the test model."), token by token. */
  | 'text'
  /** Accepts the request and never answers (no status line). */
  | 'hang-before-first-byte'
  /** Sends the headers and a few tokens, then only `: keep-alive` comments every 100 ms. */
  | 'hang-mid-stream'
  /** Answers 500 with a JSON error that echoes the bearer key, as some real servers do. */
  | 'http-500'
  /** A 200 event stream whose data is not JSON. */
  | 'malformed'
  /** Sends a few tokens, then destroys the connection (no `[DONE]`). */
  | 'disconnect-mid-stream'
  /** Names the first product of the prompt with a price that is not its own (¥88.00). */
  | 'invent-price'
  /** Like Ollama with a model without tool support: 400 "does not support tools" when `tools` are sent, else `answer`. */
  | 'no-tools'
  /** Calls the `handoff` tool (`reason: customer_asked`), its arguments in pieces (after streaming `text`, when given). */
  | 'handoff';

/**
 * A behaviour, optionally with its text, the delay between tokens (default 5 ms), and `ignoreStream`
 * (answer one `chat.completion` JSON even when `stream: true` was asked, as some servers do).
 */
export type Behaviour = BehaviourName | { name: BehaviourName; text?: string; tokenDelayMs?: number; ignoreStream?: boolean };

interface Current {
  name: BehaviourName;
  text?: string;
  tokenDelayMs: number;
  ignoreStream: boolean;
}

/** A request the server received. */
export interface RecordedRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  /** The parsed JSON body (`null` when there was none or it was not JSON). */
  body: unknown;
}

/** A running test server. */
export interface OpenAiTestServer {
  /** Base URL ending in `/v1`, e.g. `http://127.0.0.1:41234/v1`. */
  url: string;
  requests: RecordedRequest[];
  behave(b: Behaviour): void;
  close(): Promise<void>;
}

const MODEL = 'vitrine-test';

interface ChatRequest {
  model?: unknown;
  stream?: unknown;
  messages?: unknown;
  tools?: unknown;
  tool_choice?: unknown;
}

interface PromptProduct {
  title: string;
  price: string;
}

/** Starts the server on 127.0.0.1 (`port` 0 = any free port). */
export async function startOpenAiTestServer(opts: { port?: number; host?: string } = {}): Promise<OpenAiTestServer> {
  const requests: RecordedRequest[] = [];
  let behaviour: Current = { name: 'answer', tokenDelayMs: 5, ignoreStream: false };
  const sockets = new Set<Socket>();
  let seq = 0;

  const server = createServer((req, res) => {
    void handle(req, res).catch(() => {
      if (!res.headersSent) res.writeHead(500).end();
      else res.destroy();
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const raw = await readBody(req);
    let body: unknown = null;
    try {
      body = raw ? JSON.parse(raw) : null;
    } catch {
      body = null;
    }
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(req.headers)) if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value;
    const path = (req.url ?? '/').split('?')[0];
    requests.push({ method: req.method ?? 'GET', path, headers, body });

    if (req.method === 'GET' && path === '/v1/models') {
      json(res, 200, { object: 'list', data: [{ id: MODEL, object: 'model', created: 0, owned_by: 'vitrine' }] });
      return;
    }
    if (req.method !== 'POST' || path !== '/v1/chat/completions') {
      json(res, 404, { error: { message: `no route ${req.method} ${path}`, type: 'not_found' } });
      return;
    }
    if (typeof body !== 'object' || body === null || !Array.isArray((body as ChatRequest).messages)) {
      json(res, 400, { error: { message: 'messages (an array) is required', type: 'invalid_request_error' } });
      return;
    }
    await complete(body as ChatRequest, req, res, behaviour, `chatcmpl-${++seq}`);
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, opts.host ?? '127.0.0.1', () => resolve());
  });
  const address = server.address() as AddressInfo;
  return {
    url: `http://${address.address}:${address.port}/v1`,
    requests,
    behave(b) {
      behaviour =
        typeof b === 'string'
          ? { name: b, tokenDelayMs: 5, ignoreStream: false }
          : { name: b.name, text: b.text, tokenDelayMs: b.tokenDelayMs ?? 5, ignoreStream: b.ignoreStream ?? false };
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

async function complete(
  body: ChatRequest,
  req: IncomingMessage,
  res: ServerResponse,
  behaviour: Current,
  id: string,
): Promise<void> {
  const messages = (body.messages as unknown[]).filter(isObject);
  const model = typeof body.model === 'string' ? body.model : MODEL;
  const stream = body.stream === true && !behaviour.ignoreStream;
  const delay = behaviour.tokenDelayMs;
  let closed = false;
  res.on('close', () => {
    closed = true;
  });

  switch (behaviour.name) {
    case 'hang-before-first-byte':
      return; // the socket stays open until the client gives up or the server closes
    case 'http-500': {
      const auth = req.headers.authorization ?? '';
      const key = auth.replace(/^Bearer\s+/i, '');
      json(res, 500, { error: { message: `internal error of the test model${key ? ` (api key ${key})` : ''}`, type: 'server_error' } });
      return;
    }
    case 'no-tools':
      if (Array.isArray(body.tools) && body.tools.length > 0) {
        json(res, 400, { error: { message: `registry.ollama.ai/library/${model} does not support tools`, type: 'api_error', param: null, code: null } });
        return;
      }
      break;
    default:
      break;
  }

  const writer = new ChunkWriter(res, id, model);
  const lastUser = [...messages].reverse().find((m) => m.role === 'user');
  const question = typeof lastUser?.content === 'string' ? lastUser.content : '';
  const zh = /[\u3400-\u9fff]/.test(question);
  const lastIsUser = messages[messages.length - 1]?.role === 'user';
  const toolsOffered = Array.isArray(body.tools) && body.tools.length > 0 && body.tool_choice !== 'none';

  const tokens = async (text: string): Promise<boolean> => {
    for (const token of tokenize(text)) {
      if (closed) return false;
      writer.delta({ content: token });
      if (delay > 0) await sleep(delay);
    }
    return !closed;
  };

  if (!stream) {
    // Non-streamed completions, for the behaviours that produce text.
    const text = behaviour.name === 'text' ? behaviour.text ?? 'Hello from the test model.' : answerText(messages, zh);
    json(res, 200, {
      id,
      object: 'chat.completion',
      created: Math.floor(Date.now() / 1000),
      model,
      choices: [{ index: 0, message: { role: 'assistant', content: text }, finish_reason: 'stop' }],
    });
    return;
  }

  writer.start();
  switch (behaviour.name) {
    case 'text':
      if (await tokens(behaviour.text ?? 'Hello from the test model.')) writer.finish('stop');
      return;
    case 'hang-mid-stream': {
      await tokens(zh ? '让我看看' : 'Let me see');
      // No more tokens, only keep-alive comments (as some proxies send) until the client gives up.
      const keepAlive = setInterval(() => {
        if (closed || res.destroyed) clearInterval(keepAlive);
        else res.write(': keep-alive\n\n');
      }, 100);
      res.on('close', () => clearInterval(keepAlive));
      return;
    }
    case 'disconnect-mid-stream':
      await tokens(zh ? '我们有一款' : 'We have a lovely');
      res.socket?.destroy();
      return;
    case 'malformed':
      res.write('data: {"choices":[{"delta":{"content":"Hel\n\n');
      res.write('data: this is not json\n\n');
      writer.done();
      return;
    case 'invent-price': {
      const product = promptProducts(messages)[0];
      const name = product?.title ?? (zh ? '星辰项链' : 'the star necklace');
      if (await tokens(zh ? `${name}现在只要¥88.00。` : `${name} is only ¥88.00 today.`)) writer.finish('stop');
      return;
    }
    case 'handoff':
      if (behaviour.text && !(await tokens(behaviour.text))) return;
      await toolCall(writer, 'handoff', JSON.stringify({ reason: 'customer_asked' }), delay, () => closed);
      return;
    case 'answer':
    case 'no-tools':
    default:
      if (toolsOffered && lastIsUser) {
        const budget = maxPrice(question);
        const args = budget === null ? { query: question } : { query: question, max_price: budget };
        await toolCall(writer, 'search_catalogue', JSON.stringify(args), delay, () => closed);
        return;
      }
      if (await tokens(answerText(messages, zh))) writer.finish('stop');
  }
}

/** A budget in the question ("under 400", "400元以内"), in whole currency units. */
function maxPrice(question: string): number | null {
  const m =
    /(?:under|below|less than|up to|不超过|低于)\s*[¥￥$]?\s*(\d+)/i.exec(question) ?? /(\d+)\s*(?:元|块|yuan|rmb)?\s*(?:以内|以下|之内)/i.exec(question);
  return m ? Number(m[1]) : null;
}

/** Streams one tool call like llama.cpp / OpenAI: name and id first, then the arguments in pieces. */
async function toolCall(writer: ChunkWriter, name: string, args: string, delay: number, closed: () => boolean): Promise<void> {
  const callId = `call_${Math.random().toString(36).slice(2, 10)}`;
  writer.delta({ tool_calls: [{ index: 0, id: callId, type: 'function', function: { name, arguments: '' } }] });
  for (let i = 0; i < args.length; i += 5) {
    if (closed()) return;
    if (delay > 0) await sleep(delay);
    writer.delta({ tool_calls: [{ index: 0, function: { arguments: args.slice(i, i + 5) } }] });
  }
  writer.finish('tool_calls');
}

/** The tiny model's answer: the first two products of the last tool result, else of the prompt. */
function answerText(messages: Record<string, unknown>[], zh: boolean): string {
  const lastUserAt = messages.map((m) => m.role).lastIndexOf('user');
  const toolMessages = messages.slice(lastUserAt + 1).filter((m) => m.role === 'tool');
  let products: PromptProduct[] = [];
  const lastTool = toolMessages[toolMessages.length - 1];
  if (lastTool && typeof lastTool.content === 'string') products = productsOf(lastTool.content);
  else products = promptProducts(messages);
  const top = products.slice(0, 2);
  if (top.length === 0) return zh ? '抱歉，店里没有找到相关的商品。' : "Sorry, I couldn't find that in our catalogue.";
  if (zh) return `我们有${top.map((p) => `${p.title}，价格${p.price}`).join('；')}。`;
  return `We have ${top.map((p) => `${p.title} at ${p.price}`).join(' and ')}.`;
}

/** Products in a tool result (`{"results":[{title, price}, ...]}`). */
function productsOf(content: string): PromptProduct[] {
  try {
    const value: unknown = JSON.parse(content);
    if (isObject(value) && Array.isArray(value.results)) return value.results.filter(isProduct);
  } catch {
    // not JSON: no products
  }
  return [];
}

/** Products given as JSON lines in the system prompt. */
function promptProducts(messages: Record<string, unknown>[]): PromptProduct[] {
  const out: PromptProduct[] = [];
  for (const m of messages) {
    if (m.role !== 'system' || typeof m.content !== 'string') continue;
    for (const line of m.content.split('\n')) {
      if (!line.startsWith('{')) continue;
      try {
        const value: unknown = JSON.parse(line);
        if (isProduct(value)) out.push(value);
      } catch {
        // not a JSON line
      }
    }
  }
  return out;
}

function isProduct(value: unknown): value is PromptProduct {
  return isObject(value) && typeof value.title === 'string' && typeof value.price === 'string';
}

/** Splits text into model-like tokens: words with their leading space, CJK characters in pairs. */
function tokenize(text: string): string[] {
  const out: string[] = [];
  for (const piece of text.match(/\s*[\u3400-\u9fff\uff00-\uffef\u3000-\u303f]{1,2}|\s*[^\s\u3400-\u9fff\uff00-\uffef\u3000-\u303f]+|\s+/g) ?? []) out.push(piece);
  return out;
}

/** Writes `chat.completion.chunk` events. */
class ChunkWriter {
  private readonly created = Math.floor(Date.now() / 1000);

  constructor(
    private readonly res: ServerResponse,
    private readonly id: string,
    private readonly model: string,
  ) {}

  start(): void {
    this.res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
    this.res.flushHeaders();
    this.delta({ role: 'assistant', content: '' });
  }

  delta(delta: Record<string, unknown>, finish: string | null = null): void {
    if (this.res.destroyed) return;
    const chunk = { id: this.id, object: 'chat.completion.chunk', created: this.created, model: this.model, choices: [{ index: 0, delta, finish_reason: finish }] };
    this.res.write(`data: ${JSON.stringify(chunk)}\n\n`);
  }

  finish(reason: string): void {
    this.delta({}, reason);
    this.done();
  }

  done(): void {
    if (this.res.destroyed) return;
    this.res.end('data: [DONE]\n\n');
  }
}

function json(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
