/** Create / edit one product: validated with `productInputSchema` (per-field errors), saved with `PUT /api/products/:id`. */
import { useState } from 'preact/hooks';
import type { Translator } from '../../../src/index.js';
import { ApiError } from '../api.js';
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
import { FieldError, FormSection, noErrors, TextField, type FormErrors } from './form-fields.js';

const P = 'product';

export function ProductForm({ initial, isNew, tr, onSaved, onCancel }: { initial: ProductDraft; isNew: boolean; tr: Translator; onSaved: (id: string) => void; onCancel: () => void }) {
  const [draft, setDraft] = useState<ProductDraft>(initial);
  const [form, setForm] = useState<FormErrors>(noErrors);
  const [saving, setSaving] = useState(false);
  const [status, setStatus] = useState<{ kind: 'saved' | 'error'; text: string } | null>(null);

  const set = <K extends keyof ProductDraft>(key: K, value: ProductDraft[K]) => setDraft((d) => ({ ...d, [key]: value }));
  const setLocalized = (key: 'title' | 'description', locale: keyof LocalizedDraft, value: string) =>
    setDraft((d) => ({ ...d, [key]: { ...d[key], [locale]: value } }));
  const setVariant = (i: number, patch: Partial<VariantDraft>) => setDraft((d) => ({ ...d, variants: d.variants.map((x, j) => (j === i ? { ...x, ...patch } : x)) }));
  const setOption = (i: number, patch: Partial<OptionDraft>) => setDraft((d) => ({ ...d, options: d.options.map((x, j) => (j === i ? { ...x, ...patch } : x)) }));

  const submit = async (e: Event) => {
    e.preventDefault();
    setStatus(null);
    const result = checkProductDraft(draft);
    if (!result.ok) {
      setForm({ errors: result.errors, problems: result.problems });
      setStatus({ kind: 'error', text: tr.t('console.form.fix') });
      return;
    }
    setForm(noErrors);
    setSaving(true);
    try {
      const { created } = await saveProduct(result.value);
      setStatus({ kind: 'saved', text: tr.t(created ? 'console.catalogue.created' : 'console.catalogue.saved', { id: result.value.id }) });
      onSaved(result.value.id);
    } catch (err) {
      // The server names the first bad field: "price.amount: must be …".
      const message = err instanceof Error ? err.message : String(err);
      const m = /^([\w.]+): (.*)$/.exec(message);
      if (err instanceof ApiError && err.code === 'invalid_payload' && m) setForm({ errors: { [m[1]]: m[2] }, problems: {} });
      setStatus({ kind: 'error', text: tr.t('console.form.saveFailed', { reason: message }) });
    } finally {
      setSaving(false);
    }
  };

  const field = (path: string, label: string, value: string, onInput: (v: string) => void, extra: { multiline?: boolean; placeholder?: string; hint?: string } = {}) => (
    <TextField prefix={P} path={path} label={label} value={value} onInput={onInput} form={form} tr={tr} {...extra} />
  );

  return (
    <form class="editor" data-testid="product-form" onSubmit={(e) => void submit(e)} noValidate>
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
      <div class="editor__actions">
        {status && (
          <p class={`editor__status editor__status--${status.kind}`} role="status" data-testid="product-form-status" data-state={status.kind}>
            {status.text}
          </p>
        )}
        <button type="button" class="btn btn--quiet" data-testid="product-cancel" onClick={onCancel}>
          {tr.t('console.form.cancel')}
        </button>
        <button type="submit" class="btn btn--primary" data-testid="product-save" disabled={saving}>
          {saving ? tr.t('console.form.saving') : tr.t('console.form.save')}
        </button>
      </div>
    </form>
  );
}
