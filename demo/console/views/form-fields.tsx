/** Small form building blocks shared by the catalogue, coupon and settings forms. */
import type { ComponentChildren } from 'preact';
import type { MessageKey, Translator } from '../../../src/index.js';
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

const domId = (prefix: string, path: string): string => `${prefix}-${path.replace(/[^a-zA-Z0-9_-]/g, '-')}`;

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
}: {
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
}) {
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
