import { resolve } from 'node:path';
import type { UserConfig } from 'vite';

const root = resolve(import.meta.dirname, '../..');

/**
 * The merchant console (preact) -> dist/console/, served by the reference server under `/console/`.
 * Output works under a strict CSP: external script and stylesheet only, no inline code or styles.
 */
export function consoleConfig(): UserConfig {
  return {
    root: resolve(root, 'demo/console'),
    base: '/console/',
    publicDir: false,
    // Vite 8 transforms TSX with oxc: use preact's automatic JSX runtime.
    oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
    build: {
      outDir: resolve(root, 'dist/console'),
      emptyOutDir: true,
      target: 'es2022',
      sourcemap: true,
      cssCodeSplit: false,
      // The polyfill would be injected into the entry; modern browsers have modulepreload.
      modulePreload: { polyfill: false },
      assetsInlineLimit: 0,
    },
  };
}
