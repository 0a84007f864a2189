/** Helpers for the server's own tests: a throw-away PostgreSQL database per run. */
import { randomBytes } from 'node:crypto';
import pg from 'pg';

export const DEFAULT_PG_URL = 'postgres://postgres@127.0.0.1:5432/postgres';

/** A database created for one test run. */
export interface TempPg {
  url: string;
  drop(): Promise<void>;
}

/**
 * Creates a uniquely named database on the server of `DATABASE_URL` (or the local default).
 * Resolves null, with the reason, when PostgreSQL is unreachable.
 */
export async function createTempPg(): Promise<TempPg | { skip: string }> {
  const adminUrl = process.env.DATABASE_URL || DEFAULT_PG_URL;
  const admin = new pg.Client({ connectionString: adminUrl, connectionTimeoutMillis: 2000 });
  try {
    await admin.connect();
  } catch (err) {
    return { skip: `PostgreSQL unreachable at ${adminUrl.replace(/:[^:@/]*@/, ':***@')}: ${err instanceof Error ? err.message : String(err)}` };
  }
  const name = `vitrine_test_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const c = new pg.Client({ connectionString: adminUrl });
      await c.connect();
      try {
        await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await c.end();
      }
    },
  };
}
