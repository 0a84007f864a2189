/**
 * Reservation slots: the shop's opening hours (wall-clock times in its IANA time zone) turned into
 * UTC instants with Intl, so daylight-saving changes are handled by the runtime's zone data.
 *
 * Rules:
 * - a day's slots start at each opening period's start and repeat every `slotMinutes` while the
 *   slot still ends (in wall-clock time) by the period's end;
 * - a wall-clock time that does not exist (spring-forward gap) is skipped; one that exists twice
 *   (fall-back overlap) is taken at its first occurrence;
 * - bookable dates are the shop's today and the `horizonDays - 1` dates after it;
 * - slots starting before `now + leadMinutes` are not offered.
 */
import type { OpeningHours, ReservationDay, ReservationSettings, Weekday } from '../src/protocol/commerce.js';

const WEEKDAYS: Weekday[] = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];
const DAY_MS = 86_400_000;
const MINUTE_MS = 60_000;

/** Default settings of a shop that has none: reservations off. */
export const DEFAULT_RESERVATION_SETTINGS: ReservationSettings = {
  enabled: false,
  timeZone: 'UTC',
  hours: {
    mon: [['10:00', '18:00']],
    tue: [['10:00', '18:00']],
    wed: [['10:00', '18:00']],
    thu: [['10:00', '18:00']],
    fri: [['10:00', '18:00']],
    sat: [['10:00', '18:00']],
    sun: [],
  },
  slotMinutes: 30,
  capacity: 1,
  horizonDays: 14,
  leadMinutes: 60,
};

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(zone: string): Intl.DateTimeFormat {
  let f = formatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(zone, f);
  }
  return f;
}

/** Wall-clock reading of `instant` in `zone`: shop date and minutes since midnight. */
export interface WallClock {
  /** `YYYY-MM-DD` */
  date: string;
  /** Minutes since local midnight (0..1439). */
  minutes: number;
  /** Seconds and milliseconds past the minute (slots start on whole minutes). */
  subMinuteMs: number;
}

/** What `instant` reads on a clock in `zone`. */
export function wallClock(instant: number, zone: string): WallClock {
  const parts = Object.fromEntries(formatter(zone).formatToParts(new Date(instant)).map((p) => [p.type, p.value]));
  const hour = Number(parts.hour) % 24;
  return {
    date: `${parts.year}-${parts.month}-${parts.day}`,
    minutes: hour * 60 + Number(parts.minute),
    subMinuteMs: Number(parts.second) * 1000 + (((instant % 1000) + 1000) % 1000),
  };
}

/** Offset of `zone` from UTC at `instant`, in ms (Shanghai: +8 h). */
export function zoneOffsetMs(instant: number, zone: string): number {
  const w = wallClock(instant, zone);
  const [y, m, d] = w.date.split('-').map(Number);
  const asUtc = Date.UTC(y, m - 1, d, 0, w.minutes) + w.subMinuteMs;
  return asUtc - instant;
}

/**
 * The UTC instant at which clocks in `zone` read `date` `minutes` past midnight: the first one when
 * that reading happens twice, `null` when it never happens (skipped by a DST change).
 */
export function zonedToUtc(date: string, minutes: number, zone: string): number | null {
  const [y, m, d] = date.split('-').map(Number);
  const naive = Date.UTC(y, m - 1, d, 0, minutes);
  // Offsets a day either side cover both sides of any one transition near this time.
  const candidates = [...new Set([zoneOffsetMs(naive - DAY_MS, zone), zoneOffsetMs(naive, zone), zoneOffsetMs(naive + DAY_MS, zone)])]
    .map((offset) => naive - offset)
    .filter((t) => {
      const w = wallClock(t, zone);
      return w.date === date && w.minutes === minutes;
    })
    .sort((a, b) => a - b);
  return candidates[0] ?? null;
}

/** `YYYY-MM-DD` plus `n` days. */
export function addDays(date: string, n: number): string {
  const [y, m, d] = date.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, d) + n * DAY_MS).toISOString().slice(0, 10);
}

