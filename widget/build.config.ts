/**
 * Build targets of the web widget (run by scripts/build.mjs through vite.config.ts):
 * - loader: widget/loader.ts -> dist/vitrine.js, one IIFE file, no chunks (<= 2 KiB gzip);
 * - widget: widget/widget-entry.ts -> dist/widget/vitrine-widget.js (+ hashed chunks if any), ES
 *   modules with lit, nanostores, socket.io-client and the core bundled in.
 */
import { resolve } from 'node:path';
import type { Plugin, UserConfig } from 'vite';

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

/**
 * The message catalogues hold the strings of every front end; the widget never shows the merchant
 * console's (`console.*`, about a third of the catalogue). Drop those entries from the widget bundle
 * (each entry is one line: `  'key': 'text',`). Keys it does use are untouched; a missing key would
 * fall back to English, then to the key itself.
 */
function widgetCatalogue(): Plugin {
  return {
    name: 'vitrine-widget-catalogue',
    enforce: 'pre',
    transform(code, id) {
      // The protocol schemas (valibot) validate what servers receive; the widget never calls them,
      // but module-level schema building (spreads, helper calls) looks like side effects to the
      // bundler. Declaring the module side-effect free lets unused schemas and valibot drop out.
      if (/[\\/]src[\\/]protocol[\\/]schemas\.ts$/.test(id.split('?')[0])) return { code, map: null, moduleSideEffects: false };
      if (!/[\\/]src[\\/]i18n[\\/](en|zh-CN)\.ts$/.test(id.split('?')[0])) return null;
      return { code: code.replace(/^[ \t]*'console\.[^'\n]*':[^\n]*,[ \t]*$/gm, ''), map: null };
    },
  };
}

export function widgetConfig(): UserConfig {
  return {
    ...shared,
    plugins: [widgetCatalogue()],
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
        // The lazy product chunk imports lit and the core from the entry chunk itself (no third,
        // shared chunk: one request and one compression window for the chat-open path).
        preserveEntrySignatures: 'allow-extension',
        output: { chunkFileNames: '[name]-[hash].js' },
      },
    },
  };
}
