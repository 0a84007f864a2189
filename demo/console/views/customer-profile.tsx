/**
 * Beside a conversation: the customer's profile (`/api/customers/:id`) — name, email, attributes
 * (`tier=gold`) and tags (`bought:earrings`) that segments target. Staff add and remove them; each
 * change is checked with `customerProfilePatchSchema` and saved at once with PATCH.
 */
import { useEffect, useMemo, useState } from 'preact/hooks';
import type { CustomerProfilePatch, Translator } from '../../../src/index.js';
import { customerLabel } from '../lib/broadcast.js';
import { errorText } from '../lib/errors.js';
import type { FieldErrors } from '../lib/form-errors.js';
import { useStore } from '../lib/use-store.js';
import { createCustomerProfile } from '../stores/customer-profile.js';

export function CustomerProfilePanel({ customerId, tr }: { customerId: string; tr: Translator }) {
  const store = useMemo(() => createCustomerProfile(customerId), [customerId]);
  const profile = useStore(store.$profile);
  const [attrName, setAttrName] = useState('');
  const [attrValue, setAttrValue] = useState('');
  const [tag, setTag] = useState('');
  const [errors, setErrors] = useState<{ attribute: string | null; tag: string | null; general: string | null }>({ attribute: null, tag: null, general: null });

  useEffect(() => {
    setErrors({ attribute: null, tag: null, general: null });
  }, [customerId]);

  const firstError = (found: FieldErrors): string | null => Object.values(found)[0] ?? null;

  const apply = async (patch: CustomerProfilePatch, field: 'attribute' | 'tag' | 'general'): Promise<boolean> => {
    const result = await store.patch(patch);
    if (result.ok) {
      setErrors({ attribute: null, tag: null, general: null });
      return true;
    }
    const message = firstError(result.errors) ?? (result.message ? tr.t('console.form.saveFailed', { reason: result.message }) : null);
    setErrors({ attribute: null, tag: null, general: null, [field]: message });
    return false;
  };

  const addAttribute = async (e: Event) => {
    e.preventDefault();
    const name = attrName.trim();
    if (!name || !attrValue.trim()) {
      setErrors({ ...errors, attribute: tr.t('console.form.required') });
      return;
    }
    if (await apply({ attributes: { [name]: attrValue.trim() } }, 'attribute')) {
      setAttrName('');
      setAttrValue('');
    }
  };

  const addTag = async (e: Event) => {
    e.preventDefault();
    const value = tag.trim();
    if (!value) {
      setErrors({ ...errors, tag: tr.t('console.form.required') });
      return;
    }
    if (await apply({ addTags: [value] }, 'tag')) setTag('');
  };

  const c = profile.customer;
  const attributes = c ? Object.entries(c.attributes).sort(([a], [b]) => a.localeCompare(b)) : [];

  return (
    <section class="side-section customer-panel" aria-labelledby="customer-panel-title" data-testid="customer-panel" data-customer-id={customerId} data-saving={profile.saving ? 'true' : 'false'}>
      <h3 id="customer-panel-title" class="side-section__title">
        {tr.t('console.customer.title')}
      </h3>
      {profile.error && !c && (
        <p class="side-section__error" data-testid="customer-load-error" data-code={profile.error}>
          {profile.error === 'not_found' ? tr.t('console.customer.notFound') : errorText(profile.error, tr)}{' '}
          <button type="button" class="link-button" onClick={() => void store.reload()}>
            {tr.t('console.broadcasts.retry')}
          </button>
        </p>
      )}
      {!c && !profile.error && <p class="side-section__empty">{tr.t('console.load.loading')}</p>}
      {c && (
        <>
          <p class="customer-panel__who">
            <span data-testid="customer-name">{customerLabel(c, tr)}</span>
            {c.email && <span class="muted"> · {c.email}</span>}
          </p>
          <h4 class="customer-panel__sub" id="customer-attrs-title">
            {tr.t('console.customer.attributes')}
          </h4>
          {attributes.length === 0 ? (
            <p class="side-section__empty">{tr.t('console.customer.noAttributes')}</p>
          ) : (
            <ul class="kv-list" aria-labelledby="customer-attrs-title" data-testid="customer-attrs">
              {attributes.map(([name, value]) => (
                <li key={name} class="kv-list__item" data-testid="customer-attr" data-name={name} data-value={value}>
                  <span class="kv-list__name">{name}</span>
                  <span class="kv-list__value">{value}</span>
                  <button
                    type="button"
                    class="btn btn--quiet btn--tiny"
                    data-testid="customer-attr-remove"
                    aria-label={tr.t('console.customer.removeAttribute', { name })}
                    disabled={profile.saving}
                    onClick={() => void apply({ attributes: { [name]: null } }, 'general')}
                  >
                    ×
                  </button>
                </li>
              ))}
            </ul>
          )}
          <form class="inline-form" onSubmit={(e) => void addAttribute(e)} noValidate>
            <label class="visually-hidden" for="customer-attr-name">
              {tr.t('console.customer.attributeName')}
            </label>
            <input
              id="customer-attr-name"
              data-testid="customer-attr-name"
              placeholder={tr.t('console.customer.attributeNamePlaceholder')}
              value={attrName}
              aria-invalid={errors.attribute ? 'true' : undefined}
              aria-describedby={errors.attribute ? 'customer-attr-error' : undefined}
              onInput={(e) => setAttrName((e.currentTarget as HTMLInputElement).value)}
            />
            <label class="visually-hidden" for="customer-attr-value">
              {tr.t('console.customer.attributeValue')}
            </label>
            <input
              id="customer-attr-value"
              data-testid="customer-attr-value"
              placeholder={tr.t('console.customer.attributeValuePlaceholder')}
              value={attrValue}
              onInput={(e) => setAttrValue((e.currentTarget as HTMLInputElement).value)}
            />
            <button type="submit" class="btn btn--quiet btn--small" data-testid="customer-attr-add" disabled={profile.saving}>
              {tr.t('console.customer.set')}
            </button>
          </form>
          {errors.attribute && (
            <p class="field__error" id="customer-attr-error" role="alert" data-testid="customer-error" data-field="attribute">
              {errors.attribute}
            </p>
          )}
          <h4 class="customer-panel__sub" id="customer-tags-title">
            {tr.t('console.customer.tags')}
          </h4>
          {c.tags.length === 0 ? (
            <p class="side-section__empty">{tr.t('console.customer.noTags')}</p>
          ) : (
            <ul class="chips" aria-labelledby="customer-tags-title" data-testid="customer-tags">
              {c.tags.map((t) => (
                <li key={t} class="chip" data-testid="customer-tag" data-tag={t}>
                  <span>{t}</span>
                  <button
                    type="button"
                    class="chip__remove"
                    data-testid="customer-tag-remove"
                    aria-label={tr.t('console.customer.removeTag', { tag: t })}
                    disabled={profile.saving}
                    onClick={() => void apply({ removeTags: [t] }, 'general')}
                  >
                    ×
                  </button>
                </li>
              ))}
            </ul>
          )}
          <form class="inline-form" onSubmit={(e) => void addTag(e)} noValidate>
            <label class="visually-hidden" for="customer-tag-input">
              {tr.t('console.customer.tag')}
            </label>
            <input
              id="customer-tag-input"
              data-testid="customer-tag-input"
              placeholder="bought:earrings"
              value={tag}
              aria-invalid={errors.tag ? 'true' : undefined}
              aria-describedby={errors.tag ? 'customer-tag-error' : undefined}
              onInput={(e) => setTag((e.currentTarget as HTMLInputElement).value)}
            />
            <button type="submit" class="btn btn--quiet btn--small" data-testid="customer-tag-add" disabled={profile.saving}>
              {tr.t('console.customer.addTag')}
            </button>
          </form>
          {errors.tag && (
            <p class="field__error" id="customer-tag-error" role="alert" data-testid="customer-error" data-field="tag">
              {errors.tag}
            </p>
          )}
          {errors.general && (
            <p class="field__error" role="alert" data-testid="customer-error" data-field="general">
              {errors.general}
            </p>
          )}
        </>
      )}
    </section>
  );
}
