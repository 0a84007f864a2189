// `npm run build`: every artefact the server serves and npm users import.
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';

rmSync('dist', { recursive: true, force: true });
const steps = [
  ['npx', ['vite', 'build', '--mode', 'lib', '--logLevel', 'warn']],
  ['npx', ['vite', 'build', '--mode', 'widget', '--logLevel', 'warn']],
  ['npx', ['vite', 'build', '--mode', 'loader', '--logLevel', 'warn']],
  ['npx', ['vite', 'build', '--mode', 'console', '--logLevel', 'warn']],
  ['npx', ['tsc', '-p', 'tsconfig.build.json']],
  ['npx', ['cem', 'analyze', '--config', 'custom-elements-manifest.config.mjs', '--quiet']],
];
for (const [cmd, args] of steps) {
  console.log(`[build] ${cmd} ${args.join(' ')}`);
  const { status } = spawnSync(cmd, args, { stdio: 'inherit' });
  if (status !== 0) process.exit(status ?? 1);
}
console.log('[build] done: dist/vitrine.js, dist/widget/, dist/lib/, dist/types/, dist/console/, dist/custom-elements.json');
