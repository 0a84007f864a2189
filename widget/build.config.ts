/**
 * Build targets of the web widget (run by scripts/build.mjs through vite.config.ts):
 * - loader: widget/loader.ts -> dist/vitrine.js, one IIFE file, no chunks (<= 2 KiB gzip);
 * - widget: widget/widget-entry.ts -> dist/widget/vitrine-widget.js (+ hashed chunks if any), ES
 *   modules with lit, nanostores, socket.io-client and the core bundled in.
 */
import { resolve } from 'node:path';
import type { UserConfig } from 'vite';

const root = resolve(import.meta.dirname, '..');

const shared = {
  root,
  publicDir: false as const,
  // nanostores and others read process.env.NODE_ENV: production builds drop their dev checks.
  define: { 'process.env.NODE_ENV': JSON.stringify('production') },
};

export function loaderConfig(): UserConfig {
  return {
    ...shared,
    build: {
      outDir: resolve(root, 'dist'),
      emptyOutDir: false,
      target: 'es2020',
      minify: true,
      sourcemap: false,
      copyPublicDir: false,
      lib: {
        entry: resolve(root, 'widget/loader.ts'),
        formats: ['iife'],
        name: 'VitrineLoader',
        fileName: () => 'vitrine.js',
      },
    },
  };
}

export function widgetConfig(): UserConfig {
  return {
    ...shared,
    build: {
      outDir: resolve(root, 'dist/widget'),
      emptyOutDir: true,
      target: 'es2022',
      minify: true,
      sourcemap: true,
      modulePreload: false,
      copyPublicDir: false,
      lib: {
        entry: { 'vitrine-widget': resolve(root, 'widget/widget-entry.ts') },
        formats: ['es'],
        fileName: (_format, name) => `${name}.js`,
      },
      rolldownOptions: {
        output: { chunkFileNames: '[name]-[hash].js' },
      },
    },
  };
}
