/**
 * Localized option labels of product variants (`Product.options` / `ProductSnapshot.options`):
 * variants keep option names and values as keys (`{ colour: 'gold' }`); these helpers show the
 * label of the visitor's locale where the product gives one, else the key itself. The result is
 * plain, untrusted text: render it with text bindings only.
 */
import type { LocalizedText, ProductOption, ProductVariant } from '../src/index.js';

/** Picks the text of a {@link LocalizedText} for the visitor (e.g. `Translator.localized`). */
export type Localize = (text: LocalizedText | string | null | undefined) => string;

/** Without a localizer: the first text given. */
const first: Localize = (text) => (typeof text === 'string' ? text : text ? Object.values(text).find((v) => typeof v === 'string') ?? '' : '');

/** The labels of option `name` and of its `value`, picked by `localize` (falling back to the keys). */
export function optionLabel(options: readonly ProductOption[] | undefined, name: string, value: string, localize: Localize = first): { name: string; value: string } {
  const option = Array.isArray(options) ? options.find((o) => o && o.name === name) : undefined;
  const valueText = option?.values && Object.prototype.hasOwnProperty.call(option.values, value) ? localize(option.values[value]) : '';
  return { name: (option && localize(option.label)) || name, value: valueText || value };
}

/**
 * The text of a variant chip: its option values, localized ("金色 / 42" with
 * `createTranslator('zh-CN').localized`), else its SKU or id. Without `options` the raw values are shown.
 */
export function variantLabel(variant: ProductVariant, options?: readonly ProductOption[], localize?: Localize): string {
  const values = Object.entries(variant.options ?? {})
    .filter(([, v]) => typeof v === 'string' && v !== '')
    .map(([name, value]) => optionLabel(options, name, value, localize).value);
  return values.length > 0 ? values.join(' / ') : variant.sku || variant.id;
}

/** A longer label for screen readers and summaries: "Colour: Gold, Size: 42". */
export function variantDescription(variant: ProductVariant, options: readonly ProductOption[] | undefined, localize?: Localize): string {
  const parts = Object.entries(variant.options ?? {})
    .filter(([, v]) => typeof v === 'string' && v !== '')
    .map(([name, value]) => {
      const label = optionLabel(options, name, value, localize);
      return `${label.name}: ${label.value}`;
    });
  return parts.length > 0 ? parts.join(', ') : variant.sku || variant.id;
}
