/**
 * Reservations across the shop (`GET /api/reservations?state=open`) and the shop's reservation
 * settings (`/api/settings/reservations`).
 */
import { atom } from 'nanostores';
import type { ReservationSettings } from '../../../src/index.js';
import * as api from '../api-commerce.js';
import { loadInto, remote, withToken, type RemoteState } from './rest.js';
import { onNewSession } from './session.js';

export const $openReservations = atom<RemoteState<api.ReservationRow[]>>(remote([]));
export const $reservationSettings = atom<RemoteState<ReservationSettings | null>>(remote(null));

let generation = 0;

/** Loads the open reservations (requested, proposed, confirmed), soonest first. */
export async function loadReservations(): Promise<void> {
  const mine = generation;
  await loadInto(
    $openReservations,
    async () => {
      const items = await withToken((t) => api.listReservations(t, 'open'));
      return items.sort((a, b) => Date.parse(a.start) - Date.parse(b.start));
    },
    () => mine === generation,
  );
}

export async function loadReservationSettings(): Promise<void> {
  const mine = generation;
  await loadInto($reservationSettings, () => withToken(api.getReservationSettings), () => mine === generation);
}

/** Saves the settings; rejects with the API error. */
export async function saveReservationSettings(settings: ReservationSettings): Promise<ReservationSettings> {
  const saved = await withToken((t) => api.putReservationSettings(t, settings));
  $reservationSettings.set({ data: saved, loading: false, error: null, loaded: true });
  return saved;
}

// A new sign-in (not the same session refreshed after a reload) starts from nothing.
onNewSession(() => {
  generation++;
  $openReservations.set(remote([]));
  $reservationSettings.set(remote(null));
});
