/**
 * Catalogue import: CSV (one row per variant) and JSON (an array of products) into a shop's
 * catalogue. Every product is validated and upserted on its own: a bad row is reported (row,
 * product id, field, message) and never costs the good rows. Format: docs/catalogue.md.
 */
import { parse } from 'csv-parse/sync';
import * as v from 'valibot';
import {
  currencyDigits,
  isKnownCurrency,
  productInputSchema,
  productVariantInputSchema,
  type ProductInput,
} from '../src/protocol/schemas.js';
import type { Store } from './storage/store.js';

/** One problem of an import. `row`: CSV line number (header = 1) or JSON array position (from 1). */
export interface ImportError {
  row: number;
  id?: string;
  field?: string;
  message: string;
}

/** What an import did: products created, products replaced, and every row that was not stored. */
export interface ImportReport {
  imported: number;
  updated: number;
  errors: ImportError[];
}

/** A whole-file problem (no header, missing column, not CSV/JSON): nothing was imported. */
export class ImportFormatError extends Error {}

/** Largest import body, in bytes. */
export const IMPORT_MAX_BYTES = 1024 * 1024;

/** CSV columns (besides `title_<locale>` / `description_<locale>`). */
export const CSV_COLUMNS = ['id', 'price', 'currency', 'compare_at', 'images', 'url', 'tags', 'variant_id', 'sku', 'options', 'variant_price', 'stock'] as const;

const LOCALE_COLUMN = /^(title|description)_([a-z]{2,3}(?:-[A-Za-z0-9]{2,8})*)$/;

/** The first issue of `schema` on `input` as field + message, or null when valid. */
function firstIssue(schema: v.GenericSchema, input: unknown): { path: string; message: string } | null {
  const res = v.safeParse(schema, input);
  if (res.success) return null;
  const issue = res.issues[0];
  return { path: v.getDotPath(issue) ?? '', message: issue.message };
}

/**
 * Major units ("699.00", "2680", "0.5") to integer minor units of `currency` (JPY: no decimals).
 * String arithmetic, so no float rounding. Throws with a message for the report.
 */
export function parseMajorUnits(text: string, currency: string): number {
  const digits = currencyDigits(currency);
  const m = /^(\d{1,15})(?:\.(\d+))?$/.exec(text.trim());
  if (!m) throw new Error(`"${text}" is not an amount: use digits with an optional decimal point, like 699.00`);
  const frac = (m[2] ?? '').replace(/0+$/, '');
  if (frac.length > digits) {
    throw new Error(digits === 0 ? `${currency} has no minor unit: "${text}" must be a whole number` : `"${text}" has more than ${digits} decimals for ${currency}`);
  }
  const amount = Number(m[1]) * 10 ** digits + Number(frac.padEnd(digits, '0') || '0');
  if (!Number.isSafeInteger(amount)) throw new Error(`"${text}" is too large`);
  return amount;
}

/** `colour=gold;length=45cm` to `{ colour: 'gold', length: '45cm' }`. */
export function parseOptions(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of text.split(';')) {
    if (!part.trim()) continue;
    const eq = part.indexOf('=');
    const name = eq < 0 ? '' : part.slice(0, eq).trim();
    const value = eq < 0 ? '' : part.slice(eq + 1).trim();
    if (!name || !value) throw new Error(`"${part.trim()}" is not name=value (write options like colour=gold;length=45cm)`);
    if (name in out) throw new Error(`option "${name}" is given twice`);
    out[name] = value;
  }
  return out;
}

const list = (s: string): string[] =>
  s
    .split('|')
    .map((x) => x.trim())
    .filter((x) => x.length > 0);

class RowError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
  }
}

function money(text: string, currency: string, field: string): { amount: number; currency: string } {
  try {
    return { amount: parseMajorUnits(text, currency), currency };
  } catch (err) {
    throw new RowError(field, (err as Error).message);
  }
}

