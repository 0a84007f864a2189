/** Create / edit a coupon: validated with `couponInputSchema` (per-field errors), saved with `PUT /api/coupons/:id`. */
import { useState } from 'preact/hooks';
import type { Translator } from '../../../src/index.js';
import { checkCouponDraft, type CouponDraft } from '../lib/coupon-form.js';
import { FORM_LOCALES } from '../lib/product-form.js';
import { saveCoupon } from '../stores/coupons.js';
import { FieldError, FormActions, FormSection, textFields, useDraftSubmit } from './form-fields.js';

const P = 'coupon';

export function CouponForm({ initial, isNew, tr, onDone }: { initial: CouponDraft; isNew: boolean; tr: Translator; onDone: () => void }) {
  const [draft, setDraft] = useState<CouponDraft>(initial);
  const { form, saving, status, submit } = useDraftSubmit(tr);
  const set = <K extends keyof CouponDraft>(key: K, value: CouponDraft[K]) => setDraft((d) => ({ ...d, [key]: value }));
  const onSubmit = (e: Event) =>
    submit(e, {
      check: () => checkCouponDraft(draft),
      save: async (value) => {
        await saveCoupon(value);
        return tr.t('console.coupons.saved', { id: value.id });
      },
      done: onDone,
      serverFieldErrors: true,
    });
  const field = textFields(P, form, tr);

  return (
    <form class="editor" data-testid="coupon-form" onSubmit={(e) => void onSubmit(e)} noValidate>
      <h2 class="editor__title">{isNew ? tr.t('console.coupons.new') : tr.t('console.coupons.edit', { id: draft.id })}</h2>
      <FormSection title={tr.t('console.catalogue.basics')}>
        <div class="grid2">
          {isNew ? field('id', tr.t('console.coupons.id'), draft.id, (v) => set('id', v), { hint: tr.t('console.catalogue.idHint') }) : <p class="editor__id">{tr.t('console.coupons.id')}: <code>{draft.id}</code></p>}
          {field('code', tr.t('console.coupons.code'), draft.code, (v) => set('code', v.toUpperCase()), { placeholder: 'LOVE50' })}
        </div>
        <div class="grid2">
          {FORM_LOCALES.map((l) => field(`title.${l}`, tr.t('console.form.titleIn', { locale: l }), draft.title[l], (v) => set('title', { ...draft.title, [l]: v })))}
        </div>
        <FieldError path="title" form={form} tr={tr} exact />
        <div class="grid2">
          {FORM_LOCALES.map((l) => field(`conditions.${l}`, tr.t('console.coupons.conditionsIn', { locale: l }), draft.conditions[l], (v) => set('conditions', { ...draft.conditions, [l]: v })))}
        </div>
      </FormSection>
      <FormSection title={tr.t('console.coupons.value')}>
        <div class="radio-row" role="radiogroup" aria-label={tr.t('console.coupons.value')}>
          {(['amount', 'percent'] as const).map((type) => (
            <label key={type} class="radio">
              <input type="radio" name="coupon-value-type" value={type} data-testid={`coupon-type-${type}`} checked={draft.valueType === type} onChange={() => set('valueType', type)} />
              {tr.t(type === 'amount' ? 'console.coupons.amountOff' : 'console.coupons.percentOff')}
            </label>
          ))}
        </div>
        <div class="grid3">
          {draft.valueType === 'amount'
            ? field('value.amount', tr.t('console.coupons.amount'), draft.amount, (v) => set('amount', v), { placeholder: '50.00' })
            : field('value.percent', tr.t('console.coupons.percent'), draft.percent, (v) => set('percent', v), { placeholder: '15' })}
          {field('currency', tr.t('console.form.currency'), draft.currency, (v) => set('currency', v.toUpperCase()), { placeholder: 'CNY' })}
          {field('minSpend', tr.t('console.coupons.minSpend'), draft.minSpend, (v) => set('minSpend', v), { hint: tr.t('console.form.optional') })}
        </div>
        <FieldError path="value" form={form} tr={tr} exact />
      </FormSection>
      <FormSection title={tr.t('console.coupons.limits')}>
        <div class="grid3">
          {field('expiresAt', tr.t('console.coupons.expires'), draft.expiresOn, (v) => set('expiresOn', v), { type: 'date', hint: tr.t('console.coupons.expiresHint') })}
          {field('maxClaims', tr.t('console.coupons.maxClaims'), draft.maxClaims, (v) => set('maxClaims', v), { hint: tr.t('console.coupons.maxClaimsHint') })}
          <label class="check">
            <input type="checkbox" data-testid="coupon-active" checked={draft.active} onChange={(e) => set('active', (e.currentTarget as HTMLInputElement).checked)} />
            {tr.t('console.coupons.active')}
          </label>
        </div>
      </FormSection>
      <FormActions status={status} saving={saving} tr={tr} testIds={{ status: 'coupon-form-status', cancel: 'coupon-cancel', save: 'coupon-save' }} onCancel={onDone} />
    </form>
  );
}
