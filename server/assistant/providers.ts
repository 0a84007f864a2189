/**
 * Which provider answers for a shop: `embedded` (retrieval over the catalogue and FAQ, offline), or
 * `llm` (the shop's OpenAI-compatible endpoint) falling back to `embedded` when the endpoint fails.
 */
import type { AssistantSettings } from '../../src/protocol/assistant.js';
import { createEmbeddedProvider } from './embedded.js';
import { withFallback } from './fallback.js';
import { createLlmProvider } from './llm.js';
import type { AssistantProvider } from './provider.js';

/** Resolves the provider of a shop from its settings (and the stored API key). */
export type ProviderResolver = (shop: string, settings: AssistantSettings, apiKey: () => Promise<string | null>) => Promise<AssistantProvider>;

/** Options of {@link createProviderResolver}. */
export interface ProviderResolverOptions {
  /** Pause between the embedded provider's streamed chunks (ms; default 30). */
  paceMs?: number;
  /** Logs a failed endpoint before the fallback answers. */
  log?: (msg: string) => void;
}

/** The default resolver: the shop's settings decide. */
export function createProviderResolver(opts: ProviderResolverOptions = {}): ProviderResolver {
  const embedded = createEmbeddedProvider({ paceMs: opts.paceMs });
  // One LLM provider per shop while its endpoint settings and key stay the same: the provider
  // remembers what it learnt about the endpoint (e.g. that it refuses tools) across replies.
  const llmByShop = new Map<string, { key: string; provider: AssistantProvider }>();
  return async (shop, settings, apiKey) => {
    if (settings.provider !== 'llm' || !settings.llm) {
      llmByShop.delete(shop);
      return embedded;
    }
    const key = await apiKey();
    const cacheKey = JSON.stringify([settings.llm.baseUrl, settings.llm.model, settings.llm.timeoutMs, key]);
    const cached = llmByShop.get(shop);
    if (cached && cached.key === cacheKey) return cached.provider;
    const llm = createLlmProvider({ baseUrl: settings.llm.baseUrl, model: settings.llm.model, timeoutMs: settings.llm.timeoutMs, apiKey: key });
    const provider = withFallback(llm, embedded, opts.log);
    llmByShop.set(shop, { key: cacheKey, provider });
    return provider;
  };
}
