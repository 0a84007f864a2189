/**
 * The reservation settings form: opening hours typed per weekday as `10:00-20:00` (several
 * periods separated by commas, empty = closed) <-> `ReservationSettings`, validated with the
 * protocol's `reservationSettingsSchema`.
 */
import { reservationSettingsSchema, type ReservationSettings, type Weekday } from '../../../src/index.js';
import { check, type FieldErrors } from './form-errors.js';

export const WEEKDAYS: readonly Weekday[] = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];

export interface SettingsDraft {
  enabled: boolean;
  timeZone: string;
  hours: Record<Weekday, string>;
  slotMinutes: string;
  capacity: string;
  horizonDays: string;
  leadMinutes: string;
}

export function settingsDraft(s: ReservationSettings): SettingsDraft {
  const hours = {} as Record<Weekday, string>;
  for (const d of WEEKDAYS) hours[d] = (s.hours[d] ?? []).map(([a, b]) => `${a}-${b}`).join(', ');
  return {
    enabled: s.enabled,
    timeZone: s.timeZone,
    hours,
    slotMinutes: String(s.slotMinutes),
    capacity: String(s.capacity),
    horizonDays: String(s.horizonDays),
    leadMinutes: String(s.leadMinutes),
  };
}

export type SettingsProblem = 'console.form.hoursFormat' | 'console.form.wholeNumber';

export type SettingsCheck = { ok: true; value: ReservationSettings } | { ok: false; errors: FieldErrors; problems: Record<string, SettingsProblem> };

export function checkSettingsDraft(draft: SettingsDraft): SettingsCheck {
  const problems: Record<string, SettingsProblem> = {};
  const hours = {} as Record<Weekday, [string, string][]>;
  for (const d of WEEKDAYS) {
    hours[d] = [];
    for (const part of draft.hours[d].split(/[,，]/)) {
      if (!part.trim()) continue;
      const m = /^\s*(\d{1,2}:\d{2})\s*[-–~]\s*(\d{1,2}:\d{2})\s*$/.exec(part);
      if (!m) {
        problems[`hours.${d}`] = 'console.form.hoursFormat';
        continue;
      }
      const norm = (t: string) => t.padStart(5, '0');
      hours[d].push([norm(m[1]), norm(m[2])]);
    }
  }
  const int = (text: string, path: string): number => {
    if (!/^\s*\d+\s*$/.test(text)) problems[path] = 'console.form.wholeNumber';
    return Number(text.trim());
  };
  const input = {
    enabled: draft.enabled,
    timeZone: draft.timeZone.trim(),
    hours,
    slotMinutes: int(draft.slotMinutes, 'slotMinutes'),
    capacity: int(draft.capacity, 'capacity'),
    horizonDays: int(draft.horizonDays, 'horizonDays'),
    leadMinutes: int(draft.leadMinutes, 'leadMinutes'),
  };
  const result = check(reservationSettingsSchema, input);
  if (result.ok && Object.keys(problems).length === 0) return { ok: true, value: result.value };
  return { ok: false, errors: result.ok ? {} : result.errors, problems };
}
