/** Display helpers for reservations: slot in shop time, the chosen variant with its localized option labels. Plain text only. */
import { formatSlot, localized, type ProductSnapshot, type Reservation, type Translator } from '../../../src/index.js';

/** "Sat, Nov 28 14:00–14:30 (Asia/Shanghai)". */
export function slotText(r: Pick<Reservation, 'start' | 'end' | 'timeZone'>, tr: Translator): string {
  try {
    return `${formatSlot(r.start, r.end, r.timeZone, tr.locale)} (${r.timeZone})`;
  } catch {
    return `${r.start}–${r.end}`;
  }
}

/** "Colour: Gold · Size: 38" for the variant, `null` when none was chosen or it is gone. */
export function variantText(product: ProductSnapshot, variantId: string | null, tr: Translator): string | null {
  if (!variantId) return null;
  const variant = product.variants.find((x) => x.id === variantId);
  if (!variant) return variantId;
  const entries = Object.entries(variant.options);
  if (entries.length === 0) return variant.sku ?? variant.id;
  return entries
    .map(([name, value]) => {
      const option = (product.options ?? []).find((o) => o.name === name);
      const label = (option && localized(option.label, tr.locale)) || name;
      const valueLabel = (option?.values[value] && localized(option.values[value], tr.locale)) || value;
      return `${label}: ${valueLabel}`;
    })
    .join(' · ');
}
