// Runs the OpenAI-compatible test server (server/assistant/openai-test-server.ts) on a port, so the
// demo's assistant can be pointed at it (console: Assistant -> OpenAI-compatible, base URL printed below).
//
//   node --import tsx scripts/llm-test-server.mjs [--port 8080] [--behaviour answer] [--delay 40]
//
// Type a behaviour name and Enter to switch while it runs: answer, text, hang-before-first-byte,
// hang-mid-stream, http-500, malformed, disconnect-mid-stream, invent-price, handoff, no-tools.
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { startOpenAiTestServer } from '../server/assistant/openai-test-server.ts';

const BEHAVIOURS = ['answer', 'text', 'hang-before-first-byte', 'hang-mid-stream', 'http-500', 'malformed', 'disconnect-mid-stream', 'invent-price', 'handoff', 'no-tools'];
const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '8080' },
    host: { type: 'string', default: '127.0.0.1' },
    behaviour: { type: 'string', default: 'answer' },
    delay: { type: 'string', default: '40' },
  },
});
const tokenDelayMs = Number(values.delay);
const server = await startOpenAiTestServer({ port: Number(values.port), host: values.host });
const behave = (name) => {
  if (!BEHAVIOURS.includes(name)) {
    console.log(`unknown behaviour "${name}"; one of: ${BEHAVIOURS.join(', ')}`);
    return;
  }
  server.behave({ name, tokenDelayMs });
  console.log(`behaviour: ${name}`);
};
behave(values.behaviour);
console.log(`OpenAI-compatible test server at ${server.url} (model vitrine-test, any key). Ctrl-C stops it.`);

let seen = 0;
setInterval(() => {
  for (; seen < server.requests.length; seen++) {
    const r = server.requests[seen];
    console.log(`${new Date().toISOString()} ${r.method} ${r.path}${r.headers.authorization ? ' (bearer key sent)' : ''}`);
  }
}, 250).unref();

if (process.stdin.isTTY || !process.stdin.readableEnded) {
  createInterface({ input: process.stdin }).on('line', (line) => {
    if (line.trim()) behave(line.trim());
  });
}
const stop = async () => {
  await server.close();
  process.exit(0);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
