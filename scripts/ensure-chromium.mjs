// Makes sure a headless Chromium exists for the browser and end-to-end tests.
// Uses CHROMIUM_PATH, /usr/bin/chromium, or installs Debian's `chromium` package (never a downloaded browser).
import { existsSync } from 'node:fs';
import { execFileSync } from 'node:child_process';

export function chromiumPath() {
  const candidates = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'].filter(Boolean);
  return candidates.find((p) => existsSync(p)) ?? null;
}

export function ensureChromium() {
  const found = chromiumPath();
  if (found) return found;
  console.log('[vitrine] Chromium not found: installing the Debian package `chromium`…');
  const asRoot = process.getuid?.() === 0 ? [] : ['sudo', '-n'];
  const run = (args) => {
    const [cmd, ...rest] = [...asRoot, ...args];
    execFileSync(cmd, rest, { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
  };
  run(['apt-get', 'update', '-qq']);
  run(['apt-get', 'install', '-y', '-qq', 'chromium']);
  const installed = chromiumPath();
  if (!installed) throw new Error('Chromium could not be installed; set CHROMIUM_PATH to a Chromium binary.');
  return installed;
}

/** Flags that work on these machines (no sandbox as root, no background network). */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--headless=new',
  '--disable-gpu',
  '--disable-quic',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-dev-shm-usage',
];

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(`[vitrine] Chromium: ${ensureChromium()}`);
}
