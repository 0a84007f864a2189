/**
 * One Vite config, one build target per mode (see scripts/build.mjs):
 * - `loader`:  widget/loader.ts -> dist/vitrine.js (tiny IIFE, the <script> tag)
 * - `widget`:  the lazily loaded widget chunk(s) -> dist/widget/
 * - `lib`:     ESM entries for npm users -> dist/lib/
 * - `console`: the merchant console (preact) -> dist/console/
 */
import { defineConfig, type UserConfig } from 'vite';
import { loaderConfig, widgetConfig } from './widget/build.config.js';
import { consoleConfig } from './demo/console/build.config.js';
import { libConfig } from './src/build.config.js';

const targets: Record<string, () => UserConfig> = {
  loader: loaderConfig,
  widget: widgetConfig,
  lib: libConfig,
  console: consoleConfig,
};

export default defineConfig(({ mode }) => {
  const target = targets[mode];
  if (!target) throw new Error(`vite: unknown build mode "${mode}" (use ${Object.keys(targets).join(', ')})`);
  return target();
});
