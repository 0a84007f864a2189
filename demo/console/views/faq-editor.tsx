/**
 * The FAQ editor on the assistant page: the shop's entries (question and answer in zh-CN and en,
 * keywords as chips), add / edit in one form, delete with an inline confirmation. Counts against
 * `LIMITS.faq*`; errors sit next to their fields. FAQ text is rendered as text only.
 */
import { useEffect, useState } from 'preact/hooks';
import { LIMITS, type FaqEntry, type Translator } from '../../../src/index.js';
import { addKeyword, checkFaqDraft, emptyFaqDraft, faqDraft, FAQ_LOCALES, type FaqDraft, type FaqLocale } from '../lib/assistant-form.js';
import { at } from '../lib/assistant-strings.js';
import { errorText } from '../lib/errors.js';
import { shortWhen } from '../lib/labels.js';
import { useStore } from '../lib/use-store.js';
import { codeOf } from '../stores/rest.js';
import { $faq, removeFaq, saveFaq } from '../stores/assistant.js';
import { FieldError, FormActions, useDraftSubmit } from './form-fields.js';

type Editing = { id: string | null; draft: FaqDraft } | null;

export function FaqEditor({ tr }: { tr: Translator }) {
  const faq = useStore($faq);
  const [editing, setEditing] = useState<Editing>(null);
  const [notice, setNotice] = useState<string | null>(null);
  // The entry just saved: shown where it sits in the list.
  const [saved, setSaved] = useState<string | null>(null);
  useEffect(() => {
    if (!saved) return;
    document.querySelector(`[data-testid="faq-row"][data-faq-id="${CSS.escape(saved)}"]`)?.scrollIntoView({ block: 'nearest' });
  }, [saved]);
  const count = faq.data.length;
  const full = count >= LIMITS.faqEntriesMax;
  return (
    <section class="card faq" aria-labelledby="faq-title" data-testid="faq-editor">
      <div class="page__head">
        <h2 id="faq-title" class="card__title">
          {at(tr, 'faq.title')}{' '}
          {faq.loaded && (
            <span class="faq__count" data-testid="faq-count">
              {at(tr, 'faq.count', { count, max: LIMITS.faqEntriesMax })}
            </span>
          )}
        </h2>
        {!editing && (
          <button
            type="button"
            class="btn btn--primary btn--small"
            data-testid="faq-add"
            disabled={full || !faq.loaded}
            onClick={() => {
              setNotice(null);
              setEditing({ id: null, draft: emptyFaqDraft() });
            }}
          >
            {at(tr, 'faq.add')}
          </button>
        )}
      </div>
      {full && <p class="field__hint">{at(tr, 'faq.full', { max: LIMITS.faqEntriesMax })}</p>}
      {faq.error && (
        <p class="form-error" role="alert">
          {errorText(faq.error, tr)}
        </p>
      )}
      {notice && (
        <p class="editor__status editor__status--saved" role="status" data-testid="faq-notice">
          {notice}
        </p>
      )}
      {editing && editing.id === null && (
        <FaqForm
          key="new"
          tr={tr}
          editing={editing}
          onChange={setEditing}
          onDone={(text, id) => {
            setEditing(null);
            setNotice(text);
            setSaved(id);
          }}
        />
      )}
      {faq.loaded && count === 0 && !editing && <p class="page__empty">{at(tr, 'faq.empty')}</p>}
      {count > 0 && (
        <ul class="list faq__list" data-testid="faq-list">
          {faq.data.map((e) =>
            editing && editing.id === e.id ? (
              <li key={e.id} class="faq__item faq__item--editing" data-testid="faq-row" data-faq-id={e.id}>
                <FaqForm
                  tr={tr}
                  editing={editing}
                  onChange={setEditing}
                  onDone={(text, savedId) => {
                    setEditing(null);
                    setNotice(text);
                    setSaved(savedId);
                  }}
                />
              </li>
            ) : (
              <FaqRow
                key={e.id}
                entry={e}
                fresh={e.id === saved}
                tr={tr}
                busy={editing !== null}
                onEdit={() => {
                  setNotice(null);
                  setEditing({ id: e.id, draft: faqDraft(e) });
                }}
                onDeleted={() => setNotice(at(tr, 'faq.deleted'))}
              />
            ),
          )}
        </ul>
      )}
    </section>
  );
}

