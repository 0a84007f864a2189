/**
 * Create / edit a segment: a name and a rule (match all / any; rows of attribute or tag conditions),
 * with the live audience size and a few sample customers (`POST /api/segments/preview`, debounced)
 * while the rule is complete. Validated with `segmentInputSchema`, saved with POST / PUT.
 */
import { useEffect, useMemo, useState } from 'preact/hooks';
import type { Translator } from '../../../src/index.js';
import { customerLabel } from '../lib/broadcast.js';
import { errorText } from '../lib/errors.js';
import { ATTRIBUTE_OPS, checkSegmentDraft, emptyCondition, ruleOf, TAG_OPS, takesValue, type ConditionDraft, type ConditionOp, type SegmentDraft } from '../lib/segment-form.js';
import { useStore } from '../lib/use-store.js';
import { createAudiencePreviewer, removeSegment, saveSegment, type AudienceState } from '../stores/broadcasts.js';
import { FieldError, FormActions, FormSection, textFields, useDraftSubmit, type FormErrors } from './form-fields.js';
import { AUDIENCE_LIMITS } from '../lib/broadcast-core.js';

const P = 'segment';

export function SegmentForm({ initial, tr, onDone }: { initial: SegmentDraft; tr: Translator; onDone: () => void }) {
  const [draft, setDraft] = useState<SegmentDraft>(initial);
  const { form, saving, status, submit } = useDraftSubmit(tr);
  const previewer = useMemo(() => createAudiencePreviewer(), []);
  useEffect(() => () => previewer.dispose(), [previewer]);
  const audience = useStore(previewer.$audience);
  const rule = ruleOf(draft);
  const ruleKey = rule ? JSON.stringify(rule) : '';
  useEffect(() => previewer.setRule(rule), [ruleKey]);
  const [confirmDelete, setConfirmDelete] = useState(false);
  const [deleteError, setDeleteError] = useState<string | null>(null);

  const setCondition = (key: string, change: Partial<ConditionDraft>) =>
    setDraft((d) => ({ ...d, conditions: d.conditions.map((c) => (c.key === key ? { ...c, ...change } : c)) }));

  const onSubmit = (e: Event) =>
    submit(e, {
      check: () => checkSegmentDraft(draft),
      save: async (value) => {
        const saved = await saveSegment(draft.id, value);
        setDraft((d) => ({ ...d, id: saved.id }));
        return tr.t('console.segments.saved', { name: value.name });
      },
      serverFieldErrors: true,
    });

  const onDelete = async () => {
    if (!draft.id) return;
    try {
      await removeSegment(draft.id);
      onDone();
    } catch (e) {
      setDeleteError(tr.t('console.broadcasts.failed', { reason: e instanceof Error ? e.message : String(e) }));
    }
  };

  const field = textFields(P, form, tr);
  return (
    <form class="editor" data-testid="segment-form" onSubmit={(e) => void onSubmit(e)} noValidate>
      <h2 class="editor__title">{draft.id ? tr.t('console.segments.edit', { name: initial.name }) : tr.t('console.segments.new')}</h2>
      {field('name', tr.t('console.segments.name'), draft.name, (v) => setDraft((d) => ({ ...d, name: v })), { placeholder: tr.t('console.segments.namePlaceholder') })}
      <FormSection title={tr.t('console.segments.rule')}>
        <div class="radio-row" role="radiogroup" aria-label={tr.t('console.segments.match')}>
          {(['all', 'any'] as const).map((m) => (
            <label key={m} class="radio">
              <input type="radio" name="segment-match" value={m} data-testid={`segment-match-${m}`} checked={draft.match === m} onChange={() => setDraft((d) => ({ ...d, match: m }))} />
              {tr.t(m === 'all' ? 'console.segments.matchAll' : 'console.segments.matchAny')}
            </label>
          ))}
        </div>
        <ol class="rule-rows" data-testid="segment-conditions">
          {draft.conditions.map((c, i) => (
            <ConditionRow
              key={c.key}
              c={c}
              index={i}
              form={form}
              tr={tr}
              canRemove={draft.conditions.length > 1}
              onChange={(change) => setCondition(c.key, change)}
              onRemove={() => setDraft((d) => ({ ...d, conditions: d.conditions.filter((x) => x.key !== c.key) }))}
            />
          ))}
        </ol>
        <button
          type="button"
          class="btn btn--quiet btn--small rule-add"
          data-testid="segment-condition-add"
          disabled={draft.conditions.length >= AUDIENCE_LIMITS.conditions}
          onClick={() => setDraft((d) => ({ ...d, conditions: [...d.conditions, emptyCondition('tag')] }))}
        >
          {tr.t('console.segments.addCondition')}
        </button>
        <FieldError path="rule" form={form} tr={tr} exact />
        <FieldError path="rule.conditions" form={form} tr={tr} exact />
      </FormSection>
      <AudienceBox audience={audience} complete={rule !== null} tr={tr} />
      {draft.id && (
        <div class="danger-row">
          {confirmDelete ? (
            <>
              <span>{tr.t('console.segments.deleteConfirm')}</span>
              <button type="button" class="btn btn--danger btn--small" data-testid="segment-delete-confirm" onClick={() => void onDelete()}>
                {tr.t('console.broadcasts.delete')}
              </button>
              <button type="button" class="btn btn--quiet btn--small" onClick={() => setConfirmDelete(false)}>
                {tr.t('console.form.cancel')}
              </button>
            </>
          ) : (
            <button type="button" class="btn btn--quiet btn--small" data-testid="segment-delete" onClick={() => setConfirmDelete(true)}>
              {tr.t('console.broadcasts.delete')}
            </button>
          )}
          {deleteError && (
            <span class="field__error" role="alert">
              {deleteError}
            </span>
          )}
        </div>
      )}
      <FormActions status={status} saving={saving} tr={tr} testIds={{ status: 'segment-form-status', cancel: 'segment-cancel', save: 'segment-save' }} onCancel={onDone} />
    </form>
  );
}

