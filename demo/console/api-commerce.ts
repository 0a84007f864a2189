/**
 * REST calls of the commerce pages (agent bearer token, errors are {@link ApiError}s):
 * catalogue (`/api/products`), coupons (`/api/coupons`), reservations (`/api/reservations`,
 * `/api/settings/reservations`) and the shop's quick replies (`/api/quick-replies`).
 */
import type { Coupon, CouponInput, Product, ProductInput, QuickReply, Reservation, ReservationSettings } from '../../src/index.js';
import { API, ApiError, call } from './api.js';

function bad(what: string): ApiError {
  return new ApiError('internal', `Unexpected ${what} in the server response`, 200);
}

function obj(data: unknown, what: string): Record<string, unknown> {
  if (!data || typeof data !== 'object') throw bad(what);
  return data as Record<string, unknown>;
}

function list<T>(data: unknown, key: string, what: string): T[] {
  const value = obj(data, what)[key];
  if (!Array.isArray(value)) throw bad(what);
  return value as T[];
}

const seg = (id: string): string => encodeURIComponent(id);

// ---- catalogue ---------------------------------------------------------------------------

export interface ProductPage {
  items: Product[];
  hasMore: boolean;
}

export async function listProducts(token: string, query: string, after?: string, limit = 50): Promise<ProductPage> {
  const params = new URLSearchParams({ query, limit: String(limit) });
  if (after) params.set('after', after);
  const data = obj(await call(`${API}/products?${params}`, { method: 'GET', token }), 'product list');
  return { items: list<Product>(data, 'items', 'product list'), hasMore: data.hasMore === true };
}

export async function getProduct(token: string, id: string): Promise<Product> {
  const data = obj(await call(`${API}/products/${seg(id)}`, { method: 'GET', token }), 'product');
  return obj(data.product, 'product') as unknown as Product;
}

export async function putProduct(token: string, input: ProductInput): Promise<{ product: Product; created: boolean }> {
  const data = obj(await call(`${API}/products/${seg(input.id)}`, { method: 'PUT', token, body: input }), 'product');
  return { product: obj(data.product, 'product') as unknown as Product, created: data.created === true };
}

export async function deleteProduct(token: string, id: string): Promise<void> {
  await call(`${API}/products/${seg(id)}`, { method: 'DELETE', token });
}

/** One row an import did not store. */
export interface ImportRowError {
  row: number;
  id?: string;
  field?: string;
  message: string;
}

/** What an import did (the server's `imported` is `created` here). */
export interface ImportReport {
  created: number;
  updated: number;
  errors: ImportRowError[];
}

export async function importProducts(token: string, file: { type: 'text/csv' | 'application/json'; text: string }): Promise<ImportReport> {
  const data = obj(await call(`${API}/products/import`, { method: 'POST', token, raw: { type: file.type, text: file.text } }), 'import report');
  const num = (x: unknown): number => (typeof x === 'number' && Number.isFinite(x) ? x : 0);
  const errors = Array.isArray(data.errors) ? data.errors : [];
  return {
    created: num(data.imported ?? data.created),
    updated: num(data.updated),
    errors: errors
      .filter((e): e is Record<string, unknown> => !!e && typeof e === 'object')
      .map((e) => ({
        row: num(e.row),
        id: typeof e.id === 'string' ? e.id : undefined,
        field: typeof e.field === 'string' ? e.field : undefined,
        message: typeof e.message === 'string' ? e.message : '',
      })),
  };
}

// ---- coupons -----------------------------------------------------------------------------

export async function listCoupons(token: string): Promise<Coupon[]> {
  return list<Coupon>(await call(`${API}/coupons`, { method: 'GET', token }), 'items', 'coupon list');
}

export async function getCoupon(token: string, id: string): Promise<Coupon> {
  return obj(obj(await call(`${API}/coupons/${seg(id)}`, { method: 'GET', token }), 'coupon').coupon, 'coupon') as unknown as Coupon;
}

export async function putCoupon(token: string, input: CouponInput): Promise<{ coupon: Coupon; created: boolean }> {
  const data = obj(await call(`${API}/coupons/${seg(input.id)}`, { method: 'PUT', token, body: input }), 'coupon');
  return { coupon: obj(data.coupon, 'coupon') as unknown as Coupon, created: data.created === true };
}

// ---- reservations ------------------------------------------------------------------------

/** A reservation as the shop-wide list has it. */
export type ReservationRow = Reservation & { conversationId: string; visitorName: string | null; updatedAt: string };

export async function listReservations(token: string, state: 'open' | 'all' = 'open'): Promise<ReservationRow[]> {
  return list<ReservationRow>(await call(`${API}/reservations?state=${state}`, { method: 'GET', token }), 'items', 'reservation list');
}

export async function getReservationSettings(token: string): Promise<ReservationSettings> {
  return obj(obj(await call(`${API}/settings/reservations`, { method: 'GET', token }), 'settings').settings, 'settings') as unknown as ReservationSettings;
}

export async function putReservationSettings(token: string, settings: ReservationSettings): Promise<ReservationSettings> {
  const data = obj(await call(`${API}/settings/reservations`, { method: 'PUT', token, body: settings }), 'settings');
  return obj(data.settings, 'settings') as unknown as ReservationSettings;
}

// ---- quick replies -----------------------------------------------------------------------

export async function listQuickReplies(token: string): Promise<QuickReply[]> {
  return list<QuickReply>(await call(`${API}/quick-replies`, { method: 'GET', token }), 'items', 'quick reply list');
}

export async function createQuickReply(token: string, text: string): Promise<QuickReply> {
  return obj(obj(await call(`${API}/quick-replies`, { method: 'POST', token, body: { text } }), 'quick reply').item, 'quick reply') as unknown as QuickReply;
}

export async function updateQuickReply(token: string, id: string, text: string): Promise<QuickReply> {
  return obj(obj(await call(`${API}/quick-replies/${seg(id)}`, { method: 'PUT', token, body: { text } }), 'quick reply').item, 'quick reply') as unknown as QuickReply;
}

export async function deleteQuickReply(token: string, id: string): Promise<void> {
  await call(`${API}/quick-replies/${seg(id)}`, { method: 'DELETE', token });
}
