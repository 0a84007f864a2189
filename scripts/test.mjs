// `npm test`: every check and every runner, one after another, then one closing line
// `N passed, N failed` summing all of them. Exits non-zero if anything failed.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { ensureChromium } from './ensure-chromium.mjs';

const OUT = '.test-output';
rmSync(OUT, { recursive: true, force: true });
mkdirSync(OUT, { recursive: true });

const totals = { passed: 0, failed: 0, skipped: 0 };
const lines = [];

function run(cmd, args, env = {}) {
  console.log(`\n[test] $ ${cmd} ${args.join(' ')}`);
  const result = spawnSync(cmd, args, { stdio: 'inherit', env: { ...process.env, ...env } });
  return result.status === 0;
}

function record(name, passed, failed, skipped = 0) {
  totals.passed += passed;
  totals.failed += failed;
  totals.skipped += skipped;
  lines.push(`${name.padEnd(22)} ${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
}

function step(name, cmd, args, env) {
  const ok = run(cmd, args, env);
  record(name, ok ? 1 : 0, ok ? 0 : 1);
  return ok;
}

function readJson(file) {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return null;
  }
}

function vitest(name, args) {
  const file = `${OUT}/${name}.json`;
  const ok = run('npx', ['vitest', 'run', ...args, '--reporter=default', '--reporter=json', `--outputFile=${file}`]);
  const report = readJson(file);
  if (!report) return record(name, 0, 1);
  const failedSuites = (report.testResults ?? []).filter((r) => r.status === 'failed' && (r.assertionResults ?? []).length === 0).length;
  const failed = report.numFailedTests + failedSuites + (ok || report.numFailedTests + failedSuites > 0 ? 0 : 1);
  record(name, report.numPassedTests, failed, report.numPendingTests + (report.numTodoTests ?? 0));
}

/** True when the suite of `config` has at least one test file. */
function hasTests(config) {
  const dir = config.replace(/\/vitest\.config\.ts$/, '');
  try {
    return readdirSync(dir, { recursive: true }).some((f) => String(f).endsWith('.test.ts'));
  } catch {
    return false;
  }
}

const chromium = ensureChromium();
const browserEnv = { CHROMIUM_PATH: chromium };

step('typecheck', 'npx', ['tsc', '-p', 'tsconfig.json', '--noEmit']);
const built = step('build', 'node', ['scripts/build.mjs']);

vitest('unit+server', []);

{
  const file = `${OUT}/wtr.json`;
  const ok = run('npx', ['wtr'], { ...browserEnv, WTR_COUNT_FILE: file });
  const report = readJson(file);
  if (!report) record('browser (wtr)', 0, 1);
  else record('browser (wtr)', report.passed, report.failed + (ok || report.failed > 0 ? 0 : 1), report.skipped);
}

for (const [name, config] of [
  ['faults', 'test/faults/vitest.config.ts'],
  ['scale-out', 'test/scale/vitest.config.ts'],
]) {
  if (hasTests(config)) vitest(name, ['--config', config]);
}

if (built) {
  vitest('e2e', ['--config', 'test/e2e/vitest.config.ts']);
  const file = `${OUT}/size.json`;
  const sizeRun = spawnSync('npx', ['size-limit', '--json'], { encoding: 'utf8' });
  const report = (() => {
    try {
      return JSON.parse(sizeRun.stdout);
    } catch {
      return null;
    }
  })();
  if (!report) {
    console.log(sizeRun.stdout, sizeRun.stderr);
    record('size budgets', 0, 1);
  } else {
    console.log('\n[test] size budgets (gzip):');
    let passed = 0;
    let failed = 0;
    for (const entry of report) {
      const kib = (entry.size / 1024).toFixed(2);
      console.log(`  ${entry.passed ? 'ok  ' : 'FAIL'} ${entry.name}: ${kib} KiB${entry.limit ? ` (limit ${entry.limit})` : ''}`);
      if (entry.passed) passed += 1;
      else failed += 1;
    }
    record('size budgets', passed, failed);
  }
  void file;
} else {
  record('e2e (needs build)', 0, 1);
}

console.log('\n[test] summary');
for (const line of lines) console.log(`  ${line}`);
console.log(`${totals.passed} passed, ${totals.failed} failed${totals.skipped ? `, ${totals.skipped} skipped` : ''}`);
process.exit(totals.failed === 0 && existsSync(OUT) ? 0 : 1);
