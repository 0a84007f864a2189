/** Shops, agents and agent sessions. */
import { VitrineError } from '../src/protocol/errors.js';
import { LIMITS } from '../src/protocol/limits.js';
import type { AgentProfile } from '../src/protocol/types.js';
import { DUMMY_PASSWORD_HASH, hashPassword, hashToken, newToken, verifyPassword } from './security.js';
import type { Shop, Store } from './storage/store.js';

/** Agent sessions last 30 days. */
export const AGENT_SESSION_TTL_MS = 30 * 24 * 60 * 60 * 1000;

const SHOP_ID = /^[a-z0-9][a-z0-9_-]*$/;

/** Creates a shop (or returns the existing shop with that id unchanged). */
export async function createShop(store: Store, shop: { id: string; name: string; locale?: string }): Promise<Shop> {
  if (!SHOP_ID.test(shop.id) || shop.id.length > LIMITS.shopMaxLength) {
    throw new VitrineError('invalid_payload', 'shop id must be lower-case letters, digits, _ or - (at most 64)');
  }
  if (!shop.name.trim()) throw new VitrineError('invalid_payload', 'shop name must not be empty');
  return store.insertShop({ id: shop.id, name: shop.name, locale: shop.locale ?? null });
}

/** Creates an agent of `shop` with a scrypt-hashed password. Throws `conflict` if the e-mail is taken in that shop. */
export async function createAgent(
  store: Store,
  agent: { shop: string; email: string; name: string; password: string },
): Promise<AgentProfile> {
  if (!(await store.getShop(agent.shop))) throw new VitrineError('not_found', `shop ${agent.shop} does not exist`);
  const email = normalizeEmail(agent.email);
  if (!email.includes('@')) throw new VitrineError('invalid_payload', 'email is not valid');
  if (agent.password.length < 8) throw new VitrineError('invalid_payload', 'password must have at least 8 characters');
  if (await store.findAgent(agent.shop, email)) throw new VitrineError('conflict', `agent ${email} already exists in ${agent.shop}`);
  const row = await store.insertAgent({ shop: agent.shop, email, name: agent.name, passwordHash: await hashPassword(agent.password) });
  return { id: row.id, name: row.name, email: row.email };
}

/** E-mails compare case-insensitively. */
export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

/** A successful login. */
export interface LoginResult {
  token: string;
  agent: AgentProfile;
  shop: Shop;
}

/** Checks e-mail and password (optionally within one shop) and opens a session. Null when they do not match. */
export async function login(store: Store, input: { email: string; password: string; shop?: string }): Promise<LoginResult | null> {
  const email = normalizeEmail(input.email);
  const candidates = input.shop
    ? [await store.findAgent(input.shop, email)].filter((a) => a !== null)
    : await store.findAgentsByEmail(email);
  if (candidates.length === 0) {
    await verifyPassword(input.password, DUMMY_PASSWORD_HASH); // same cost as a wrong password
    return null;
  }
  for (const agent of candidates) {
    if (!(await verifyPassword(input.password, agent.passwordHash))) continue;
    const shop = await store.getShop(agent.shop);
    if (!shop) continue;
    const token = newToken();
    await store.createAgentSession(agent.id, hashToken(token), AGENT_SESSION_TTL_MS);
    return { token, agent: { id: agent.id, name: agent.name, email: agent.email }, shop };
  }
  return null;
}

/** The agent and shop behind a session token, or null. */
export async function agentForToken(store: Store, token: string): Promise<{ agent: AgentProfile; shop: string } | null> {
  if (!token || token.length > LIMITS.tokenMaxLength) return null;
  const agent = await store.findAgentBySession(hashToken(token));
  return agent ? { agent: { id: agent.id, name: agent.name, email: agent.email }, shop: agent.shop } : null;
}
