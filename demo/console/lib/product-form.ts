/**
 * The product form's model: what staff type (strings, prices in major units) <-> the catalogue's
 * `ProductInput` (minor units), validated with the protocol's `productInputSchema`. Errors are
 * keyed by the schema's field paths (`title`, `price.amount`, `variants.0.stock`).
 */
import { productInputSchema, type Product, type ProductInput } from '../../../src/index.js';
import { check, type FieldErrors } from './form-errors.js';
import { fromMinor, toMinor } from './money.js';

/** The locales the forms edit. */
export const FORM_LOCALES = ['zh-CN', 'en'] as const;
export type FormLocale = (typeof FORM_LOCALES)[number];
export type LocalizedDraft = Record<FormLocale, string>;

export interface VariantDraft {
  key: string;
  id: string;
  sku: string;
  /** `colour=gold; size=42` */
  options: string;
  price: string;
  stock: string;
}

export interface OptionDraft {
  key: string;
  name: string;
  label: LocalizedDraft;
  /** Labels by option value (values come from the variants). */
  values: Record<string, LocalizedDraft>;
}

export interface ProductDraft {
  id: string;
  title: LocalizedDraft;
  description: LocalizedDraft;
  price: string;
  currency: string;
  compareAt: string;
  /** One link per line. */
  images: string;
  url: string;
  /** Comma-separated. */
  tags: string;
  variants: VariantDraft[];
  options: OptionDraft[];
}

let keys = 0;
export const newKey = (): string => `k${++keys}`;

const emptyLocalized = (): LocalizedDraft => ({ 'zh-CN': '', en: '' });

function draftOfText(text: Record<string, string> | undefined): LocalizedDraft {
  return { 'zh-CN': text?.['zh-CN'] ?? '', en: text?.en ?? '' };
}

export function emptyVariant(): VariantDraft {
  return { key: newKey(), id: '', sku: '', options: '', price: '', stock: '' };
}

export function emptyOption(): OptionDraft {
  return { key: newKey(), name: '', label: emptyLocalized(), values: {} };
}

export function emptyProductDraft(): ProductDraft {
  return {
    id: '',
    title: emptyLocalized(),
    description: emptyLocalized(),
    price: '',
    currency: 'CNY',
    compareAt: '',
    images: '',
    url: '',
    tags: '',
    variants: [],
    options: [],
  };
}

export function productDraft(p: Product): ProductDraft {
  const cur = p.price.currency;
  return {
    id: p.id,
    title: draftOfText(p.title),
    description: draftOfText(p.description),
    price: fromMinor(p.price.amount, cur),
    currency: cur,
    compareAt: p.compareAt ? fromMinor(p.compareAt.amount, p.compareAt.currency) : '',
    images: p.images.join('\n'),
    url: p.url ?? '',
    tags: p.tags.join(', '),
    variants: p.variants.map((x) => ({
      key: newKey(),
      id: x.id,
      sku: x.sku ?? '',
      options: Object.entries(x.options)
        .map(([k, val]) => `${k}=${val}`)
        .join('; '),
      price: x.price ? fromMinor(x.price.amount, x.price.currency) : '',
      stock: x.stock === null ? '' : String(x.stock),
    })),
    options: (p.options ?? []).map((o) => ({
      key: newKey(),
      name: o.name,
      label: draftOfText(o.label),
      values: Object.fromEntries(Object.entries(o.values).map(([k, t]) => [k, draftOfText(t)])),
    })),
  };
}

/** Non-empty entries only; `{}` when every locale is blank. */
function localizedOf(draft: LocalizedDraft): Record<string, string> {
  const out: Record<string, string> = {};
  for (const l of FORM_LOCALES) if (draft[l].trim()) out[l] = draft[l].trim();
  return out;
}

/** `colour=gold; size=42` -> `{ colour: 'gold', size: '42' }`, or an error message key. */
export function parseOptions(text: string): Record<string, string> | 'console.form.optionsFormat' {
  const out: Record<string, string> = {};
  for (const part of text.split(/[;；]/)) {
    if (!part.trim()) continue;
    const eq = part.indexOf('=');
    const name = eq < 0 ? '' : part.slice(0, eq).trim();
    const value = eq < 0 ? '' : part.slice(eq + 1).trim();
    if (!name || !value || name in out) return 'console.form.optionsFormat';
    out[name] = value;
  }
  return out;
}

/** Option values the variants use, per option name (for the value-label table). */
export function optionValues(draft: ProductDraft, name: string): string[] {
  const seen = new Set<string>();
  for (const x of draft.variants) {
    const parsed = parseOptions(x.options);
    if (typeof parsed === 'object' && parsed[name]) seen.add(parsed[name]);
  }
  return [...seen];
}

/** Problems the form itself finds, as catalogue message keys (the schema's messages are added after). */
export type DraftProblem = 'console.form.required' | 'console.form.amountFormat' | 'console.form.optionsFormat' | 'console.form.wholeNumber';

export type ProductCheck = { ok: true; value: ProductInput } | { ok: false; errors: FieldErrors; problems: Record<string, DraftProblem> };

/** Builds and validates the input; `problems` (form-level, localized by the view) win over schema messages of the same field. */
export function checkProductDraft(draft: ProductDraft): ProductCheck {
  const problems: Record<string, DraftProblem> = {};
  const currency = draft.currency.trim().toUpperCase();
  const money = (text: string, path: string, required: boolean) => {
    const amount = toMinor(text, currency);
    if (amount === null) {
      if (required) problems[path] = 'console.form.required';
      return required ? { amount: Number.NaN, currency } : null;
    }
    if (Number.isNaN(amount)) problems[path] = 'console.form.amountFormat';
    return { amount, currency };
  };
  const input = {
    id: draft.id.trim(),
    title: localizedOf(draft.title),
    description: localizedOf(draft.description),
    price: money(draft.price, 'price.amount', true),
    compareAt: money(draft.compareAt, 'compareAt', false),
    images: draft.images
      .split('\n')
      .map((s) => s.trim())
      .filter(Boolean),
    url: draft.url.trim() || null,
    tags: draft.tags
      .split(/[,，]/)
      .map((s) => s.trim())
      .filter(Boolean),
    variants: draft.variants.map((x, i) => {
      const options = parseOptions(x.options);
      if (typeof options === 'string') problems[`variants.${i}.options`] = options;
      const stock = x.stock.trim();
      if (stock && !/^-?\d+$/.test(stock)) problems[`variants.${i}.stock`] = 'console.form.wholeNumber';
      return {
        id: x.id.trim(),
        sku: x.sku.trim() || null,
        options: typeof options === 'string' ? {} : options,
        price: money(x.price, `variants.${i}.price`, false),
        stock: stock ? Number(stock) : null,
      };
    }),
    options: draft.options.map((o) => ({
        name: o.name.trim(),
        label: localizedOf(o.label),
        values: Object.fromEntries(
          Object.entries(o.values)
            .map(([value, labels]) => [value, localizedOf(labels)] as const)
            .filter(([, labels]) => Object.keys(labels).length > 0),
        ),
      })),
  };
  const result = check(productInputSchema, input);
  if (result.ok && Object.keys(problems).length === 0) return { ok: true, value: result.value };
  return { ok: false, errors: result.ok ? {} : result.errors, problems };
}
