/** What `npm run build` hands to npm users, designers and integrators. */
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '../..');
const dist = (p: string) => resolve(root, 'dist', p);

interface ManifestDeclaration {
  tagName?: string;
  cssParts?: { name: string }[];
  cssProperties?: { name: string }[];
  events?: { name: string }[];
}

describe('build artefacts', () => {
  it('the custom-elements manifest documents <vitrine-chat>, its parts, tokens and events', () => {
    const manifest = JSON.parse(readFileSync(dist('custom-elements.json'), 'utf8')) as { modules: { declarations?: ManifestDeclaration[] }[] };
    const chat = manifest.modules.flatMap((m) => m.declarations ?? []).find((d) => d.tagName === 'vitrine-chat');
    expect(chat).toBeDefined();
    const parts = new Set(chat?.cssParts?.map((p) => p.name));
    for (const part of ['launcher', 'panel', 'header', 'message-list', 'message', 'composer', 'input', 'send', 'unread-badge']) {
      expect(parts.has(part), `part ${part}`).toBe(true);
    }
    const tokens = chat?.cssProperties?.map((p) => p.name) ?? [];
    expect(tokens.length).toBeGreaterThan(10);
    for (const token of tokens) expect(token).toMatch(/^--vitrine-/);
    expect(chat?.events?.map((e) => e.name)).toEqual(expect.arrayContaining(['vitrine-open', 'vitrine-close', 'vitrine-message', 'vitrine-unread-change']));
  });

  it('ships an ESM entry with type declarations for the core, the protocol and the widget', async () => {
    for (const file of ['lib/index.js', 'lib/protocol.js', 'lib/widget.js', 'types/src/index.d.ts', 'types/src/protocol/index.d.ts', 'types/widget/index.d.ts']) {
      expect(existsSync(dist(file)), file).toBe(true);
    }
    const core = (await import(dist('lib/protocol.js'))) as { PROTOCOL_VERSION: number; ERROR_CODES: readonly string[] };
    expect(core.PROTOCOL_VERSION).toBe(1);
    expect(core.ERROR_CODES).toContain('invalid_payload');
  });

  it('the loader is one classic script (no ES module syntax) and the widget entry is an ES module', () => {
    const loader = readFileSync(dist('vitrine.js'), 'utf8');
    expect(loader).not.toMatch(/^\s*(import|export)\s/m);
    const widget = readFileSync(dist('widget/vitrine-widget.js'), 'utf8');
    expect(widget).toMatch(/export\s*\{/);
    // The widget must never evaluate strings as code (strict CSP; untrusted text is data).
    expect(widget).not.toMatch(/\beval\(|new Function\(/);
  });
});
