/**
 * Campaign templates (issue 5): `{{variable}}` placeholders rendered per recipient, with an optional
 * fallback after a pipe — `您好 {{name|朋友}}` / `Hi {{name|there}}`. The output is plain text:
 * values are inserted as they are (a customer named `<script>` stays those characters) and front
 * ends render it with text bindings only. Shared by the server (rendering per recipient) and the
 * console (preview, validation), so both agree on every template.
 */

/** Variables a template may use. */
export const TEMPLATE_VARIABLES = ['name', 'tier', 'points', 'coupon'] as const;
export type TemplateVariable = (typeof TEMPLATE_VARIABLES)[number];

/** Per-recipient values; `null`/`undefined`/blank count as missing (the fallback is used). */
export type TemplateValues = Partial<Record<TemplateVariable, string | number | null | undefined>>;

/** A problem of a template, for the console to show next to the field. */
export interface TemplateIssue {
  /** Offset of the placeholder in the template (UTF-16 code units). */
  index: number;
  message: string;
}

/** A placeholder: `{{ name }}` or `{{ name | fallback }}` (fallback: any text but `{`, `}`, at most 80 characters). */
const PLACEHOLDER = /\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*(?:\|([^{}]{0,80}))?\}\}/g;

const isVariable = (name: string): name is TemplateVariable => (TEMPLATE_VARIABLES as readonly string[]).includes(name);

/**
 * Problems of `template`: unknown variables and `{{` left unclosed. An empty list means it renders
 * as written.
 */
export function checkTemplate(template: string): TemplateIssue[] {
  const issues: TemplateIssue[] = [];
  const covered: [number, number][] = [];
  for (const m of template.matchAll(PLACEHOLDER)) {
    covered.push([m.index, m.index + m[0].length]);
    if (!isVariable(m[1])) issues.push({ index: m.index, message: `unknown variable {{${m[1]}}}: use ${TEMPLATE_VARIABLES.map((v) => `{{${v}}}`).join(', ')}` });
  }
  for (let i = template.indexOf('{{'); i !== -1; i = template.indexOf('{{', i + 2)) {
    if (!covered.some(([a, b]) => i >= a && i < b)) issues.push({ index: i, message: 'a placeholder must look like {{name}} or {{name|fallback}}' });
  }
  return issues.sort((a, b) => a.index - b.index);
}

/**
 * Renders `template` for one recipient. Numbers (points) are formatted for `locale`. A missing value
 * uses the placeholder's fallback (trimmed), else nothing. Unknown variables render their fallback,
 * else nothing — {@link checkTemplate} reports them before a campaign is saved.
 */
export function renderTemplate(template: string, values: TemplateValues, locale: string): string {
  return template.replace(PLACEHOLDER, (_all, name: string, fallback: string | undefined) => {
    const value = isVariable(name) ? values[name] : undefined;
    if (typeof value === 'number' && Number.isFinite(value)) return new Intl.NumberFormat(locale).format(value);
    if (typeof value === 'string' && value.trim() !== '') return value;
    return (fallback ?? '').trim();
  });
}

/** The variables `template` uses (to tell staff which customer attributes a campaign needs). */
export function templateVariables(template: string): TemplateVariable[] {
  const used = new Set<TemplateVariable>();
  for (const m of template.matchAll(PLACEHOLDER)) if (isVariable(m[1])) used.add(m[1]);
  return [...used];
}
