import { resolve } from 'node:path';
import type { UserConfig } from 'vite';

const root = resolve(import.meta.dirname, '..');

/** ESM entries for npm users (`vitrine`, `vitrine/protocol`); dependencies stay external. */
export function libConfig(): UserConfig {
  return {
    root,
    publicDir: false,
    build: {
      outDir: resolve(root, 'dist/lib'),
      emptyOutDir: true,
      target: 'es2022',
      sourcemap: true,
      minify: false,
      lib: {
        entry: {
          index: resolve(root, 'src/index.ts'),
          protocol: resolve(root, 'src/protocol/index.ts'),
          widget: resolve(root, 'widget/index.ts'),
        },
        formats: ['es'],
      },
      rollupOptions: {
        external: [/^lit/, /^@lit/, 'nanostores', 'socket.io-client', 'valibot'],
      },
    },
  };
}
