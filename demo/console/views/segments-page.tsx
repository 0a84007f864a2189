/** The segments page (`#/segments`): the shop's saved audiences with their live sizes; create, edit, delete. */
import { useEffect, useState } from 'preact/hooks';
import type { Segment, Translator } from '../../../src/index.js';
import type { SegmentCondition, SegmentRule } from '../lib/broadcast-core.js';
import { errorText } from '../lib/errors.js';
import { emptySegmentDraft, segmentDraft, type SegmentDraft } from '../lib/segment-form.js';
import { useStore } from '../lib/use-store.js';
import { $segments, loadSegments } from '../stores/broadcasts.js';
import { $tr } from '../stores/locale.js';
import { SegmentForm } from './segment-form.js';

type Editing = { key: number; draft: SegmentDraft } | null;
let editKey = 0;

function conditionText(c: SegmentCondition, tr: Translator): string {
  const op = tr.t(`console.segments.op.${c.op}`);
  if ('tag' in c) return `${tr.t('console.segments.subjectTag')} ${op} ${c.tag}`;
  if ('values' in c) return `${c.attribute} ${op} ${c.values.join(', ')}`;
  if ('value' in c) return `${c.attribute} ${op} ${c.value}`;
  return `${c.attribute} ${op}`;
}

/** "tag has bought:earrings · and · tier = gold". */
export function ruleText(rule: SegmentRule, tr: Translator): string {
  const joiner = ` ${tr.t(rule.match === 'all' ? 'console.segments.and' : 'console.segments.or')} `;
  return rule.conditions.map((c) => conditionText(c, tr)).join(joiner);
}

export function SegmentsPage() {
  const tr = useStore($tr);
  const segments = useStore($segments);
  const [editing, setEditing] = useState<Editing>(null);
  useEffect(() => {
    void loadSegments();
    // Sizes change as customers come and get tagged: keep them current while the page is open.
    const timer = setInterval(() => {
      if (document.visibilityState === 'visible') void loadSegments();
    }, 15_000);
    return () => clearInterval(timer);
  }, []);
  const edit = (s: Segment | null) => setEditing({ key: ++editKey, draft: s ? segmentDraft(s) : emptySegmentDraft() });

  return (
    <main class="page segments" id="main" data-testid="segments-page">
      <div class="page__head">
        <h1 class="page__title">{tr.t('console.nav.segments')}</h1>
        <div class="page__actions">
          <button type="button" class="btn btn--quiet" data-testid="segments-refresh" onClick={() => void loadSegments()}>
            {tr.t('console.reservations.refresh')}
          </button>
          <button type="button" class="btn btn--primary" data-testid="segment-new" onClick={() => edit(null)}>
            {tr.t('console.segments.new')}
          </button>
        </div>
      </div>
      <p class="page__intro">{tr.t('console.segments.intro')}</p>
      {editing && (
        <div class="card">
          <SegmentForm
            key={editing.key}
            initial={editing.draft}
            tr={tr}
            onDone={() => {
              setEditing(null);
              void loadSegments();
            }}
          />
        </div>
      )}
      <section class="card" aria-labelledby="segments-title">
        <h2 id="segments-title" class="card__title">
          {tr.t('console.segments.all')}
        </h2>
        {segments.error && (
          <p class="form-error" role="alert" data-testid="segments-error">
            {errorText(segments.error, tr)}
          </p>
        )}
        {segments.loaded && segments.data.length === 0 && <p class="page__empty">{tr.t('console.segments.empty')}</p>}
        {segments.data.length > 0 && (
          <table class="table" data-testid="segment-table">
            <thead>
              <tr>
                <th>{tr.t('console.segments.name')}</th>
                <th>{tr.t('console.segments.rule')}</th>
                <th>{tr.t('console.segments.size')}</th>
                <th>
                  <span class="visually-hidden">{tr.t('console.coupons.editCol')}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {segments.data.map((s) => (
                <tr key={s.id} data-testid="segment-row" data-segment-id={s.id}>
                  <td data-testid="segment-row-name">{s.name}</td>
                  <td class="muted">{ruleText(s.rule, tr)}</td>
                  <td data-testid="segment-row-size">{s.size}</td>
                  <td>
                    <button type="button" class="btn btn--quiet btn--tiny" data-testid="segment-edit" onClick={() => edit(s)}>
                      {tr.t('console.quickReplies.edit')}
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </main>
  );
}
