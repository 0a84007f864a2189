/** Slot maths: shop wall-clock hours to UTC across DST changes, lead time, horizon, closed days. */
import { describe, expect, it } from 'vitest';
import type { ReservationSettings } from '../src/protocol/commerce.js';
import { addDays, computeSlots, daySlotTimes, slotProblem, weekdayOf, zonedToUtc } from './reservations.js';

const allDay: [string, string][] = [['00:00', '24:00']];
const iso = (t: number | null): string | null => (t === null ? null : new Date(t).toISOString());
const at = (s: string): number => Date.parse(s);

function settings(over: Partial<ReservationSettings> = {}): ReservationSettings {
  return {
    enabled: true,
    timeZone: 'Asia/Shanghai',
    hours: { mon: [['10:00', '21:00']], tue: [['10:00', '21:00']], wed: [['10:00', '21:00']], thu: [['10:00', '21:00']], fri: [['10:00', '21:00']], sat: [['10:00', '21:00']], sun: [] },
    slotMinutes: 30,
    capacity: 2,
    horizonDays: 14,
    leadMinutes: 60,
    ...over,
  };
}

describe('wall clock to UTC', () => {
  it('Asia/Shanghai is UTC+8 all year (no DST)', () => {
    expect(iso(zonedToUtc('2026-01-15', 10 * 60, 'Asia/Shanghai'))).toBe('2026-01-15T02:00:00.000Z');
    expect(iso(zonedToUtc('2026-07-15', 10 * 60, 'Asia/Shanghai'))).toBe('2026-07-15T02:00:00.000Z');
    // Just after local midnight is the previous UTC day.
    expect(iso(zonedToUtc('2026-11-28', 30, 'Asia/Shanghai'))).toBe('2026-11-27T16:30:00.000Z');
  });

  it('Europe/Paris across the late-October change: 10:00 is 08:00Z before and 09:00Z after', () => {
    expect(iso(zonedToUtc('2026-10-24', 600, 'Europe/Paris'))).toBe('2026-10-24T08:00:00.000Z');
    expect(iso(zonedToUtc('2026-10-25', 600, 'Europe/Paris'))).toBe('2026-10-25T09:00:00.000Z');
    expect(iso(zonedToUtc('2026-10-26', 600, 'Europe/Paris'))).toBe('2026-10-26T09:00:00.000Z');
  });

  it('a time that happens twice (fall back) is taken at its first occurrence; one that never happens (spring forward) is null', () => {
    expect(iso(zonedToUtc('2026-10-25', 150, 'Europe/Paris'))).toBe('2026-10-25T00:30:00.000Z');
    expect(zonedToUtc('2026-03-29', 150, 'Europe/Paris')).toBeNull();
    expect(iso(zonedToUtc('2026-03-29', 180, 'Europe/Paris'))).toBe('2026-03-29T01:00:00.000Z');
  });

  it('dates and weekdays', () => {
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28');
    expect(weekdayOf('2026-11-28')).toBe('sat');
    expect(weekdayOf('2026-11-23')).toBe('mon');
  });
});

describe('slots of a day', () => {
  it('every slotMinutes from opening while the slot ends by closing', () => {
    const s = settings();
    const slots = daySlotTimes('2026-11-27', s.hours, 30, 'Asia/Shanghai');
    expect(slots).toHaveLength(22);
    expect(iso(slots[0].start)).toBe('2026-11-27T02:00:00.000Z');
    expect(iso(slots[0].end)).toBe('2026-11-27T02:30:00.000Z');
    expect(iso(slots[21].start)).toBe('2026-11-27T12:30:00.000Z');
    // 45-minute slots in 10:00-21:00: the last one that fits starts at 19:45 (ends 20:30).
    const long = daySlotTimes('2026-11-27', s.hours, 45, 'Asia/Shanghai');
    expect(long).toHaveLength(14);
    expect(iso(long[13].start)).toBe('2026-11-27T11:45:00.000Z');
  });

  it('several periods (lunch break) and a closed day', () => {
    const hours = { ...settings().hours, fri: [['14:00', '18:00'], ['10:00', '12:00']] as [string, string][] };
    const fri = daySlotTimes('2026-11-27', hours, 60, 'Asia/Shanghai').map((x) => iso(x.start));
    expect(fri).toEqual(['2026-11-27T02:00:00.000Z', '2026-11-27T03:00:00.000Z', '2026-11-27T06:00:00.000Z', '2026-11-27T07:00:00.000Z', '2026-11-27T08:00:00.000Z', '2026-11-27T09:00:00.000Z']);
    expect(daySlotTimes('2026-11-29', hours, 60, 'Asia/Shanghai')).toEqual([]);
  });

  it('a Paris day open around the clock has 24 slots on the fall-back day and 23 on the spring-forward day', () => {
    const hours = { ...settings().hours, sun: allDay };
    expect(daySlotTimes('2026-10-25', hours, 60, 'Europe/Paris')).toHaveLength(24);
    expect(daySlotTimes('2026-03-29', hours, 60, 'Europe/Paris')).toHaveLength(23);
    expect(daySlotTimes('2026-11-01', hours, 60, 'Europe/Paris')).toHaveLength(24);
  });
});

