/** Path of a usable Chromium, or `null`. */
export function chromiumPath(): string | null;
/** Path of a usable Chromium, installing Debian's `chromium` if none is found. */
export function ensureChromium(): string;
/** Launch flags that work on these machines. */
export const CHROMIUM_ARGS: string[];
