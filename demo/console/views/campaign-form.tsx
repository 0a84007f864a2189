/**
 * Create / edit a campaign (drafts and scheduled ones): kind, internal name, title and body per
 * locale with variable chips and inline template errors, image, up to 10 catalogue products, an
 * optional coupon, a call to action, the audience (a segment or everyone) and a live preview.
 * Validated with `campaignInputSchema`; saved with `POST /api/campaigns` or `PATCH /api/campaigns/:id`.
 */
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { CAMPAIGN_KINDS, couponExpired, LIMITS, type Campaign, type CampaignKind, type Product, type Translator } from '../../../src/index.js';
import { templateIssue, checkCampaignDraft, type CampaignDraft } from '../lib/campaign-form.js';
import { couponTitle } from '../lib/coupon.js';
import { errorText } from '../lib/errors.js';
import { price, productTitle } from '../lib/product.js';
import { FORM_LOCALES, type FormLocale } from '../lib/product-form.js';
import { useStore } from '../lib/use-store.js';
import { $segments, loadSegments, saveCampaign } from '../stores/broadcasts.js';
import { createCampaignProductSearch } from '../stores/campaign-products.js';
import { $coupons, loadCoupons } from '../stores/coupons.js';
import { CampaignPreview, useAudience } from './campaign-preview.js';
import { FieldError, FormActions, FormSection, messageAt, textFields, useDraftSubmit, type FormErrors } from './form-fields.js';

const P = 'campaign';

export function CampaignForm({ id, initial, tr, onSaved, onCancel }: { id: string | null; initial: CampaignDraft; tr: Translator; onSaved: (c: Campaign) => void; onCancel: () => void }) {
  const [draft, setDraft] = useState<CampaignDraft>(initial);
  const { form, saving, status, submit } = useDraftSubmit(tr);
  const segments = useStore($segments);
  const coupons = useStore($coupons);
  const search = useMemo(() => createCampaignProductSearch(), []);
  useEffect(() => () => search.dispose(), [search]);
  const known = useStore(search.$known);
  useEffect(() => {
    if (!segments.loaded && !segments.loading) void loadSegments();
    if (!coupons.loaded && !coupons.loading) void loadCoupons();
    search.remember(initial.productIds);
  }, []);
  const set = <K extends keyof CampaignDraft>(key: K, value: CampaignDraft[K]) => setDraft((d) => ({ ...d, [key]: value }));
  const field = textFields(P, form, tr);

  const onSubmit = (e: Event) =>
    submit(e, {
      check: () => checkCampaignDraft(draft),
      save: async (value) => {
        const saved = await saveCampaign(id, value);
        onSaved(saved);
        return tr.t('console.campaigns.saved', { name: saved.name });
      },
      serverFieldErrors: true,
    });

  const now = Date.now();
  const couponChoices = coupons.data.filter((c) => c.id === draft.couponId || (c.active && !couponExpired(c.expiresAt, now)));
  const coupon = coupons.data.find((c) => c.id === draft.couponId) ?? null;
  const segment = segments.data.find((s) => s.id === draft.segmentId);

  return (
    <form class="editor campaign-form" data-testid="campaign-form" data-campaign-id={id ?? undefined} onSubmit={(e) => void onSubmit(e)} noValidate>
      <h2 class="editor__title">{id ? tr.t('console.campaigns.edit', { name: initial.name }) : tr.t('console.campaigns.new')}</h2>
      <FormSection title={tr.t('console.catalogue.basics')}>
        <div class="grid2">
          <div class="field">
            <label for="campaign-kind">{tr.t('console.campaigns.kind')}</label>
            <select id="campaign-kind" data-testid="campaign-kind" value={draft.kind} onChange={(e) => set('kind', (e.currentTarget as HTMLSelectElement).value as CampaignKind)}>
              {CAMPAIGN_KINDS.map((k) => (
                <option key={k} value={k}>
                  {tr.t(`console.campaigns.kind.${k}`)}
                </option>
              ))}
            </select>
          </div>
          {field('name', tr.t('console.campaigns.name'), draft.name, (v) => set('name', v), { hint: tr.t('console.campaigns.nameHint') })}
        </div>
      </FormSection>
      <FormSection title={tr.t('console.campaigns.message')}>
        <p class="field__hint">{tr.t('console.campaigns.variablesHint')}</p>
        <div class="grid2">
          {FORM_LOCALES.map((l) => (
            <div key={l} class="locale-col" data-testid={`campaign-locale-${l}`}>
              <TemplateField path={`title.${l}`} locale={l} label={tr.t('console.form.titleIn', { locale: l })} value={draft.title[l]} onInput={(v) => set('title', { ...draft.title, [l]: v })} form={form} tr={tr} />
              <TemplateField path={`body.${l}`} locale={l} multiline label={tr.t('console.campaigns.bodyIn', { locale: l })} value={draft.body[l]} onInput={(v) => set('body', { ...draft.body, [l]: v })} form={form} tr={tr} />
            </div>
          ))}
        </div>
        <FieldError path="title" form={form} tr={tr} exact />
        <FieldError path="body" form={form} tr={tr} exact />
        {field('image', tr.t('console.campaigns.image'), draft.image, (v) => set('image', v), { type: 'url', placeholder: 'https://', hint: tr.t('console.form.optional') })}
      </FormSection>
      <ProductPicker
        ids={draft.productIds}
        known={known}
        search={search}
        tr={tr}
        form={form}
        onChange={(ids) => {
          set('productIds', ids);
          search.remember(ids);
        }}
      />
      <FormSection title={tr.t('console.campaigns.offer')}>
        <div class="field">
          <label for="campaign-coupon">{tr.t('console.campaigns.coupon')}</label>
          <select id="campaign-coupon" data-testid="campaign-coupon" value={draft.couponId} onChange={(e) => set('couponId', (e.currentTarget as HTMLSelectElement).value)}>
            <option value="">{tr.t('console.campaigns.noCoupon')}</option>
            {couponChoices.map((c) => (
              <option key={c.id} value={c.id}>
                {couponTitle(c, tr)} ({c.code})
              </option>
            ))}
          </select>
          <FieldError path="couponId" form={form} tr={tr} />
        </div>
        <div class="grid3">
          {FORM_LOCALES.map((l) => field(`cta.label.${l}`, tr.t('console.campaigns.ctaLabelIn', { locale: l }), draft.ctaLabel[l], (v) => set('ctaLabel', { ...draft.ctaLabel, [l]: v }), { hint: tr.t('console.form.optional') }))}
          {field('cta.url', tr.t('console.campaigns.ctaUrl'), draft.ctaUrl, (v) => set('ctaUrl', v), { type: 'url', placeholder: '/products/…', hint: tr.t('console.campaigns.ctaUrlHint') })}
        </div>
        <FieldError path="cta" form={form} tr={tr} exact />
        <FieldError path="cta.label" form={form} tr={tr} exact />
      </FormSection>
      <FormSection title={tr.t('console.campaigns.audience')}>
        <div class="field">
          <label for="campaign-segment">{tr.t('console.campaigns.segment')}</label>
          <select id="campaign-segment" data-testid="campaign-segment" value={draft.segmentId} onChange={(e) => set('segmentId', (e.currentTarget as HTMLSelectElement).value)}>
            <option value="">{tr.t('console.campaigns.everyone')}</option>
            {segments.data.map((s) => (
              <option key={s.id} value={s.id}>
                {tr.t('console.campaigns.segmentOption', { name: s.name, count: s.size })}
              </option>
            ))}
          </select>
          <AudienceSize segmentId={draft.segmentId} fallback={segment?.size ?? null} tr={tr} />
          {segments.error && <span class="field__error">{errorText(segments.error, tr)}</span>}
          <FieldError path="segmentId" form={form} tr={tr} />
        </div>
      </FormSection>
      <CampaignPreview
        tr={tr}
        content={{
          title: draft.title,
          body: draft.body,
          image: draft.image,
          products: draft.productIds.map((pid) => known[pid] ?? { id: pid }),
          coupon,
          ctaLabel: draft.ctaLabel,
          ctaUrl: draft.ctaUrl,
          segmentId: draft.segmentId,
        }}
      />
      <FormActions status={status} saving={saving} tr={tr} testIds={{ status: 'campaign-form-status', cancel: 'campaign-cancel', save: 'campaign-save' }} onCancel={onCancel} />
    </form>
  );
}

