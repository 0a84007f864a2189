/**
 * Assistant admin API (issue 6; agent bearer token, errors `{ error: { code, message } }` like the
 * rest of /api/): `/api/settings/assistant`, `/api/faq`, `/api/assistant/handoffs`,
 * `/api/assistant/try`. Reference: docs/assistant.md.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import * as v from 'valibot';
import { assistantSettingsInputSchema, faqInputSchema } from '../src/protocol/assistant-schemas.js';
import { VitrineError } from '../src/protocol/errors.js';
import { LIMITS } from '../src/protocol/limits.js';
import { validate } from '../src/protocol/schemas.js';
import { agentShop, HttpError, noContent, notAllowed, sendJson, storeError, validBody, type HttpContext } from './http.js';
import type { Store } from './storage/store.js';

/** Largest FAQ entry body (question and answer in several locales, keywords). */
export const MAX_FAQ_BYTES = 64 * 1024;

const idSchema = v.pipe(v.string(), v.minLength(1), v.maxLength(LIMITS.idMaxLength), v.regex(/^[A-Za-z0-9_-]+$/));

/** `POST /api/assistant/try`. */
export const assistantTrySchema = v.object({
  question: v.pipe(v.string(), v.trim(), v.minLength(1, 'must not be empty'), v.maxLength(LIMITS.textMaxLength)),
  locale: v.optional(v.picklist(['zh-CN', 'en'])),
});

const body = validBody;

function faqPathId(id: string): string {
  if (!validate(idSchema, id).ok) throw new HttpError(404, 'not_found', `no FAQ entry ${JSON.stringify(id.slice(0, 80))}`);
  return id;
}

/** Handles the assistant routes; false when `pathname` is none of them. */
export async function handleAssistant(
  ctx: HttpContext,
  store: Store,
  req: IncomingMessage,
  res: ServerResponse,
  pathname: string,
  cors: Record<string, string>,
): Promise<boolean> {
  const [, , section, id, ...more] = pathname.split('/');
  const known =
    (section === 'settings' && id === 'assistant' && more.length === 0) ||
    (section === 'faq' && more.length === 0) ||
    (section === 'assistant' && (id === 'handoffs' || id === 'try') && more.length === 0);
  if (!known) return false;
  const shop = await agentShop(store, req);
  const a = store.assistant;
  const method = req.method ?? 'GET';
  try {
    if (section === 'settings') {
      if (method === 'GET') sendJson(res, 200, await a.getSettings(shop), cors);
      else if (method === 'PUT') {
        const input = await body(req, assistantSettingsInputSchema, 'assistant settings');
        const saved = await a.putSettings(shop, input);
        ctx.log.info(`assistant settings saved shop=${shop} enabled=${saved.enabled} provider=${saved.provider}`);
        sendJson(res, 200, saved, cors);
      } else throw notAllowed(method, pathname);
      return true;
    }

    if (section === 'faq') {
      if (id === undefined || id === '') {
        if (method === 'GET') sendJson(res, 200, { items: await a.listFaq(shop) }, cors);
        else if (method === 'POST') {
          const entry = await a.createFaq(shop, await body(req, faqInputSchema, 'a FAQ entry', MAX_FAQ_BYTES));
          sendJson(res, 201, { entry }, cors);
        } else throw notAllowed(method, pathname);
        return true;
      }
      const faqId = faqPathId(id);
      if (method === 'PUT') {
        const entry = await a.updateFaq(shop, faqId, await body(req, faqInputSchema, 'a FAQ entry', MAX_FAQ_BYTES));
        if (!entry) throw new HttpError(404, 'not_found', `FAQ entry ${faqId} not found`);
        sendJson(res, 200, { entry }, cors);
      } else if (method === 'DELETE') {
        if (!(await a.deleteFaq(shop, faqId))) throw new HttpError(404, 'not_found', `FAQ entry ${faqId} not found`);
        noContent(res, cors);
      } else throw notAllowed(method, pathname);
      return true;
    }

    if (id === 'handoffs') {
      if (method !== 'GET') throw notAllowed(method, pathname);
      sendJson(res, 200, { items: await a.listHandoffs(shop) }, cors);
      return true;
    }

    // try: the shop's configured provider (with its fallback) answers; nothing is stored or sent.
    if (method !== 'POST') throw notAllowed(method, pathname);
    const ask = await body(req, assistantTrySchema, 'an object with question');
    if (!ctx.assistantTry) throw new HttpError(503, 'unavailable', 'the assistant is not running');
    let reply;
    try {
      reply = await ctx.assistantTry(shop, ask.question, ask.locale);
    } catch (err) {
      if (err instanceof VitrineError || err instanceof HttpError) throw err;
      ctx.log.warn(`assistant try failed shop=${shop}: ${err instanceof Error ? err.message : String(err)}`);
      throw new HttpError(502, 'unavailable', 'the assistant could not answer (provider failed)');
    }
    sendJson(res, 200, { reply }, cors);
    return true;
  } catch (err) {
    throw storeError(err);
  }
}
