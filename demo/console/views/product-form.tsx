/** Create / edit one product: validated with `productInputSchema` (per-field errors), saved with `PUT /api/products/:id`. */
import { useState } from 'preact/hooks';
import type { Translator } from '../../../src/index.js';
import {
  checkProductDraft,
  emptyOption,
  emptyVariant,
  FORM_LOCALES,
  optionValues,
  type LocalizedDraft,
  type OptionDraft,
  type ProductDraft,
  type VariantDraft,
} from '../lib/product-form.js';
import { saveProduct } from '../stores/catalogue.js';
import { FieldError, FormActions, FormSection, textFields, useDraftSubmit } from './form-fields.js';

const P = 'product';

export function ProductForm({ initial, isNew, tr, onSaved, onCancel }: { initial: ProductDraft; isNew: boolean; tr: Translator; onSaved: (id: string) => void; onCancel: () => void }) {
  const [draft, setDraft] = useState<ProductDraft>(initial);
  const { form, saving, status, submit } = useDraftSubmit(tr);

  const set = <K extends keyof ProductDraft>(key: K, value: ProductDraft[K]) => setDraft((d) => ({ ...d, [key]: value }));
  const setLocalized = (key: 'title' | 'description', locale: keyof LocalizedDraft, value: string) =>
    setDraft((d) => ({ ...d, [key]: { ...d[key], [locale]: value } }));
  const setVariant = (i: number, patch: Partial<VariantDraft>) => setDraft((d) => ({ ...d, variants: d.variants.map((x, j) => (j === i ? { ...x, ...patch } : x)) }));
  const setOption = (i: number, patch: Partial<OptionDraft>) => setDraft((d) => ({ ...d, options: d.options.map((x, j) => (j === i ? { ...x, ...patch } : x)) }));

  const onSubmit = (e: Event) =>
    submit(e, {
      check: () => checkProductDraft(draft),
      save: async (value) => {
        const { created } = await saveProduct(value);
        return tr.t(created ? 'console.catalogue.created' : 'console.catalogue.saved', { id: value.id });
      },
      done: (value) => onSaved(value.id),
      // The server names the first bad field: "price.amount: must be …".
      serverFieldErrors: true,
    });

  const field = textFields(P, form, tr);

  return (
    <form class="editor" data-testid="product-form" onSubmit={(e) => void onSubmit(e)} noValidate>
      <h2 class="editor__title">{isNew ? tr.t('console.catalogue.new') : tr.t('console.catalogue.edit', { id: draft.id })}</h2>
      <FormSection title={tr.t('console.catalogue.basics')}>
        {isNew ? (
          field('id', tr.t('console.catalogue.id'), draft.id, (v) => set('id', v), { hint: tr.t('console.catalogue.idHint') })
        ) : (
          <p class="editor__id">
            {tr.t('console.catalogue.id')}: <code>{draft.id}</code>
          </p>
        )}
        <div class="grid2">
          {FORM_LOCALES.map((l) => field(`title.${l}`, tr.t('console.form.titleIn', { locale: l }), draft.title[l], (v) => setLocalized('title', l, v)))}
        </div>
        <FieldError path="title" form={form} tr={tr} exact />
        <div class="grid2">
          {FORM_LOCALES.map((l) => field(`description.${l}`, tr.t('console.form.descriptionIn', { locale: l }), draft.description[l], (v) => setLocalized('description', l, v), { multiline: true }))}
        </div>
      </FormSection>
      <FormSection title={tr.t('console.catalogue.pricing')}>
        <div class="grid3">
          {field('price.amount', tr.t('console.catalogue.price'), draft.price, (v) => set('price', v), { placeholder: '699.00' })}
          {field('compareAt', tr.t('console.catalogue.compareAt'), draft.compareAt, (v) => set('compareAt', v))}
          {field('price.currency', tr.t('console.form.currency'), draft.currency, (v) => set('currency', v.toUpperCase()), { placeholder: 'CNY' })}
        </div>
      </FormSection>
      <FormSection title={tr.t('console.catalogue.media')}>
        {field('images', tr.t('console.catalogue.images'), draft.images, (v) => set('images', v), { multiline: true, hint: tr.t('console.catalogue.imagesHint') })}
        {field('url', tr.t('console.catalogue.url'), draft.url, (v) => set('url', v), { placeholder: 'https://' })}
        {field('tags', tr.t('console.catalogue.tags'), draft.tags, (v) => set('tags', v), { hint: tr.t('console.catalogue.tagsHint') })}
      </FormSection>
      <FormSection title={tr.t('console.catalogue.variants')}>
        <FieldError path="variants" form={form} tr={tr} exact />
        {draft.variants.length > 0 && (
          <table class="table variants" data-testid="product-variants">
            <thead>
              <tr>
                <th>{tr.t('console.catalogue.variantId')}</th>
                <th>{tr.t('console.catalogue.sku')}</th>
                <th>{tr.t('console.catalogue.options')}</th>
                <th>{tr.t('console.catalogue.variantPrice')}</th>
                <th>{tr.t('console.catalogue.stock')}</th>
                <th>
                  <span class="visually-hidden">{tr.t('console.form.remove')}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {draft.variants.map((x, i) => (
                <tr key={x.key} data-testid="product-variant">
                  {(
                    [
                      ['id', 'variantId', 'gold'],
                      ['sku', 'sku', ''],
                      ['options', 'options', 'colour=gold; size=42'],
                      ['price', 'variantPrice', ''],
                      ['stock', 'stock', ''],
                    ] as const
                  ).map(([key, label, placeholder]) => (
                    <td key={key}>
                      <input
                        aria-label={tr.t(`console.catalogue.${label}`)}
                        data-testid={`product-variant-${key}`}
                        value={x[key]}
                        placeholder={placeholder}
                        aria-invalid={form.errors[`variants.${i}.${key}`] || form.problems[`variants.${i}.${key}`] ? 'true' : undefined}
                        onInput={(e) => setVariant(i, { [key]: (e.currentTarget as HTMLInputElement).value })}
                      />
                      <FieldError path={`variants.${i}.${key}`} form={form} tr={tr} />
                    </td>
                  ))}
                  <td>
                    <button type="button" class="btn btn--quiet btn--tiny" data-testid="product-variant-remove" onClick={() => set('variants', draft.variants.filter((_, j) => j !== i))}>
                      {tr.t('console.form.remove')}
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        <button type="button" class="btn btn--quiet btn--small" data-testid="product-variant-add" onClick={() => set('variants', [...draft.variants, emptyVariant()])}>
          {tr.t('console.catalogue.addVariant')}
        </button>
      </FormSection>
      <FormSection title={tr.t('console.catalogue.optionLabels')}>
        <p class="field__hint">{tr.t('console.catalogue.optionLabelsHint')}</p>
        <FieldError path="options" form={form} tr={tr} exact />
        {draft.options.map((o, i) => (
          <div key={o.key} class="option-labels" data-testid="product-option">
            <div class="grid3">
              {field(`options.${i}.name`, tr.t('console.catalogue.optionName'), o.name, (v) => setOption(i, { name: v }), { placeholder: 'colour' })}
              {FORM_LOCALES.map((l) => field(`options.${i}.label.${l}`, tr.t('console.form.labelIn', { locale: l }), o.label[l], (v) => setOption(i, { label: { ...o.label, [l]: v } })))}
            </div>
            <FieldError path={`options.${i}.label`} form={form} tr={tr} exact />
            {o.name.trim() && optionValues(draft, o.name.trim()).length > 0 && (
              <table class="table">
                <thead>
                  <tr>
                    <th>{tr.t('console.catalogue.optionValue')}</th>
                    {FORM_LOCALES.map((l) => (
                      <th key={l}>{l}</th>
                    ))}
                  </tr>
                </thead>
                <tbody>
                  {optionValues(draft, o.name.trim()).map((value) => (
                    <tr key={value}>
                      <td>{value}</td>
                      {FORM_LOCALES.map((l) => (
                        <td key={l}>
                          <input
                            aria-label={tr.t('console.catalogue.valueLabel', { value, locale: l })}
                            data-testid="product-option-value"
                            value={o.values[value]?.[l] ?? ''}
                            onInput={(e) =>
                              setOption(i, { values: { ...o.values, [value]: { ...(o.values[value] ?? { 'zh-CN': '', en: '' }), [l]: (e.currentTarget as HTMLInputElement).value } } })
                            }
                          />
                        </td>
                      ))}
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
            <button type="button" class="btn btn--quiet btn--tiny" onClick={() => set('options', draft.options.filter((_, j) => j !== i))}>
              {tr.t('console.form.remove')}
            </button>
          </div>
        ))}
        <button type="button" class="btn btn--quiet btn--small" data-testid="product-option-add" onClick={() => set('options', [...draft.options, emptyOption()])}>
          {tr.t('console.catalogue.addOption')}
        </button>
      </FormSection>
      <FormActions status={status} saving={saving} tr={tr} testIds={{ status: 'product-form-status', cancel: 'product-cancel', save: 'product-save' }} onCancel={onCancel} />
    </form>
  );
}
