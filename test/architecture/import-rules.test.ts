/** The import rules of DESIGN.md section 2, checked over the source tree. */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve, dirname } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '../..');

function files(dir: string): string[] {
  const out: string[] = [];
  let entries: string[] = [];
  try {
    entries = readdirSync(join(root, dir));
  } catch {
    return out;
  }
  for (const name of entries) {
    const path = join(dir, name);
    if (name === 'node_modules' || name === 'dist' || name === 'miniprogram_dist') continue;
    if (statSync(join(root, path)).isDirectory()) out.push(...files(path));
    else if (/\.(ts|tsx|mts)$/.test(name)) out.push(path);
  }
  return out;
}

function imports(file: string): string[] {
  const text = readFileSync(join(root, file), 'utf8');
  return [...text.matchAll(/(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g)].map((m) => m[1] ?? m[2]);
}

function target(file: string, spec: string): string | null {
  if (!spec.startsWith('.')) return null;
  return relative(root, resolve(root, dirname(file), spec));
}

const isTest = (f: string) => /\.test\.tsx?$/.test(f) || f.endsWith('build.config.ts');

describe('import rules', () => {
  it('src/ imports no DOM framework, wx, or other rooms', () => {
    for (const file of files('src').filter((f) => !isTest(f))) {
      for (const spec of imports(file)) {
        expect(['lit', 'preact', 'socket.io'].some((p) => spec === p || spec.startsWith(`${p}/`)), `${file} imports ${spec}`).toBe(false);
        const t = target(file, spec);
        if (t) expect(t.startsWith('src'), `${file} imports ${spec}`).toBe(true);
      }
    }
  });

  it('only src/transport/socket-io.ts imports socket.io-client in the core', () => {
    for (const file of files('src')) {
      if (imports(file).includes('socket.io-client')) expect(file).toBe('src/transport/socket-io.ts');
    }
  });

  it('src/ uses no DOM globals', () => {
    for (const file of files('src').filter((f) => !isTest(f))) {
      const text = readFileSync(join(root, file), 'utf8').replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, '');
      expect(/\b(window|document|localStorage|navigator)\./.test(text), file).toBe(false);
    }
  });

  it('widget/ and miniprogram/ reach the core only through src/index.ts, never each other', () => {
    for (const room of ['widget', 'miniprogram']) {
      for (const file of files(room).filter((f) => !isTest(f))) {
        for (const spec of imports(file)) {
          const t = target(file, spec);
          if (!t) continue;
          if (t.startsWith('src')) expect(t.replace(/\.js$/, ''), `${file} imports ${spec}`).toBe('src/index');
          expect(t.startsWith(room === 'widget' ? 'miniprogram' : 'widget'), `${file} imports ${spec}`).toBe(false);
          expect(/^(server|demo|test|bench)\//.test(t), `${file} imports ${spec}`).toBe(false);
        }
      }
    }
  });

  it('server/ imports only src/protocol from the core', () => {
    for (const file of files('server').filter((f) => !isTest(f))) {
      for (const spec of imports(file)) {
        const t = target(file, spec);
        if (t?.startsWith('src')) expect(t.startsWith('src/protocol'), `${file} imports ${spec}`).toBe(true);
        if (t) expect(/^(widget|miniprogram|demo|test|bench)\//.test(t), `${file} imports ${spec}`).toBe(false);
      }
    }
  });

  it('nothing imports demo/, test/ or bench/ from outside', () => {
    for (const room of ['src', 'widget', 'miniprogram', 'server']) {
      for (const file of files(room).filter((f) => !isTest(f))) {
        for (const spec of imports(file)) {
          const t = target(file, spec);
          if (t) expect(/^(demo|test|bench)\//.test(t), `${file} imports ${spec}`).toBe(false);
        }
      }
    }
  });
});