function FaqRow({ entry, fresh, tr, busy, onEdit, onDeleted }: { entry: FaqEntry; fresh: boolean; tr: Translator; busy: boolean; onEdit: () => void; onDeleted: () => void }) {
  const [confirm, setConfirm] = useState(false);
  const [deleting, setDeleting] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const del = async () => {
    setDeleting(true);
    setError(null);
    try {
      await removeFaq(entry.id);
      onDeleted();
    } catch (e) {
      setError(errorText(codeOf(e), tr));
      setDeleting(false);
    }
  };
  return (
    <li class={`faq__item${fresh ? ' faq__item--fresh' : ''}`} data-testid="faq-row" data-faq-id={entry.id}>
      <div class="faq__cols">
        {FAQ_LOCALES.map((l) => (
          <div key={l} class="faq__col" lang={l}>
            <p class="faq__question" data-testid={`faq-row-question-${l}`}>
              {entry.question[l] ?? ''}
            </p>
            <p class="faq__answer" data-testid={`faq-row-answer-${l}`}>
              {entry.answer[l] ?? ''}
            </p>
          </div>
        ))}
      </div>
      {entry.keywords.length > 0 && (
        <ul class="chips" data-testid="faq-keywords" aria-label={at(tr, 'faq.keywords')}>
          {entry.keywords.map((k) => (
            <li key={k} class="chip chip--static" data-testid="faq-keyword">
              {k}
            </li>
          ))}
        </ul>
      )}
      <div class="faq__actions">
        {entry.updatedAt && <span class="field__hint">{at(tr, 'faq.updated', { when: shortWhen(entry.updatedAt, tr) })}</span>}
        {confirm ? (
          <span class="confirm" role="group" aria-label={at(tr, 'faq.delete')}>
            <span>{at(tr, 'faq.deleteConfirm')}</span>
            <button type="button" class="btn btn--danger btn--small" data-testid="faq-delete-confirm" disabled={deleting} onClick={() => void del()}>
              {at(tr, 'faq.delete')}
            </button>
            <button type="button" class="btn btn--quiet btn--small" onClick={() => setConfirm(false)}>
              {tr.t('console.form.cancel')}
            </button>
          </span>
        ) : (
          <>
            <button type="button" class="btn btn--quiet btn--small" data-testid="faq-edit" disabled={busy} onClick={onEdit}>
              {at(tr, 'faq.edit')}
            </button>
            <button type="button" class="btn btn--quiet btn--small" data-testid="faq-delete" disabled={busy} onClick={() => setConfirm(true)}>
              {at(tr, 'faq.delete')}
            </button>
          </>
        )}
      </div>
      {error && (
        <p class="field__error" role="alert">
          {error}
        </p>
      )}
    </li>
  );
}