function ConditionRow({
  c,
  index: i,
  form,
  tr,
  canRemove,
  onChange,
  onRemove,
}: {
  c: ConditionDraft;
  index: number;
  form: FormErrors;
  tr: Translator;
  canRemove: boolean;
  onChange: (change: Partial<ConditionDraft>) => void;
  onRemove: () => void;
}) {
  const id = `segment-c${i}`;
  const ops = c.subject === 'tag' ? TAG_OPS : ATTRIBUTE_OPS;
  const namePath = `rule.conditions.${i}.${c.subject === 'tag' ? 'tag' : 'attribute'}`;
  const valuePath = `rule.conditions.${i}.${c.op === 'in' ? 'values' : 'value'}`;
  return (
    <li class="rule-row" data-testid="segment-condition" data-index={i}>
      <div class="rule-row__fields">
        <div class="field">
          <label for={`${id}-subject`}>{tr.t('console.segments.subject')}</label>
          <select
            id={`${id}-subject`}
            data-testid="segment-condition-subject"
            value={c.subject}
            onChange={(e) => {
              const subject = (e.currentTarget as HTMLSelectElement).value as 'attribute' | 'tag';
              onChange({ subject, op: subject === 'tag' ? 'has' : 'eq' });
            }}
          >
            <option value="tag">{tr.t('console.segments.subjectTag')}</option>
            <option value="attribute">{tr.t('console.segments.subjectAttribute')}</option>
          </select>
        </div>
        <div class="field">
          <label for={`${id}-name`}>{c.subject === 'tag' ? tr.t('console.segments.tag') : tr.t('console.segments.attribute')}</label>
          <input
            id={`${id}-name`}
            data-testid="segment-condition-name"
            value={c.name}
            placeholder={c.subject === 'tag' ? 'bought:earrings' : 'tier'}
            aria-invalid={form.errors[namePath] || form.problems[namePath] ? 'true' : undefined}
            onInput={(e) => onChange({ name: (e.currentTarget as HTMLInputElement).value })}
          />
          <FieldError path={namePath} form={form} tr={tr} />
        </div>
        <div class="field">
          <label for={`${id}-op`}>{tr.t('console.segments.operator')}</label>
          <select id={`${id}-op`} data-testid="segment-condition-op" value={c.op} onChange={(e) => onChange({ op: (e.currentTarget as HTMLSelectElement).value as ConditionOp })}>
            {ops.map((op) => (
              <option key={op} value={op}>
                {tr.t(`console.segments.op.${op}`)}
              </option>
            ))}
          </select>
        </div>
        {takesValue(c.op) && (
          <div class="field">
            <label for={`${id}-value`}>{c.op === 'in' ? tr.t('console.segments.values') : tr.t('console.segments.value')}</label>
            <input
              id={`${id}-value`}
              data-testid="segment-condition-value"
              value={c.value}
              inputMode={c.op === 'gte' || c.op === 'lte' ? 'decimal' : undefined}
              placeholder={c.op === 'in' ? 'gold, platinum' : c.op === 'gte' || c.op === 'lte' ? '1000' : 'gold'}
              aria-invalid={form.errors[valuePath] || form.problems[valuePath] ? 'true' : undefined}
              onInput={(e) => onChange({ value: (e.currentTarget as HTMLInputElement).value })}
            />
            <FieldError path={valuePath} form={form} tr={tr} />
          </div>
        )}
      </div>
      {canRemove && (
        <button type="button" class="btn btn--quiet btn--tiny" data-testid="segment-condition-remove" aria-label={tr.t('console.segments.removeCondition', { n: i + 1 })} onClick={onRemove}>
          {tr.t('console.form.remove')}
        </button>
      )}
      <FieldError path={`rule.conditions.${i}`} form={form} tr={tr} exact />
    </li>
  );
}

/** The live audience of the rule: size and a few sample customers. */
export function AudienceBox({ audience, complete, tr }: { audience: AudienceState; complete: boolean; tr: Translator }) {
  return (
    <div class="audience" aria-live="polite" data-testid="segment-audience" data-loading={audience.loading ? 'true' : 'false'} data-size={audience.size ?? undefined}>
      {!complete ? (
        <p class="muted">{tr.t('console.segments.incomplete')}</p>
      ) : audience.error ? (
        <p class="form-error">{errorText(audience.error, tr)}</p>
      ) : audience.size === null ? (
        <p class="muted">{tr.t('console.segments.counting')}</p>
      ) : (
        <>
          <p class="audience__size" data-testid="segment-audience-size">
            {tr.t('console.segments.audience', { count: audience.size })}
          </p>
          {audience.sample.length > 0 && (
            <ul class="audience__sample" aria-label={tr.t('console.segments.sample')} data-testid="segment-audience-sample">
              {audience.sample.map((c) => (
                <li key={c.id} data-testid="segment-sample-customer" data-customer-id={c.id}>
                  {customerLabel(c, tr)}
                  {c.tags.length > 0 && <span class="muted"> · {c.tags.slice(0, 4).join(', ')}</span>}
                </li>
              ))}
            </ul>
          )}
        </>
      )}
    </div>
  );
}
