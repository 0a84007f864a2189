/**
 * Build targets of the web widget (run by scripts/build.mjs through vite.config.ts):
 * - loader: widget/loader.ts -> dist/vitrine.js, one IIFE file, no chunks (<= 2 KiB gzip);
 * - widget: widget/widget-entry.ts -> dist/widget/vitrine-widget.js (+ hashed chunks if any), ES
 *   modules with lit, nanostores, socket.io-client and the core bundled in.
 */
import { readFileSync } from 'node:fs';
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

/** One catalogue entry per line: `  'key': 'text',`. */
const ENTRY = /^[ \t]*'([a-zA-Z0-9_.-]+)':[^\n]*,[ \t]*$/gm;
/** Entries only the lazy commerce chunk shows (reservation picker and card, coupon card). */
const COMMERCE_KEY = /^(reservation|coupon)\./;
/** Entries only the lazy feed chunk shows (`<vitrine-feed>`, `<vitrine-feed-item>`); the tab bar's `tabs.*` stay. */
const FEED_KEY = /^feed\./;
/** Lazy chunks' string tables: the module that holds one, and the keys it takes. */
const STRING_TABLES: { file: RegExp; name: string; keys: RegExp }[] = [
  { file: /[\\/]widget[\\/]commerce-strings\.ts$/, name: 'commerceStrings', keys: COMMERCE_KEY },
  { file: /[\\/]widget[\\/]feed[\\/]feed-strings\.ts$/, name: 'feedStrings', keys: FEED_KEY },
];
const CATALOGUE_FILE = /[\\/]src[\\/]i18n[\\/](en|zh-CN)\.ts$/;

/**
 * The message catalogues hold the strings of every front end; the widget never shows the merchant
 * console's (`console.*`, about a third of the catalogue). Drop those entries from the widget bundle
 * (each entry is one line: `  'key': 'text',`). Keys it does use are untouched; a missing key would
 * fall back to English, then to the key itself.
 *
 * The `reservation.*` and `coupon.*` entries move to the lazy commerce chunk: they are dropped from
 * the catalogues here and fill the table of widget/commerce-strings.ts (read by the commerce
 * elements' translator), so the chat-open chunk does not carry them. The `feed.*` entries move to
 * the lazy feed chunk the same way (widget/feed/feed-strings.ts).
 */
function widgetCatalogue(): Plugin {
  const entries = (file: string, keys: RegExp): string =>
    [...readFileSync(resolve(root, 'src/i18n', file), 'utf8').matchAll(ENTRY)]
      .filter((m) => keys.test(m[1]))
      .map((m) => m[0].trim())
      .join('\n');
  return {
    name: 'vitrine-widget-catalogue',
    enforce: 'pre',
    transform(code, id) {
      const file = id.split('?')[0];
      // The protocol schemas (valibot) validate what servers receive; the widget never calls them,
      // but module-level schema building (spreads, helper calls) looks like side effects to the
      // bundler. Declaring the module side-effect free lets unused schemas and valibot drop out.
      if (/[\\/]src[\\/]protocol[\\/]schemas\.ts$/.test(file)) return { code, map: null, moduleSideEffects: false };
      const table = STRING_TABLES.find((t) => t.file.test(file));
      if (table) {
        this.addWatchFile(resolve(root, 'src/i18n/en.ts'));
        this.addWatchFile(resolve(root, 'src/i18n/zh-CN.ts'));
        return {
          code: `export const ${table.name} = {\nen: {\n${entries('en.ts', table.keys)}\n},\n'zh-CN': {\n${entries('zh-CN.ts', table.keys)}\n},\n};\n`,
          map: null,
        };
      }
      if (!CATALOGUE_FILE.test(file)) return null;
      const moved = (key: string): boolean => key.startsWith('console.') || STRING_TABLES.some((t) => t.keys.test(key));
      return { code: code.replace(ENTRY, (line, key: string) => (moved(key) ? '' : line)), map: null };
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
        output: { chunkFileNames: '[name]-[hash].js', codeSplitting: { groups: [{ name: 'vitrine-widget', tags: ['$initial'] }] } },
      },
    },
  };
}
