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
  return async (_shop, settings, apiKey) => {
    if (settings.provider !== 'llm' || !settings.llm) return embedded;
    const llm = createLlmProvider({
      baseUrl: settings.llm.baseUrl,
      model: settings.llm.model,
      timeoutMs: settings.llm.timeoutMs,
      apiKey: await apiKey(),
    });
    return withFallback(llm, embedded, opts.log);
  };
}
