/**
 * `npx vitrine products import FILE.csv|FILE.json [--server URL] [--email E --password P [--shop S] | --token T]`
 *
 * Talks to the REST admin API of a running server (default http://127.0.0.1:8787, or VITRINE_URL;
 * token from --token or VITRINE_TOKEN, else a login with --email/--password). Prints the per-row
 * report. Exit codes: 0 all rows imported, 1 some rows failed, 2 usage / connection / HTTP error.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { ImportReport } from './catalogue-import.js';

/** Where the CLI writes (tests capture it). */
export interface CliIo {
  out: (line: string) => void;
  err: (line: string) => void;
  env: Record<string, string | undefined>;
}

const USAGE = `Usage:
  vitrine products import FILE.csv|FILE.json [--server URL] [--token T | --email E --password P [--shop S]]

Options:
  --server URL    server to import into (default $VITRINE_URL or http://127.0.0.1:8787)
  --token T       agent bearer token (default $VITRINE_TOKEN)
  --email E       log in as this agent instead (with --password; --shop when the e-mail is in several shops)
  --password P
  --shop S

Exit codes: 0 every row imported, 1 some rows failed (see the report), 2 usage, connection or HTTP error.
File formats: docs/catalogue.md.`;

class UsageError extends Error {}

function parseArgs(argv: string[]): { positional: string[]; flags: Record<string, string> } {
  const positional: string[] = [];
  const flags: Record<string, string> = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--help' || a === '-h') {
      flags.help = '1';
      continue;
    }
    if (a.startsWith('--')) {
      const eq = a.indexOf('=');
      const name = eq > 0 ? a.slice(2, eq) : a.slice(2);
      const value = eq > 0 ? a.slice(eq + 1) : argv[++i];
      if (!['server', 'token', 'email', 'password', 'shop'].includes(name)) throw new UsageError(`unknown option --${name}`);
      if (value === undefined) throw new UsageError(`--${name} needs a value`);
      flags[name] = value;
      continue;
    }
    positional.push(a);
  }
  return { positional, flags };
}

async function errorMessage(res: Response): Promise<string> {
  const text = await res.text();
  try {
    const body = JSON.parse(text) as { error?: { code?: string; message?: string } };
    if (body.error) return `${body.error.code}: ${body.error.message}`;
  } catch {
    // not JSON
  }
  return text.slice(0, 200) || res.statusText;
}

/** Formats an import report as lines for a terminal. */
export function formatReport(file: string, report: ImportReport): string[] {
  const lines = [`${file}: ${report.imported} created, ${report.updated} updated, ${report.errors.length} row error(s)`];
  for (const e of report.errors) {
    const where = [`row ${e.row}`, e.id ? `id ${e.id}` : null, e.field ? `field ${e.field}` : null].filter(Boolean).join(', ');
    lines.push(`  ${where}: ${e.message}`);
  }
  return lines;
}

/** Runs the CLI; resolves with the exit code. */
export async function run(argv: string[], io: CliIo = defaultIo()): Promise<number> {
  let args: ReturnType<typeof parseArgs>;
  try {
    args = parseArgs(argv);
  } catch (err) {
    io.err(`${(err as Error).message}\n\n${USAGE}`);
    return 2;
  }
  const { positional, flags } = args;
  if (flags.help) {
    io.out(USAGE);
    return 0;
  }
  if (positional[0] !== 'products' || positional[1] !== 'import' || positional.length !== 3) {
    io.err(USAGE);
    return 2;
  }
  const file = positional[2];
  const ext = path.extname(file).toLowerCase();
  const contentType = ext === '.csv' ? 'text/csv; charset=utf-8' : ext === '.json' ? 'application/json' : null;
  if (!contentType) {
    io.err(`${file}: the file must end in .csv or .json`);
    return 2;
  }
  let body: Buffer;
  try {
    body = await readFile(file);
  } catch (err) {
    io.err(`${file}: ${(err as Error).message}`);
    return 2;
  }
  const server = (flags.server ?? io.env.VITRINE_URL ?? 'http://127.0.0.1:8787').replace(/\/+$/, '');
  try {
    let token = flags.token ?? (flags.email ? undefined : io.env.VITRINE_TOKEN);
    if (!token) {
      if (!flags.email || !flags.password) {
        io.err(`no credentials: pass --token T (or set VITRINE_TOKEN), or --email E --password P\n\n${USAGE}`);
        return 2;
      }
      const res = await fetch(`${server}/api/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: flags.email, password: flags.password, ...(flags.shop ? { shop: flags.shop } : {}) }),
      });
      if (!res.ok) {
        io.err(`login failed (HTTP ${res.status}): ${await errorMessage(res)}`);
        return 2;
      }
      token = ((await res.json()) as { token: string }).token;
    }
    const res = await fetch(`${server}/api/products/import`, {
      method: 'POST',
      headers: { 'content-type': contentType, authorization: `Bearer ${token}` },
      body: new Uint8Array(body),
    });
    if (!res.ok) {
      io.err(`import failed (HTTP ${res.status}): ${await errorMessage(res)}`);
      return 2;
    }
    const report = (await res.json()) as ImportReport;
    for (const line of formatReport(file, report)) io.out(line);
    return report.errors.length > 0 ? 1 : 0;
  } catch (err) {
    const cause = (err as { cause?: { message?: string } }).cause?.message;
    io.err(`cannot reach ${server}: ${(err as Error).message}${cause ? ` (${cause})` : ''}`);
    return 2;
  }
}

function defaultIo(): CliIo {
  return {
    out: (line) => process.stdout.write(`${line}\n`),
    err: (line) => process.stderr.write(`${line}\n`),
    env: process.env,
  };
}

// `node --import tsx server/cli.ts ...` runs it directly; bin/vitrine.mjs imports it and calls run().
if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  run(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
