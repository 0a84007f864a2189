/** Small form building blocks shared by the catalogue, coupon and settings forms. */
import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import type { MessageKey, Translator } from '../../../src/index.js';
import { ApiError } from '../api.js';
import { errorAt, type FieldErrors } from '../lib/form-errors.js';

/** Field errors of a form: schema messages, overridden by the form's own (localized) problems. */
export interface FormErrors {
  errors: FieldErrors;
  problems: Record<string, MessageKey>;
}

export const noErrors: FormErrors = { errors: {}, problems: {} };

/** The message for `path` (or a field below it), localized when the form found it itself. */
export function messageAt(form: FormErrors, path: string, tr: Translator, exact = false): string | null {
  const own = form.problems[path] ?? (exact ? undefined : Object.entries(form.problems).find(([k]) => k.startsWith(`${path}.`))?.[1]);
  if (own) return tr.t(own);
  return exact ? form.errors[path] ?? null : errorAt(form.errors, path);
}

/** The error of `path` (and, unless `exact`, of the fields below it). */
export function FieldError({ path, form, tr, id, exact = false }: { path: string; form: FormErrors; tr: Translator; id?: string; exact?: boolean }) {
  const message = messageAt(form, path, tr, exact);
  if (!message) return null;
  return (
    <span class="field__error" id={id} role="alert" data-testid="field-error" data-field={path}>
      {message}
    </span>
  );
}

/** What a form's own check of its draft found: the value to save, or field errors and localized problems. */
export type DraftCheck<V> = { ok: true; value: V } | { ok: false; errors: FieldErrors; problems: Record<string, MessageKey> };

/** The line beside a form's buttons after a save (or a failed one). */
export interface FormStatus {
  kind: 'saved' | 'error';
  text: string;
}

/**
 * The submit cycle of a draft form: check the draft (field errors and "fix the fields" on failure),
 * save it (the button shows "saving"), then a saved or failed status line.
 * With `serverFieldErrors`, an `invalid_payload` refusal that names its field ("price.amount: must be …")
 * marks that field too.
 */
export function useDraftSubmit(tr: Translator) {
  const [form, setForm] = useState<FormErrors>(noErrors);
  const [saving, setSaving] = useState(false);
  const [status, setStatus] = useState<FormStatus | null>(null);
  const submit = async <V,>(
    e: Event,
    {
      check,
      save,
      done,
      serverFieldErrors = false,
    }: { check: () => DraftCheck<V>; save: (value: V) => Promise<string>; done?: (value: V) => void; serverFieldErrors?: boolean },
  ): Promise<void> => {
    e.preventDefault();
    setStatus(null);
    const result = check();
    if (!result.ok) {
      setForm({ errors: result.errors, problems: result.problems });
      setStatus({ kind: 'error', text: tr.t('console.form.fix') });
      return;
    }
    setForm(noErrors);
    setSaving(true);
    try {
      const saved = await save(result.value);
      setStatus({ kind: 'saved', text: saved });
      done?.(result.value);
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      const m = /^([\w.]+): (.*)$/.exec(message);
      if (serverFieldErrors && err instanceof ApiError && err.code === 'invalid_payload' && m) setForm({ errors: { [m[1]]: m[2] }, problems: {} });
      setStatus({ kind: 'error', text: tr.t('console.form.saveFailed', { reason: message }) });
    } finally {
      setSaving(false);
    }
  };
  return { form, saving, status, submit };
}

/** The status line and the Cancel (when `onCancel` is given) and Save buttons under a form, with the form's own test ids. */
export function FormActions({
  status,
  saving,
  tr,
  testIds,
  onCancel,
}: {
  status: FormStatus | null;
  saving: boolean;
  tr: Translator;
  testIds: { status: string; save: string; cancel?: string };
  onCancel?: () => void;
}) {
  return (
    <div class="editor__actions">
      {status && (
        <p class={`editor__status editor__status--${status.kind}`} role="status" data-testid={testIds.status} data-state={status.kind}>
          {status.text}
        </p>
      )}
      {onCancel && (
        <button type="button" class="btn btn--quiet" data-testid={testIds.cancel} onClick={onCancel}>
          {tr.t('console.form.cancel')}
        </button>
      )}
      <button type="submit" class="btn btn--primary" data-testid={testIds.save} disabled={saving}>
        {saving ? tr.t('console.form.saving') : tr.t('console.form.save')}
      </button>
    </div>
  );
}

const domId = (prefix: string, path: string): string => `${prefix}-${path.replace(/[^a-zA-Z0-9_-]/g, '-')}`;

type TextFieldProps = {
  prefix: string;
  path: string;
  label: string;
  value: string;
  onInput: (value: string) => void;
  form: FormErrors;
  tr: Translator;
  type?: 'text' | 'date' | 'url';
  placeholder?: string;
  multiline?: boolean;
  testId?: string;
  hint?: string;
};

/** `field(path, label, value, onInput, extra)`: a `TextField` of one form (its id prefix, errors and translator). */
export function textFields(prefix: string, form: FormErrors, tr: Translator) {
  return (path: string, label: string, value: string, onInput: (v: string) => void, extra: Pick<TextFieldProps, 'type' | 'placeholder' | 'multiline' | 'hint'> = {}) => (
    <TextField prefix={prefix} path={path} label={label} value={value} onInput={onInput} form={form} tr={tr} {...extra} />
  );
}

/** A labelled text input bound to one field path. */
export function TextField({
  prefix,
  path,
  label,
  value,
  onInput,
  form,
  tr,
  type = 'text',
  placeholder,
  multiline = false,
  testId,
  hint,
}: TextFieldProps) {
  const id = domId(prefix, path);
  const invalid = messageAt(form, path, tr) !== null;
  const common = {
    id,
    value,
    placeholder,
    'aria-invalid': invalid ? ('true' as const) : undefined,
    'aria-describedby': invalid ? `${id}-error` : undefined,
    'data-testid': testId ?? `${prefix}-${path.replace(/\./g, '-')}`,
  };
  return (
    <div class="field">
      <label for={id}>{label}</label>
      {multiline ? (
        <textarea {...common} rows={3} onInput={(e) => onInput((e.currentTarget as HTMLTextAreaElement).value)} />
      ) : (
        <input {...common} type={type as 'text'} onInput={(e) => onInput((e.currentTarget as HTMLInputElement).value)} />
      )}
      {hint && <span class="field__hint">{hint}</span>}
      <FieldError path={path} form={form} tr={tr} id={`${id}-error`} />
    </div>
  );
}

export function FormSection({ title, children }: { title: string; children: ComponentChildren }) {
  return (
    <fieldset class="form-section">
      <legend>{title}</legend>
      {children}
    </fieldset>
  );
}
