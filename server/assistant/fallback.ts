/**
 * A provider that falls back to another when it fails: the `llm` provider falls back to `embedded`,
 * so an endpoint that is down, slow or making things up never leaves a customer without an answer.
 */
import type { AssistantProvider, AssistantReply, AssistantRequest } from './provider.js';

/**
 * Runs `primary`; when it fails for any reason other than the caller's abort (`req.signal.aborted`),
 * logs one line (`log`, the error's name and message), discards what `primary` streamed
 * (`req.onReset()`), runs `fallback` with the same request and returns its reply with
 * `meta.fallback = true`. The caller's abort is rethrown as it is (no fallback). A failure of the
 * fallback propagates. `name` is `primary.name`.
 */
export function withFallback(primary: AssistantProvider, fallback: AssistantProvider, log?: (msg: string) => void): AssistantProvider {
  return {
    name: primary.name,
    async reply(req: AssistantRequest): Promise<AssistantReply> {
      try {
        return await primary.reply(req);
      } catch (err) {
        if (req.signal.aborted) throw err;
        log?.(`assistant provider ${primary.name} failed, ${fallback.name} answers: ${describe(err)}`);
        req.onReset();
        const reply = await fallback.reply(req);
        return { ...reply, meta: { ...reply.meta, fallback: true } };
      }
    },
  };
}

function describe(err: unknown): string {
  if (err instanceof Error) return `${err.name}: ${err.message}`;
  return String(err);
}
