/** Beside the composer: the shop's coupons with sent / claimed counts, "Send" into this conversation, and a quick create form. */
import { useEffect, useState } from 'preact/hooks';
import { couponExpired, type ConversationHandle, type Translator } from '../../../src/index.js';
import { couponTitle, couponValueText, expiryText } from '../lib/coupon.js';
import { errorText } from '../lib/errors.js';
import { useStore } from '../lib/use-store.js';
import { $coupons, countSent, loadCoupons } from '../stores/coupons.js';
import { pageHref } from '../stores/route.js';
import { CouponForm } from './coupon-form.js';
import { useCouponEditor } from './coupons-page.js';

export function CouponPanel({ handle, tr }: { handle: ConversationHandle; tr: Translator }) {
  const coupons = useStore($coupons);
  const [editing, edit, close] = useCouponEditor();
  const [caption, setCaption] = useState('');
  useEffect(() => {
    if (!coupons.loaded && !coupons.loading) void loadCoupons();
  }, []);
  const now = Date.now();
  const usable = coupons.data.filter((c) => c.active && !couponExpired(c.expiresAt, now));

  const send = (id: string) => {
    // A failed send stays in the list as "failed" with a retry button.
    handle
      .sendCoupon(id, caption.trim() || undefined)
      .then(() => countSent(id))
      .catch(() => {});
    setCaption('');
  };

  return (
    <section class="side-section coupon-panel" aria-labelledby="coupon-panel-title" data-testid="coupon-panel">
      <div class="side-section__head">
        <h3 id="coupon-panel-title" class="side-section__title">
          {tr.t('console.coupons.panelTitle')}
        </h3>
        <button type="button" class="btn btn--quiet btn--small" data-testid="coupon-panel-new" disabled={editing !== null} onClick={() => edit(null)}>
          {tr.t('console.quickReplies.add')}
        </button>
      </div>
      {editing && <CouponForm key={editing.key} initial={editing.draft} isNew={editing.isNew} tr={tr} onDone={close} />}
      {coupons.error && <p class="side-section__error">{errorText(coupons.error, tr)}</p>}
      {coupons.loaded && usable.length === 0 && <p class="side-section__empty">{tr.t('console.coupons.noneUsable')}</p>}
      {usable.length > 0 && (
        <>
          <label class="visually-hidden" for="coupon-caption">
            {tr.t('console.products.caption')}
          </label>
          <input
            id="coupon-caption"
            class="product-panel__caption"
            data-testid="coupon-caption"
            placeholder={tr.t('console.products.caption')}
            value={caption}
            onInput={(e) => setCaption((e.currentTarget as HTMLInputElement).value)}
          />
          <ul class="coupon-list" data-testid="coupon-list">
            {usable.map((c) => (
              <li key={c.id} class="coupon-item" data-testid="coupon-item" data-coupon-id={c.id}>
                <span class="coupon-item__body">
                  <span class="coupon-item__title">{couponTitle(c, tr)}</span>
                  <span class="coupon-item__meta">
                    {couponValueText(c, tr)} · {expiryText(c, tr)}
                  </span>
                  <span class="coupon-item__meta" data-testid="coupon-item-counts">
                    {tr.t('console.coupons.counts', { sent: c.sent, claimed: c.claimed })}
                  </span>
                </span>
                <button type="button" class="btn btn--primary btn--tiny" data-testid="coupon-send" onClick={() => send(c.id)}>
                  {tr.t('console.coupons.send')}
                </button>
              </li>
            ))}
          </ul>
        </>
      )}
      <a class="side-section__link" href={pageHref('coupons')}>
        {tr.t('console.coupons.manage')}
      </a>
    </section>
  );
}
