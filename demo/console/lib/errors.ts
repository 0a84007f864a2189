/** Text for an API failure in the agent's language. */
import type { Translator } from '../../../src/index.js';
import type { ApiErrorCode } from '../api.js';

export function errorText(code: ApiErrorCode, tr: Translator): string {
  return tr.t(`error.${code === 'network' ? 'unavailable' : code}`);
}
