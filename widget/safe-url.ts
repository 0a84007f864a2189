/**
 * URLs from untrusted data (product feeds, page data): only `https:`/`http:` or a path on the page's
 * server go into `src`/`href`. Everything else (`javascript:`, `data:`, `blob:`, control characters)
 * is dropped.
 */
export function safeHttpUrl(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  const trimmed = value.trim();
  if (!trimmed || /[\u0000-\u001f\u007f]/.test(trimmed)) return null;
  try {
    const url = new URL(trimmed, document.baseURI);
    return url.protocol === 'https:' || url.protocol === 'http:' ? url.href : null;
  } catch {
    return null;
  }
}