describe('computeSlots', () => {
  const now = at('2026-11-27T03:10:00Z'); // Friday 11:10 in Shanghai

  it('from today for 7 days by default; lead time removes the next hour; Sunday is closed but listed', () => {
    const days = computeSlots(settings(), { now, taken: () => 0 });
    expect(days.map((d) => d.date)).toEqual(['2026-11-27', '2026-11-28', '2026-11-29', '2026-11-30', '2026-12-01', '2026-12-02', '2026-12-03']);
    // 11:10 + 60 min = 12:10: the first slot offered today is 12:30.
    expect(days[0].slots[0]).toEqual({ start: '2026-11-27T04:30:00.000Z', end: '2026-11-27T05:00:00.000Z', available: true });
    expect(days[2].slots).toEqual([]);
    expect(days[1].slots).toHaveLength(22);
  });

  it('capacity: a slot held by capacity open reservations is unavailable', () => {
    const full = at('2026-11-28T02:00:00Z');
    const days = computeSlots(settings(), { now, from: '2026-11-28', days: 1, taken: (s) => (s === full ? 2 : s === full + 1_800_000 ? 1 : 0) });
    expect(days[0].slots[0]).toMatchObject({ start: '2026-11-28T02:00:00.000Z', available: false });
    expect(days[0].slots[1]).toMatchObject({ start: '2026-11-28T02:30:00.000Z', available: true });
  });

  it('the horizon caps the days; dates before today are left out', () => {
    const s = settings({ horizonDays: 3 });
    expect(computeSlots(s, { now, days: 31, taken: () => 0 }).map((d) => d.date)).toEqual(['2026-11-27', '2026-11-28', '2026-11-29']);
    expect(computeSlots(s, { now, from: '2026-11-25', days: 4, taken: () => 0 }).map((d) => d.date)).toEqual(['2026-11-27', '2026-11-28']);
    expect(computeSlots(s, { now, from: '2026-12-10', taken: () => 0 })).toEqual([]);
  });

  it('Paris slots keep 10:00 local across the October change', () => {
    const s = settings({ timeZone: 'Europe/Paris', hours: { mon: allDay, tue: allDay, wed: allDay, thu: allDay, fri: allDay, sat: allDay, sun: allDay }, slotMinutes: 60, leadMinutes: 0 });
    const days = computeSlots(s, { now: at('2026-10-23T22:00:00Z'), from: '2026-10-24', days: 3, taken: () => 0 });
    expect(days.map((d) => d.slots[10].start)).toEqual(['2026-10-24T08:00:00.000Z', '2026-10-25T09:00:00.000Z', '2026-10-26T09:00:00.000Z']);
  });
});

describe('slotProblem', () => {
  const now = at('2026-11-27T03:10:00Z');
  const s = settings();

  it('accepts a slot start within hours, after the lead time and within the horizon', () => {
    expect(slotProblem(s, at('2026-11-28T06:00:00Z'), now)).toBeNull();
    expect(slotProblem(s, at('2026-11-27T04:30:00Z'), now)).toBeNull();
  });

  it('refuses with a message naming start', () => {
    expect(slotProblem(s, at('2026-11-27T04:00:00Z'), now)).toMatch(/^start: must be at least 60 minutes from now/);
    expect(slotProblem(s, at('2026-11-28T06:10:00Z'), now)).toMatch(/^start: must be the start of a 30-minute slot/);
    expect(slotProblem(s, at('2026-11-28T13:00:00Z'), now)).toMatch(/slot within opening hours/); // 21:00: closing time
    expect(slotProblem(s, at('2026-11-29T06:00:00Z'), now)).toMatch(/takes no reservations on 2026-11-29/);
    expect(slotProblem(s, at('2026-12-11T06:00:00Z'), now)).toMatch(/within the next 14 day/);
    expect(slotProblem(s, at('2026-11-28T06:00:00.500Z'), now)).toMatch(/must be the start/);
    expect(slotProblem(s, Number.NaN, now)).toMatch(/ISO 8601/);
  });
});
