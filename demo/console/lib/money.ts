/** Prices as staff type them (major units: "699.00") and as the API stores them (minor units). */
import { currencyDigits, isKnownCurrency } from '../../../src/index.js';

/** Digits of `currency`, or 2 when the code is unknown (the schema reports the currency itself). */
export function digitsOf(currency: string): number {
  try {
    return isKnownCurrency(currency) ? currencyDigits(currency) : 2;
  } catch {
    return 2;
  }
}

/**
 * "699.00" CNY -> 69900, "5000" JPY -> 5000. `null` for empty text; `NaN` when the text is not an
 * amount or has more decimals than the currency (the form reports that field).
 */
export function toMinor(text: string, currency: string): number | null {
  const value = text.trim();
  if (!value) return null;
  const digits = digitsOf(currency);
  const m = /^(\d+)(?:\.(\d+))?$/.exec(value);
  if (!m || (m[2] ?? '').length > digits) return Number.NaN;
  const amount = Number(m[1]) * 10 ** digits + Number((m[2] ?? '').padEnd(digits, '0') || '0');
  return Number.isSafeInteger(amount) ? amount : Number.NaN;
}

/** 69900 CNY -> "699.00". */
export function fromMinor(amount: number, currency: string): string {
  const digits = digitsOf(currency);
  return (amount / 10 ** digits).toFixed(digits);
}
