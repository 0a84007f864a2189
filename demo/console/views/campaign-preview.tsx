/**
 * How a campaign will look in a customer's feed, in zh-CN and en side by side, for a sample
 * recipient chosen from the audience (the sample of the segment, or of everyone). Templates
 * are rendered with `renderTemplate` and bound as text only: a customer named `<script>` reads
 * literally.
 */
import { useEffect, useMemo, useState } from 'preact/hooks';
import { createTranslator, localized, type Coupon, type CustomerRecord, type Product, type Translator } from '../../../src/index.js';
import type { SegmentRule } from '../lib/broadcast-core.js';
import { customerLabel, renderFor } from '../lib/broadcast.js';
import { couponValueText } from '../lib/coupon.js';
import { safeImageSrc } from '../lib/product.js';
import { FORM_LOCALES, type LocalizedDraft } from '../lib/product-form.js';
import { useStore } from '../lib/use-store.js';
import { $segments, createAudiencePreviewer } from '../stores/broadcasts.js';

export interface PreviewContent {
  title: LocalizedDraft;
  body: LocalizedDraft;
  image: string;
  products: (Product | { id: string; title?: undefined })[];
  coupon: Coupon | null;
  ctaLabel: LocalizedDraft;
  ctaUrl: string;
  segmentId: string;
}

/**
 * A rule every customer matches (no customer carries this tag): the audience of "everyone" through
 * the same preview call, so its size and sample come the same way as a segment's.
 */
export const EVERYONE_RULE: SegmentRule = { match: 'all', conditions: [{ tag: 'vitrine:no-such-tag', op: 'lacks' }] };

/** Size and sample recipients of a segment, or of everyone. */
export function useAudience(segmentId: string): { sample: CustomerRecord[]; size: number | null; loading: boolean } {
  const segments = useStore($segments);
  const rule = segmentId ? segments.data.find((s) => s.id === segmentId)?.rule ?? null : EVERYONE_RULE;
  const previewer = useMemo(() => createAudiencePreviewer(), []);
  useEffect(() => () => previewer.dispose(), [previewer]);
  const audience = useStore(previewer.$audience);
  const key = rule ? JSON.stringify(rule) : '';
  useEffect(() => previewer.setRule(rule, 0), [key]);
  return { sample: audience.sample, size: audience.size, loading: audience.loading };
}

export function CampaignPreview({ content, tr }: { content: PreviewContent; tr: Translator }) {
  const { sample, size, loading } = useAudience(content.segmentId);
  const [chosen, setChosen] = useState<string>('');
  const recipient = sample.find((c) => c.id === chosen) ?? (chosen === 'none' ? null : sample[0] ?? null);

  return (
    <section class="preview" aria-labelledby="campaign-preview-title" data-testid="campaign-preview">
      <div class="preview__head">
        <h3 id="campaign-preview-title" class="card__title">
          {tr.t('console.campaigns.preview')}
        </h3>
        <div class="field preview__who">
          <label for="campaign-preview-recipient">{tr.t('console.campaigns.sampleRecipient')}</label>
          <select
            id="campaign-preview-recipient"
            data-testid="campaign-preview-recipient"
            value={recipient ? recipient.id : 'none'}
            onChange={(e) => setChosen((e.currentTarget as HTMLSelectElement).value)}
          >
            {sample.map((c) => (
              <option key={c.id} value={c.id}>
                {customerLabel(c, tr)}
              </option>
            ))}
            <option value="none">{tr.t('console.campaigns.noValues')}</option>
          </select>
        </div>
      </div>
      <p class="muted" data-testid="campaign-preview-audience">
        {loading ? tr.t('console.segments.counting') : size !== null ? tr.t('console.segments.audience', { count: size }) : ''}
      </p>
      <div class="preview__pair">
        {FORM_LOCALES.map((locale) => (
          <FeedCard key={locale} locale={locale} content={content} recipient={recipient} tr={tr} />
        ))}
      </div>
    </section>
  );
}

function FeedCard({ locale, content, recipient, tr }: { locale: (typeof FORM_LOCALES)[number]; content: PreviewContent; recipient: CustomerRecord | null; tr: Translator }) {
  const pick = (d: LocalizedDraft) => d[locale].trim() || FORM_LOCALES.map((l) => d[l].trim()).find(Boolean) || '';
  const title = renderFor(pick(content.title), recipient, content.coupon, locale);
  const body = renderFor(pick(content.body), recipient, content.coupon, locale);
  const image = safeImageSrc(content.image);
  const cta = pick(content.ctaLabel);
  return (
    <article class="feed-card" lang={locale} data-testid="campaign-preview-card" data-locale={locale} aria-label={tr.t('console.campaigns.previewIn', { locale })}>
      <p class="feed-card__locale">{locale}</p>
      {image && <img class="feed-card__img" src={image} alt="" loading="lazy" />}
      <h4 class="feed-card__title" data-testid="campaign-preview-title">
        {title}
      </h4>
      {body && (
        <p class="feed-card__body" data-testid="campaign-preview-body">
          {body}
        </p>
      )}
      {content.products.length > 0 && (
        <ul class="feed-card__products" data-testid="campaign-preview-products">
          {content.products.map((p) => (
            <li key={p.id}>{p.title ? localized(p.title, locale) : p.id}</li>
          ))}
        </ul>
      )}
      {content.coupon && (
        <p class="feed-card__coupon" data-testid="campaign-preview-coupon">
          {localized(content.coupon.title, locale)} · {couponValueText(content.coupon, createTranslator(locale))}
        </p>
      )}
      {cta && (
        <span class="feed-card__cta" data-testid="campaign-preview-cta">
          {cta}
        </span>
      )}
    </article>
  );
}
