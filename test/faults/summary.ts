/**
 * Vitest global setup of the fault suite: starts an empty figures file and, at the end, prints one
 * table of every scenario's figures (each scenario appends a line through `report()`).
 */
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { FIGURES_FILE, type Figures } from './harness.js';

export function setup(): void {
  mkdirSync(dirname(FIGURES_FILE), { recursive: true });
  rmSync(FIGURES_FILE, { force: true });
}

export function teardown(): void {
  if (!existsSync(FIGURES_FILE)) return;
  const rows = readFileSync(FIGURES_FILE, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Figures);
  if (rows.length === 0) return;
  const w = Math.max(8, ...rows.map((r) => r.scenario.length));
  const lines = [
    '',
    '[faults] summary',
    `  ${'scenario'.padEnd(w)}  ${'messages'.padStart(8)}  ${'retries'.padStart(7)}  ${'converge'.padStart(9)}  violations  notes`,
    ...rows.map(
      (r) =>
        `  ${r.scenario.padEnd(w)}  ${String(r.messages).padStart(8)}  ${String(r.retries).padStart(7)}  ${`${(r.convergeMs / 1000).toFixed(2)}s`.padStart(9)}  ${String(r.violations).padStart(10)}  ${r.note ?? ''}`,
    ),
    '',
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}
