/**
 * Client-side form validation with the protocol's own schemas (the server runs the same ones):
 * every issue, keyed by its dotted path (`title.en`, `variants.0.stock`), first message per path.
 */
import * as v from 'valibot';

/** Messages by field path; empty when valid. */
export type FieldErrors = Record<string, string>;

export type Checked<T> = { ok: true; value: T } | { ok: false; errors: FieldErrors };

export function check<S extends v.GenericSchema>(schema: S, input: unknown): Checked<v.InferOutput<S>> {
  const result = v.safeParse(schema, input);
  if (result.success) return { ok: true, value: result.output };
  const errors: FieldErrors = {};
  for (const issue of result.issues) {
    const path = v.getDotPath(issue) ?? '';
    if (!(path in errors)) errors[path] = issue.message;
  }
  return { ok: false, errors };
}

/** The message for `path` or any field below it (`price` also reports `price.amount`). */
export function errorAt(errors: FieldErrors, path: string): string | null {
  if (errors[path]) return errors[path];
  const below = Object.keys(errors).find((k) => k.startsWith(`${path}.`));
  return below ? errors[below] : null;
}
