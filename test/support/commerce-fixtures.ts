/**
 * Commerce fixtures shared by the server, conformance and integration suites. Data only: no server
 * code, so the conformance suite (which runs against any server) may use it.
 */
import type { ReservationSettings } from '../../src/protocol/commerce.js';

const allDay: [string, string][] = [['00:00', '24:00']];

/** Reservations on, open around the clock every day in Shanghai: 30-minute slots of one, a week ahead, no lead time. */
export const ALWAYS_OPEN_SETTINGS: ReservationSettings = {
  enabled: true,
  timeZone: 'Asia/Shanghai',
  hours: { mon: allDay, tue: allDay, wed: allDay, thu: allDay, fri: allDay, sat: allDay, sun: allDay },
  slotMinutes: 30,
  capacity: 1,
  horizonDays: 7,
  leadMinutes: 0,
};