/** The live size of the chosen audience (a segment, or everyone). */
function AudienceSize({ segmentId, fallback, tr }: { segmentId: string; fallback: number | null; tr: Translator }) {
  const { size } = useAudience(segmentId);
  const n = size ?? fallback;
  if (n === null) return null;
  return (
    <span class="field__hint" data-testid="campaign-segment-size" data-size={n}>
      {tr.t('console.segments.audience', { count: n })}
    </span>
  );
}

const CHIPS: { label: string; insert: (l: FormLocale) => string }[] = [
  { label: '{{name}}', insert: (l) => (l === 'zh-CN' ? '{{name|朋友}}' : '{{name|there}}') },
  { label: '{{tier}}', insert: () => '{{tier}}' },
  { label: '{{points}}', insert: () => '{{points}}' },
  { label: '{{coupon}}', insert: () => '{{coupon}}' },
];

/** A title/body template field: variable chips insert at the caret; template problems show as typed. */
function TemplateField({
  path,
  locale,
  label,
  value,
  onInput,
  form,
  tr,
  multiline = false,
}: {
  path: string;
  locale: FormLocale;
  label: string;
  value: string;
  onInput: (v: string) => void;
  form: FormErrors;
  tr: Translator;
  multiline?: boolean;
}) {
  const ref = useRef<HTMLInputElement & HTMLTextAreaElement>(null);
  const id = `${P}-${path.replace(/[^a-zA-Z0-9_-]/g, '-')}`;
  const testId = `${P}-${path.replace(/\./g, '-')}`;
  const live = templateIssue(value);
  const message = live ? tr.t('console.campaigns.templateError', { problem: live.message }) : messageAt(form, path, tr);
  const insert = (text: string) => {
    const el = ref.current;
    const start = el?.selectionStart ?? value.length;
    const end = el?.selectionEnd ?? value.length;
    const next = value.slice(0, start) + text + value.slice(end);
    onInput(next);
    requestAnimationFrame(() => {
      if (!el) return;
      el.focus();
      el.setSelectionRange(start + text.length, start + text.length);
    });
  };
  const common = {
    id,
    value,
    'aria-invalid': message ? ('true' as const) : undefined,
    'aria-describedby': message ? `${id}-error` : `${id}-chips`,
    'data-testid': testId,
    onInput: (e: Event) => onInput((e.currentTarget as HTMLInputElement).value),
  };
  return (
    <div class="field">
      <label for={id}>{label}</label>
      {multiline ? <textarea ref={ref} rows={3} {...common} /> : <input ref={ref} {...common} />}
      <div class="var-chips" id={`${id}-chips`} role="group" aria-label={tr.t('console.campaigns.insertVariable')}>
        {CHIPS.map((chip) => (
          <button key={chip.label} type="button" class="var-chip" data-testid={`${testId}-var`} data-var={chip.label.slice(2, -2)} onClick={() => insert(chip.insert(locale))}>
            {chip.label}
          </button>
        ))}
      </div>
      {message && (
        <span class="field__error" id={`${id}-error`} role="alert" data-testid="field-error" data-field={path}>
          {message}
        </span>
      )}
    </div>
  );
}