function FaqForm({ tr, editing, onChange, onDone }: { tr: Translator; editing: NonNullable<Editing>; onChange: (e: Editing) => void; onDone: (text: string, id: string) => void }) {
  const { form: checked, saving, status, submit } = useDraftSubmit(tr);
  // A field edited since the last save attempt no longer shows that attempt's error.
  const [edited, setEdited] = useState<ReadonlySet<string>>(new Set());
  const touch = (...paths: string[]) => {
    if (paths.some((p) => !edited.has(p))) setEdited(new Set([...edited, ...paths]));
  };
  const form = {
    problems: checked.problems,
    errors: Object.fromEntries(Object.entries(checked.errors).filter(([k]) => !edited.has(k) && !edited.has(k.split('.')[0]))),
  };
  let savedId = '';
  const [keywordError, setKeywordError] = useState<string | null>(null);
  const { draft, id } = editing;
  const set = (next: FaqDraft) => onChange({ id, draft: next });
  const prefix = id ? `faq-${id}` : 'faq-new';
  const onSubmit = (e: Event) => {
    setEdited(new Set());
    return submit(e, {
      check: () => {
        const r = checkFaqDraft(draft, tr);
        return r.ok ? r : { ok: false, errors: r.errors, problems: {} };
      },
      save: async (value) => {
        savedId = (await saveFaq(id, value)).id;
        return at(tr, 'faq.saved');
      },
      done: () => onDone(at(tr, 'faq.saved'), savedId),
      serverFieldErrors: true,
    });
  };
  const text = (field: 'question' | 'answer', l: FaqLocale) => {
    const path = `${field}.${l}`;
    const domId = `${prefix}-${field}-${l}`;
    const max = field === 'question' ? LIMITS.faqQuestionMaxLength : LIMITS.faqAnswerMaxLength;
    const value = draft[field][l];
    const invalid = form.errors[path] !== undefined || (field in form.errors && l === 'zh-CN');
    const label = at(tr, `faq.${field}${l === 'en' ? 'En' : 'Zh'}`);
    const onInput = (v: string) => {
      // "Write it in at least one language" goes with either language.
      touch(path, field);
      set({ ...draft, [field]: { ...draft[field], [l]: v } });
    };
    const common = {
      id: domId,
      value,
      lang: l,
      'aria-invalid': invalid ? ('true' as const) : undefined,
      'aria-describedby': `${domId}-count${invalid ? ` ${domId}-error` : ''}`,
      'data-testid': `faq-${field}-${l}`,
    };
    return (
      <div class="field">
        <label for={domId}>{label}</label>
        {field === 'question' ? (
          <input {...common} type="text" onInput={(e) => onInput((e.currentTarget as HTMLInputElement).value)} />
        ) : (
          <textarea {...common} rows={4} onInput={(e) => onInput((e.currentTarget as HTMLTextAreaElement).value)} />
        )}
        <span id={`${domId}-count`} class={`field__hint${value.length > max ? ' field__hint--over' : ''}`}>
          {at(tr, 'faq.chars', { count: value.length, max })}
        </span>
        <FieldError path={path} form={form} tr={tr} id={`${domId}-error`} exact />
        {l === 'zh-CN' && <FieldError path={field} form={form} tr={tr} exact />}
      </div>
    );
  };
  const add = () => {
    const r = addKeyword(draft, tr);
    setKeywordError(r.error);
    if (!r.error) {
      touch('keywords');
      set(r.draft);
    }
  };
  const kwId = `${prefix}-keyword`;
  return (
    <form class="editor faq__form" data-testid="faq-form" data-faq-id={id ?? ''} onSubmit={(e) => void onSubmit(e)} noValidate>
      <h3 class="editor__title">{id ? at(tr, 'faq.editing') : at(tr, 'faq.new')}</h3>
      <div class="grid2">
        {text('question', 'zh-CN')}
        {text('question', 'en')}
        {text('answer', 'zh-CN')}
        {text('answer', 'en')}
      </div>
      <div class="field">
        <label for={kwId}>{at(tr, 'faq.keywords')}</label>
        {draft.keywords.length > 0 && (
          <ul class="chips" data-testid="faq-form-keywords">
            {draft.keywords.map((k) => (
              <li key={k} class="chip" data-testid="faq-form-keyword">
                <span>{k}</span>
                <button
                  type="button"
                  class="chip__remove"
                  aria-label={at(tr, 'faq.keywordRemove', { keyword: k })}
                  onClick={() => set({ ...draft, keywords: draft.keywords.filter((x) => x !== k) })}
                >
                  ×
                </button>
              </li>
            ))}
          </ul>
        )}
        <div class="inline-form">
          <input
            id={kwId}
            data-testid="faq-keyword-input"
            value={draft.keyword}
            maxLength={LIMITS.faqKeywordMaxLength + 10}
            aria-invalid={keywordError || form.errors.keywords ? 'true' : undefined}
            aria-describedby={`${kwId}-hint`}
            onInput={(e) => {
              setKeywordError(null);
              set({ ...draft, keyword: (e.currentTarget as HTMLInputElement).value });
            }}
            onKeyDown={(e) => {
              if (e.key === 'Enter' && !e.isComposing && e.keyCode !== 229) {
                e.preventDefault();
                add();
              }
            }}
          />
          <button type="button" class="btn btn--quiet btn--small" data-testid="faq-keyword-add" onClick={add}>
            {at(tr, 'faq.keywordAdd')}
          </button>
        </div>
        <span id={`${kwId}-hint`} class="field__hint">
          {at(tr, 'faq.keywordsHint', { count: draft.keywords.length, max: LIMITS.faqKeywordsMax })}
        </span>
        {keywordError && (
          <span class="field__error" role="alert" data-testid="field-error" data-field="keyword">
            {keywordError}
          </span>
        )}
        <FieldError path="keywords" form={form} tr={tr} />
      </div>
      <FormActions status={status} saving={saving} tr={tr} testIds={{ status: 'faq-form-status', save: 'faq-save', cancel: 'faq-cancel' }} onCancel={() => onChange(null)} />
    </form>
  );
}