/** Weekday of a `YYYY-MM-DD` date. */
export function weekdayOf(date: string): Weekday {
  const [y, m, d] = date.split('-').map(Number);
  return WEEKDAYS[new Date(Date.UTC(y, m - 1, d)).getUTCDay()];
}

function clockMinutes(hhmm: string): number {
  const [h, m] = hhmm.split(':').map(Number);
  return h * 60 + m;
}

/** A candidate slot: UTC start and end in ms. */
export interface SlotTime {
  start: number;
  end: number;
}

/** The slots of one shop date from the opening hours alone (no lead, horizon or capacity). */
export function daySlotTimes(date: string, hours: OpeningHours, slotMinutes: number, zone: string): SlotTime[] {
  const out: SlotTime[] = [];
  const periods = [...hours[weekdayOf(date)]].sort((a, b) => clockMinutes(a[0]) - clockMinutes(b[0]));
  const seen = new Set<number>();
  for (const [open, close] of periods) {
    const to = clockMinutes(close);
    for (let m = clockMinutes(open); m + slotMinutes <= to; m += slotMinutes) {
      const start = zonedToUtc(date, m, zone);
      if (start === null || seen.has(start)) continue;
      seen.add(start);
      out.push({ start, end: start + slotMinutes * MINUTE_MS });
    }
  }
  return out.sort((a, b) => a.start - b.start);
}

/** The shop's bookable dates at `now`: its today and the `horizonDays - 1` dates after it. */
export function bookableDates(settings: ReservationSettings, now: number): { first: string; last: string } {
  const first = wallClock(now, settings.timeZone).date;
  return { first, last: addDays(first, settings.horizonDays - 1) };
}

/**
 * Why `start` is not a bookable slot at `now` (a message for `invalid_payload`), or `null` when it
 * is one. Capacity is checked separately (it needs the database).
 */
export function slotProblem(settings: ReservationSettings, start: number, now: number): string | null {
  if (!Number.isFinite(start)) return 'start: must be an ISO 8601 timestamp';
  const wall = wallClock(start, settings.timeZone);
  const { first, last } = bookableDates(settings, now);
  if (start < now + settings.leadMinutes * MINUTE_MS) {
    return `start: must be at least ${settings.leadMinutes} minutes from now`;
  }
  if (wall.date < first || wall.date > last) {
    return `start: must be within the next ${settings.horizonDays} day(s) (${first} to ${last}, ${settings.timeZone})`;
  }
  const slots = daySlotTimes(wall.date, settings.hours, settings.slotMinutes, settings.timeZone);
  if (slots.length === 0) return `start: the shop takes no reservations on ${wall.date} (${settings.timeZone})`;
  if (!slots.some((s) => s.start === start)) {
    return `start: must be the start of a ${settings.slotMinutes}-minute slot within opening hours (${settings.timeZone}); see reservation:slots`;
  }
  return null;
}

/**
 * The slots of `days` shop dates from `from` (default: the shop's today), limited to the bookable
 * dates and to starts at least `leadMinutes` away. `taken(start)` says how many open reservations
 * hold a slot. Dates outside the bookable range are left out; a closed date has no slots.
 */
export function computeSlots(
  settings: ReservationSettings,
  opts: { from?: string; days?: number; now: number; taken: (startMs: number) => number },
): ReservationDay[] {
  const { first, last } = bookableDates(settings, opts.now);
  const from = opts.from ?? first;
  const count = opts.days ?? 7;
  const earliest = opts.now + settings.leadMinutes * MINUTE_MS;
  const days: ReservationDay[] = [];
  for (let i = 0; i < count; i++) {
    const date = addDays(from, i);
    if (date < first) continue;
    if (date > last) break;
    days.push({
      date,
      slots: daySlotTimes(date, settings.hours, settings.slotMinutes, settings.timeZone)
        .filter((s) => s.start >= earliest)
        .map((s) => ({
          start: new Date(s.start).toISOString(),
          end: new Date(s.end).toISOString(),
          available: opts.taken(s.start) < settings.capacity,
        })),
    });
  }
  return days;
}
