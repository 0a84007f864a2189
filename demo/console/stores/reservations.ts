/**
 * Reservations across the shop (`GET /api/reservations?state=open`) and the shop's reservation
 * settings (`/api/settings/reservations`).
 */
import { atom } from 'nanostores';
import type { ReservationSettings } from '../../../src/index.js';
import * as api from '../api-commerce.js';
import { codeOf, remote, withToken, type RemoteState } from './rest.js';
import { $session } from './session.js';

export const $openReservations = atom<RemoteState<api.ReservationRow[]>>(remote([]));
export const $reservationSettings = atom<RemoteState<ReservationSettings | null>>(remote(null));

let generation = 0;

/** Loads the open reservations (requested, proposed, confirmed), soonest first. */
export async function loadReservations(): Promise<void> {
  const mine = generation;
  $openReservations.set({ ...$openReservations.get(), loading: true });
  try {
    const items = await withToken((t) => api.listReservations(t, 'open'));
    items.sort((a, b) => Date.parse(a.start) - Date.parse(b.start));
    if (mine === generation) $openReservations.set({ data: items, loading: false, error: null, loaded: true });
  } catch (e) {
    if (mine === generation) $openReservations.set({ ...$openReservations.get(), loading: false, error: codeOf(e) });
  }
}

export async function loadReservationSettings(): Promise<void> {
  const mine = generation;
  $reservationSettings.set({ ...$reservationSettings.get(), loading: true });
  try {
    const settings = await withToken(api.getReservationSettings);
    if (mine === generation) $reservationSettings.set({ data: settings, loading: false, error: null, loaded: true });
  } catch (e) {
    if (mine === generation) $reservationSettings.set({ ...$reservationSettings.get(), loading: false, error: codeOf(e) });
  }
}

/** Saves the settings; rejects with the API error. */
export async function saveReservationSettings(settings: ReservationSettings): Promise<ReservationSettings> {
  const saved = await withToken((t) => api.putReservationSettings(t, settings));
  $reservationSettings.set({ data: saved, loading: false, error: null, loaded: true });
  return saved;
}

$session.subscribe(() => {
  generation++;
  $openReservations.set(remote([]));
  $reservationSettings.set(remote(null));
});