/** Product-level columns of one CSV row, turned into product fields. */
function productFields(rec: Record<string, string>, columns: string[]): Omit<ProductInput, 'variants' | 'options'> {
  const title: Record<string, string> = {};
  const description: Record<string, string> = {};
  for (const col of columns) {
    const m = LOCALE_COLUMN.exec(col);
    if (!m || !rec[col]) continue;
    (m[1] === 'title' ? title : description)[m[2]] = rec[col];
  }
  if (Object.keys(title).length === 0) throw new RowError('title', 'a title is required (fill at least one title_<locale> column)');
  const currency = (rec.currency ?? '').toUpperCase();
  if (!currency) throw new RowError('currency', 'currency is required (an ISO 4217 code like CNY)');
  if (!isKnownCurrency(currency)) throw new RowError('currency', `"${rec.currency}" is not a known ISO 4217 currency`);
  if (!rec.price) throw new RowError('price', 'price is required');
  return {
    id: rec.id,
    title,
    description,
    price: money(rec.price, currency, 'price'),
    compareAt: rec.compare_at ? money(rec.compare_at, currency, 'compare_at') : null,
    images: list(rec.images ?? ''),
    url: rec.url || null,
    tags: list(rec.tags ?? ''),
  };
}

const PRODUCT_FIELD_COLUMN: Record<string, string> = { compareAt: 'compare_at', variants: 'variant_id' };

/** Maps a product-input issue path (`price.currency`, `images.0`) to the CSV column named in the report. */
function csvField(path: string): string {
  const [head, , leaf] = path.split('.');
  if (head === 'price' && path.endsWith('currency')) return 'currency';
  if (head === 'variants') return leaf === 'price' ? 'variant_price' : (leaf ?? 'variant_id');
  return PRODUCT_FIELD_COLUMN[head] ?? head;
}

interface PendingProduct {
  firstRow: number;
  rows: number[];
  fields: Omit<ProductInput, 'variants' | 'options'> | null;
  /** Raw product columns of the first row, to compare later rows with. */
  raw: Record<string, string>;
  variants: ProductInput['variants'];
}

/**
 * Parses a CSV catalogue into products (rows with one id merge into one product, one variant per
 * row). Row-level problems drop that row and are reported; product-level problems (on the first
 * row of an id) drop the product.
 */
export function parseCatalogueCsv(text: string): { products: { row: number; id: string; input: unknown }[]; errors: ImportError[] } {
  const errors: ImportError[] = [];
  let records: { record: Record<string, string>; info: { lines: number } }[];
  try {
    records = parse(text, {
      columns: (header: string[]) => header.map((h) => h.trim()),
      bom: true,
      info: true,
      trim: true,
      skip_empty_lines: true,
      skip_records_with_error: true,
      on_skip: (err) => {
        if (err) errors.push({ row: Number((err as unknown as { lines?: number }).lines ?? 0), message: `not a valid CSV row: ${err.message}` });
        return undefined;
      },
    }) as unknown as { record: Record<string, string>; info: { lines: number } }[];
  } catch (err) {
    throw new ImportFormatError(`not valid CSV: ${(err as Error).message}`);
  }
  const columns = records[0] ? Object.keys(records[0].record) : parseHeader(text);
  const missing = ['id', 'price', 'currency'].filter((c) => !columns.includes(c));
  if (missing.length > 0) throw new ImportFormatError(`missing column${missing.length > 1 ? 's' : ''}: ${missing.join(', ')}`);
  if (!columns.some((c) => c.startsWith('title_'))) throw new ImportFormatError('missing column: title_<locale> (e.g. title_zh-CN, title_en)');

  const pending = new Map<string, PendingProduct>();
  const productColumns = columns.filter((c) => LOCALE_COLUMN.test(c) || ['price', 'currency', 'compare_at', 'images', 'url', 'tags'].includes(c));
  for (const { record: rec, info } of records) {
    const row = info.lines;
    const id = rec.id ?? '';
    if (!id) {
      errors.push({ row, field: 'id', message: 'id is required' });
      continue;
    }
    let p = pending.get(id);
    try {
      if (!p) {
        p = { firstRow: row, rows: [row], fields: null, raw: rec, variants: [] };
        pending.set(id, p);
        p.fields = productFields(rec, columns);
      } else {
        p.rows.push(row);
        const first = p.raw;
        const differs = productColumns.find((c) => rec[c] && rec[c] !== first[c]);
        if (differs) {
          throw new RowError(differs, `differs from row ${p.firstRow}: product columns must repeat the first row of ${id} or be left empty`);
        }
        if (!p.fields) continue; // the product already failed
      }
      const hasVariant = ['variant_id', 'sku', 'options', 'variant_price', 'stock'].some((c) => rec[c]);
      if (!hasVariant) continue;
      const variantId = rec.variant_id || 'default';
      if (p.variants.some((x) => x.id === variantId)) {
        throw new RowError('variant_id', `variant ${variantId} of ${id} is given twice (first kept)`);
      }
      let options: Record<string, string>;
      try {
        options = parseOptions(rec.options ?? '');
      } catch (err) {
        throw new RowError('options', (err as Error).message);
      }
      let stock: number | null = null;
      if (rec.stock) {
        if (!/^\d+$/.test(rec.stock)) throw new RowError('stock', `"${rec.stock}" is not a whole number (leave it empty when stock is not tracked)`);
        stock = Number(rec.stock);
      }
      const currency = p.fields?.price.currency ?? '';
      const variant = {
        id: variantId,
        sku: rec.sku || null,
        options,
        price: rec.variant_price ? money(rec.variant_price, currency, 'variant_price') : null,
        stock,
      };
      const issue = firstIssue(productVariantInputSchema, variant);
      if (issue) throw new RowError(csvField(`variants.0.${issue.path}`), issue.message);
      p.variants.push(v.parse(productVariantInputSchema, variant));
    } catch (err) {
      if (!(err instanceof RowError)) throw err;
      const productFailed = p !== undefined && p.fields === null && p.firstRow === row;
      errors.push({
        row,
        id,
        field: err.field,
        message: productFailed ? `${err.message} (product ${id} not imported)` : err.message,
      });
    }
  }
  const products: { row: number; id: string; input: unknown }[] = [];
  for (const [id, p] of pending) {
    if (!p.fields) continue;
    const input = { ...p.fields, variants: p.variants };
    const issue = firstIssue(productInputSchema, input);
    if (issue) {
      errors.push({ row: p.firstRow, id, field: csvField(issue.path), message: `${issue.message} (product ${id} not imported)` });
      continue;
    }
    products.push({ row: p.firstRow, id, input });
  }
  errors.sort((a, b) => a.row - b.row);
  return { products, errors };
}

