/** The coupons page: every coupon of the shop with sent / claimed counts; create and edit. */
import { useEffect, useState } from 'preact/hooks';
import type { Coupon, Translator } from '../../../src/index.js';
import { couponDraft, emptyCouponDraft, type CouponDraft } from '../lib/coupon-form.js';
import { couponTitle, couponValueText, expiryText, minSpendText } from '../lib/coupon.js';
import { errorText } from '../lib/errors.js';
import { useStore } from '../lib/use-store.js';
import { $coupons, loadCoupons } from '../stores/coupons.js';
import { $tr } from '../stores/locale.js';
import { CouponForm } from './coupon-form.js';

type Editing = { key: number; draft: CouponDraft; isNew: boolean } | null;
let editKey = 0;

export function useCouponEditor(): [Editing, (coupon: Coupon | null) => void, () => void] {
  const [editing, setEditing] = useState<Editing>(null);
  return [editing, (coupon) => setEditing({ key: ++editKey, draft: coupon ? couponDraft(coupon) : emptyCouponDraft(), isNew: !coupon }), () => setEditing(null)];
}

export function CouponsPage() {
  const tr = useStore($tr);
  const coupons = useStore($coupons);
  const [editing, edit, close] = useCouponEditor();
  useEffect(() => void loadCoupons(), []);

  return (
    <main class="page coupons" id="main" data-testid="coupons-page">
      <div class="page__head">
        <h1 class="page__title">{tr.t('console.nav.coupons')}</h1>
        <button type="button" class="btn btn--primary" data-testid="coupon-new" onClick={() => edit(null)}>
          {tr.t('console.coupons.new')}
        </button>
      </div>
      {editing && (
        <div class="card">
          <CouponForm key={editing.key} initial={editing.draft} isNew={editing.isNew} tr={tr} onDone={close} />
        </div>
      )}
      <section class="card" aria-labelledby="coupons-title">
        <h2 id="coupons-title" class="card__title">
          {tr.t('console.coupons.all')}
        </h2>
        {coupons.error && (
          <p class="form-error" role="alert" data-testid="coupons-error">
            {errorText(coupons.error, tr)}
          </p>
        )}
        {coupons.loaded && coupons.data.length === 0 && <p class="page__empty">{tr.t('console.coupons.empty')}</p>}
        {coupons.data.length > 0 && (
          <table class="table" data-testid="coupon-table">
            <thead>
              <tr>
                <th>{tr.t('console.coupons.titleCol')}</th>
                <th>{tr.t('console.coupons.code')}</th>
                <th>{tr.t('console.coupons.value')}</th>
                <th>{tr.t('console.coupons.expires')}</th>
                <th>{tr.t('console.coupons.sent')}</th>
                <th>{tr.t('console.coupons.claimed')}</th>
                <th>{tr.t('console.coupons.active')}</th>
                <th>
                  <span class="visually-hidden">{tr.t('console.coupons.editCol')}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {coupons.data.map((c) => (
                <CouponRow key={c.id} coupon={c} tr={tr} onEdit={() => edit(c)} />
              ))}
            </tbody>
          </table>
        )}
      </section>
    </main>
  );
}

function CouponRow({ coupon: c, tr, onEdit }: { coupon: Coupon; tr: Translator; onEdit: () => void }) {
  const min = minSpendText(c, tr);
  return (
    <tr data-testid="coupon-row" data-coupon-id={c.id}>
      <td data-testid="coupon-row-title">{couponTitle(c, tr)}</td>
      <td>
        <code>{c.code}</code>
      </td>
      <td>
        {couponValueText(c, tr)}
        {min && <span class="muted"> · {min}</span>}
      </td>
      <td>{expiryText(c, tr)}</td>
      <td data-testid="coupon-row-sent">{c.sent}</td>
      <td data-testid="coupon-row-claimed">
        {c.claimed}
        {c.maxClaims !== null && <span class="muted"> / {c.maxClaims}</span>}
      </td>
      <td>{c.active ? tr.t('console.coupons.yes') : tr.t('console.coupons.no')}</td>
      <td>
        <button type="button" class="btn btn--quiet btn--tiny" data-testid="coupon-edit" onClick={onEdit}>
          {tr.t('console.quickReplies.edit')}
        </button>
      </td>
    </tr>
  );
}
