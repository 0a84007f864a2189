/** The shop's coupons (`/api/coupons`): the list with sent / claimed counts, and saving one. */
import { atom } from 'nanostores';
import type { Coupon, CouponInput } from '../../../src/index.js';
import * as api from '../api-commerce.js';
import { loadInto, remote, withToken, type RemoteState } from './rest.js';
import { onNewSession } from './session.js';

export const $coupons = atom<RemoteState<Coupon[]>>(remote([]));

let generation = 0;

export async function loadCoupons(): Promise<void> {
  const mine = ++generation;
  await loadInto($coupons, () => withToken(api.listCoupons), () => mine === generation);
}

/** Creates or replaces a coupon; the list follows. Rejects with the API error. */
export async function saveCoupon(input: CouponInput): Promise<Coupon> {
  const { coupon } = await withToken((t) => api.putCoupon(t, input));
  const list = $coupons.get().data;
  const next = list.some((c) => c.id === coupon.id) ? list.map((c) => (c.id === coupon.id ? coupon : c)) : [coupon, ...list];
  $coupons.set({ ...$coupons.get(), data: next, loaded: true });
  return coupon;
}

/** A coupon card went out: count it without reloading. */
export function countSent(id: string): void {
  const s = $coupons.get();
  $coupons.set({ ...s, data: s.data.map((c) => (c.id === id ? { ...c, sent: c.sent + 1 } : c)) });
}

// A new sign-in (not the same session refreshed after a reload) starts from nothing.
onNewSession(() => {
  generation++;
  $coupons.set(remote([]));
});