function ProductPicker({
  ids,
  known,
  search,
  tr,
  form,
  onChange,
}: {
  ids: string[];
  known: Record<string, Product>;
  search: ReturnType<typeof createCampaignProductSearch>;
  tr: Translator;
  form: FormErrors;
  onChange: (ids: string[]) => void;
}) {
  const state = useStore(search.$search);
  const [query, setQuery] = useState('');
  const max = LIMITS.campaignProductsMax;
  const full = ids.length >= max;
  const toggle = (pid: string) => onChange(ids.includes(pid) ? ids.filter((x) => x !== pid) : full ? ids : [...ids, pid]);
  useEffect(() => search.setQuery('', true), [search]);
  return (
    <FormSection title={tr.t('console.campaigns.products')}>
      <p class="field__hint" data-testid="campaign-products-count" data-count={ids.length}>
        {tr.t('console.campaigns.productsCount', { count: ids.length, max })}
      </p>
      {ids.length > 0 && (
        <ul class="chips" data-testid="campaign-products-picked">
          {ids.map((pid) => (
            <li key={pid} class="chip" data-testid="campaign-product-picked" data-product-id={pid}>
              <span>{known[pid] ? productTitle(known[pid].title, tr) : pid}</span>
              <button type="button" class="chip__remove" aria-label={tr.t('console.campaigns.removeProduct', { title: known[pid] ? productTitle(known[pid].title, tr) : pid })} onClick={() => toggle(pid)}>
                ×
              </button>
            </li>
          ))}
        </ul>
      )}
      <FieldError path="productIds" form={form} tr={tr} />
      <div class="field">
        <label for="campaign-product-search">{tr.t('console.products.search')}</label>
        <input
          id="campaign-product-search"
          type="search"
          data-testid="campaign-product-search"
          autocomplete="off"
          value={query}
          placeholder={tr.t('console.products.searchPlaceholder')}
          aria-controls="campaign-product-results"
          onInput={(e) => {
            const v = (e.currentTarget as HTMLInputElement).value;
            setQuery(v);
            if (!(e as InputEvent).isComposing) search.setQuery(v);
          }}
          onKeyDown={(e) => {
            if (e.key === 'Enter' && !e.isComposing) {
              e.preventDefault();
              search.setQuery(query, true);
            }
          }}
        />
      </div>
      <p class="muted" role="status" data-testid="campaign-product-status" data-loading={state.loading ? 'true' : 'false'}>
        {state.loading ? tr.t('console.products.searching') : state.error ? errorText(state.error, tr) : state.done && state.items.length === 0 ? tr.t('console.products.none') : ''}
      </p>
      {state.items.length > 0 && (
        <ul id="campaign-product-results" class="product-results campaign-product-results" data-testid="campaign-product-results">
          {state.items.map((p) => {
            const picked = ids.includes(p.id);
            return (
              <li key={p.id} class={`product-result${picked ? ' product-result--picked' : ''}`} data-testid="campaign-product-result" data-product-id={p.id}>
                <label class="product-result__label">
                  <input type="checkbox" class="product-result__pick" data-testid="campaign-product-pick" checked={picked} disabled={!picked && full} onChange={() => toggle(p.id)} />
                  <span class="product-result__body">
                    <span class="product-result__title">{productTitle(p.title, tr)}</span>
                    <span class="product-result__meta">
                      {price(p.price, tr)} · <span class="product-result__id">{p.id}</span>
                    </span>
                  </span>
                </label>
              </li>
            );
          })}
        </ul>
      )}
    </FormSection>
  );
}