function parseHeader(text: string): string[] {
  const firstLine = text.replace(/^\uFEFF/, '').split(/\r?\n/, 1)[0] ?? '';
  if (!firstLine.trim()) return [];
  try {
    const [header] = parse(firstLine, { trim: true }) as string[][];
    return header ?? [];
  } catch {
    return [];
  }
}

/** Upserts each product independently and reports per row. */
export async function importProducts(
  store: Store,
  shop: string,
  items: { row: number; id?: string; input: unknown }[],
  earlier: ImportError[] = [],
  opts: { keepOptions?: boolean } = {},
): Promise<ImportReport> {
  const report: ImportReport = { imported: 0, updated: 0, errors: [...earlier] };
  for (const item of items) {
    const issue = firstIssue(productInputSchema, item.input);
    if (issue) {
      report.errors.push({ row: item.row, ...(item.id ? { id: item.id } : {}), ...(issue.path ? { field: issue.path } : {}), message: issue.message });
      continue;
    }
    const { created } = await store.upsertProduct(shop, item.input, opts);
    if (created) report.imported++;
    else report.updated++;
  }
  report.errors.sort((a, b) => a.row - b.row);
  return report;
}

/** Imports a CSV text (see {@link parseCatalogueCsv}). */
export async function importCsv(store: Store, shop: string, text: string): Promise<ImportReport> {
  const { products, errors } = parseCatalogueCsv(text);
  // The CSV format has no option labels: products it replaces keep theirs.
  return importProducts(store, shop, products, errors, { keepOptions: true });
}

/** Imports a JSON array of products (row = position in the array, from 1). */
export async function importJson(store: Store, shop: string, body: unknown): Promise<ImportReport> {
  const array = Array.isArray(body) ? body : body && typeof body === 'object' && Array.isArray((body as { products?: unknown }).products) ? (body as { products: unknown[] }).products : null;
  if (!array) throw new ImportFormatError('expected a JSON array of products');
  return importProducts(
    store,
    shop,
    array.map((input, i) => {
      const id = input && typeof input === 'object' && typeof (input as { id?: unknown }).id === 'string' ? (input as { id: string }).id : undefined;
      return { row: i + 1, id, input };
    }),
  );
}
