/**
 * The catalogue page: product list and search over REST (`GET /api/products`, stale answers
 * dropped, paging), saving a product (`PUT /api/products/:id`) and file imports
 * (`POST /api/products/import`) with their per-row report.
 */
import { atom } from 'nanostores';
import type { Product, ProductInput } from '../../../src/index.js';
import type { ApiErrorCode } from '../api.js';
import * as api from '../api-commerce.js';
import { codeOf, withToken } from './rest.js';
import { onNewSession } from './session.js';

export interface CatalogueList {
  query: string;
  items: Product[];
  hasMore: boolean;
  loading: boolean;
  error: ApiErrorCode | null;
  loaded: boolean;
}

export interface ImportState {
  busy: boolean;
  fileName: string | null;
  report: api.ImportReport | null;
  /** The whole file was refused (format, size, content type) or the call failed. */
  error: { code: ApiErrorCode; message: string } | null;
}

const emptyList = (): CatalogueList => ({ query: '', items: [], hasMore: false, loading: false, error: null, loaded: false });
const emptyImport = (): ImportState => ({ busy: false, fileName: null, report: null, error: null });

export const $catalogue = atom<CatalogueList>(emptyList());
export const $import = atom<ImportState>(emptyImport());

let generation = 0;
const PAGE = 50;

export async function searchCatalogue(query: string, more = false): Promise<void> {
  const mine = ++generation;
  const current = $catalogue.get();
  const after = more ? current.items[current.items.length - 1]?.id : undefined;
  $catalogue.set({ ...current, query, loading: true });
  try {
    const page = await withToken((t) => api.listProducts(t, query.trim(), after, PAGE));
    if (mine !== generation) return;
    $catalogue.set({ query, items: more ? [...current.items, ...page.items] : page.items, hasMore: page.hasMore, loading: false, error: null, loaded: true });
  } catch (e) {
    if (mine === generation) $catalogue.set({ ...$catalogue.get(), loading: false, error: codeOf(e) });
  }
}

export function reloadCatalogue(): Promise<void> {
  return searchCatalogue($catalogue.get().query);
}

export function loadProduct(id: string): Promise<Product> {
  return withToken((t) => api.getProduct(t, id));
}

/** Creates or replaces a product, then refreshes the list. Rejects with the API error. */
export async function saveProduct(input: ProductInput): Promise<{ product: Product; created: boolean }> {
  const result = await withToken((t) => api.putProduct(t, input));
  void reloadCatalogue();
  return result;
}

/** Sends a CSV or JSON file to the import; the report (or the refusal) lands in `$import`. */
export async function importCatalogueFile(file: File): Promise<void> {
  const json = /\.json$/i.test(file.name) || file.type === 'application/json';
  $import.set({ busy: true, fileName: file.name, report: null, error: null });
  try {
    const text = await file.text();
    const report = await withToken((t) => api.importProducts(t, { type: json ? 'application/json' : 'text/csv', text }));
    $import.set({ busy: false, fileName: file.name, report, error: null });
    void reloadCatalogue();
  } catch (e) {
    $import.set({ busy: false, fileName: file.name, report: null, error: { code: codeOf(e), message: e instanceof Error ? e.message : String(e) } });
  }
}

export function clearImport(): void {
  $import.set(emptyImport());
}

// A new sign-in (not the same session refreshed after a reload) starts from nothing.
onNewSession(() => {
  generation++;
  $catalogue.set(emptyList());
  $import.set(emptyImport());
});
