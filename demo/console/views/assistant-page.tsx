/**
 * The assistant page (`#/assistant`): the shop's assistant on/off and provider (the embedded one,
 * or an OpenAI-compatible endpoint with a write-only API key), a "Try it" box asking the configured
 * provider, and the FAQ editor. Untrusted text (answers, product titles, FAQ) is rendered as text.
 */
import { useEffect, useState } from 'preact/hooks';
import { LIMITS, type Translator } from '../../../src/index.js';
import { assistantDraft, checkAssistantDraft, type ApiKeyAction, type AssistantDraft } from '../lib/assistant-form.js';
import { at, reasonText } from '../lib/assistant-strings.js';
import { errorText } from '../lib/errors.js';
import { productTitle } from '../lib/product.js';
import { useStore } from '../lib/use-store.js';
import type { TryReply } from '../api-assistant.js';
import { codeOf } from '../stores/rest.js';
import { $assistantSettings, loadAssistantSettings, loadFaq, saveAssistantSettings, tryAssistant } from '../stores/assistant.js';
import { $tr } from '../stores/locale.js';
import { FaqEditor } from './faq-editor.js';
import { FieldError, FormActions, TextField, useDraftSubmit } from './form-fields.js';

export function AssistantPage() {
  const tr = useStore($tr);
  useEffect(() => {
    void loadAssistantSettings();
    void loadFaq().then(() => {
      // `#/faq` opens this page at the FAQ.
      if (/^#\/faq(?:\/|$)/.test(window.location.hash)) document.getElementById('faq-title')?.scrollIntoView({ block: 'start' });
    });
  }, []);
  return (
    <main class="page assistant" id="main" data-testid="assistant-page">
      <div class="page__head">
        <h1 class="page__title">{at(tr, 'nav.assistant')}</h1>
      </div>
      <p class="page__intro">{at(tr, 'page.intro')}</p>
      <div class="page__cols">
        <div class="page__col">
          <Settings tr={tr} />
          <TryBox tr={tr} />
        </div>
        <div class="page__col page__col--wide">
          <FaqEditor tr={tr} />
        </div>
      </div>
    </main>
  );
}

function Settings({ tr }: { tr: Translator }) {
  const remote = useStore($assistantSettings);
  const [draft, setDraft] = useState<AssistantDraft | null>(null);
  const { form, saving, status, submit } = useDraftSubmit(tr);
  useEffect(() => {
    if (remote.data && !draft) setDraft(assistantDraft(remote.data));
  }, [remote.data]);

  if (!draft || !remote.data) {
    return (
      <section class="card">
        <h2 class="card__title">{at(tr, 'settings.title')}</h2>
        <p class="page__empty">{remote.error ? errorText(remote.error, tr) : tr.t('console.load.loading')}</p>
      </section>
    );
  }
  const hasKey = remote.data.hasApiKey;
  const set = <K extends keyof AssistantDraft>(key: K, value: AssistantDraft[K]) => setDraft({ ...draft, [key]: value });
  const onSubmit = (e: Event) =>
    submit(e, {
      check: () => {
        const r = checkAssistantDraft(draft, tr);
        return r.ok ? r : { ok: false, errors: r.errors, problems: {} };
      },
      save: async (value) => {
        const saved = await saveAssistantSettings(value);
        // The key typed is forgotten at once: it is never shown back.
        setDraft(assistantDraft(saved));
        return at(tr, 'settings.saved');
      },
      serverFieldErrors: true,
    });
  const keyAction = (a: ApiKeyAction) => setDraft({ ...draft, apiKeyAction: a, apiKey: '' });
  return (
    <form class="card editor" data-testid="assistant-settings" onSubmit={(e) => void onSubmit(e)} noValidate>
      <h2 class="card__title">{at(tr, 'settings.title')}</h2>
      <label class="check">
        <input type="checkbox" data-testid="assistant-enabled" checked={draft.enabled} onChange={(e) => set('enabled', (e.currentTarget as HTMLInputElement).checked)} />
        {at(tr, 'settings.enabled')}
      </label>
      <fieldset class="form-section" data-testid="assistant-provider">
        <legend>{at(tr, 'settings.provider')}</legend>
        <label class="radio">
          <input type="radio" name="assistant-provider" value="embedded" data-testid="assistant-provider-embedded" checked={draft.provider === 'embedded'} onChange={() => set('provider', 'embedded')} />
          {at(tr, 'settings.embedded')}
        </label>
        <label class="radio">
          <input type="radio" name="assistant-provider" value="llm" data-testid="assistant-provider-llm" checked={draft.provider === 'llm'} onChange={() => set('provider', 'llm')} />
          {at(tr, 'settings.llm')}
        </label>
        <FieldError path="provider" form={form} tr={tr} exact />
      </fieldset>
      {draft.provider === 'llm' && (
        <fieldset class="form-section" data-testid="assistant-llm">
          <legend>{at(tr, 'settings.endpoint')}</legend>
          <TextField prefix="assistant" path="llm.baseUrl" label={at(tr, 'settings.baseUrl')} value={draft.baseUrl} onInput={(v) => set('baseUrl', v)} form={form} tr={tr} type="url" placeholder="http://127.0.0.1:8080/v1" hint={at(tr, 'settings.baseUrlHint')} />
          <div class="grid2">
            <TextField prefix="assistant" path="llm.model" label={at(tr, 'settings.model')} value={draft.model} onInput={(v) => set('model', v)} form={form} tr={tr} />
            <TextField
              prefix="assistant"
              path="llm.timeoutMs"
              label={at(tr, 'settings.timeout')}
              value={draft.timeoutMs}
              onInput={(v) => set('timeoutMs', v)}
              form={form}
              tr={tr}
              hint={at(tr, 'settings.timeoutHint', { min: LIMITS.llmTimeoutMinMs, max: LIMITS.llmTimeoutMaxMs })}
            />
          </div>
          <FieldError path="llm" form={form} tr={tr} exact />
          <div class="field" data-testid="assistant-api-key">
            <span class="field__label">{at(tr, 'settings.apiKey')}</span>
            <p class="field__hint" data-testid="assistant-api-key-state" data-stored={hasKey ? 'true' : 'false'}>
              {draft.apiKeyAction === 'remove' ? at(tr, 'settings.apiKeyRemoving') : hasKey ? at(tr, 'settings.apiKeyStored') : at(tr, 'settings.apiKeyNone')}
            </p>
            {draft.apiKeyAction === 'replace' ? (
              <>
                <label class="visually-hidden" for="assistant-api-key-input">
                  {at(tr, 'settings.apiKeyNew')}
                </label>
                <input
                  id="assistant-api-key-input"
                  type="password"
                  autocomplete="off"
                  data-testid="assistant-api-key-input"
                  placeholder={at(tr, 'settings.apiKeyNew')}
                  value={draft.apiKey}
                  aria-invalid={form.errors.apiKey ? 'true' : undefined}
                  aria-describedby={form.errors.apiKey ? 'assistant-apiKey-error' : undefined}
                  onInput={(e) => set('apiKey', (e.currentTarget as HTMLInputElement).value)}
                />
                <FieldError path="apiKey" form={form} tr={tr} id="assistant-apiKey-error" />
              </>
            ) : null}
            <div class="danger-row">
              {draft.apiKeyAction !== 'replace' && (
                <button type="button" class="btn btn--quiet btn--small" data-testid="assistant-api-key-replace" onClick={() => keyAction('replace')}>
                  {at(tr, 'settings.apiKeyReplace')}
                </button>
              )}
              {hasKey && draft.apiKeyAction !== 'remove' && (
                <button type="button" class="btn btn--quiet btn--small" data-testid="assistant-api-key-remove" onClick={() => keyAction('remove')}>
                  {at(tr, 'settings.apiKeyRemove')}
                </button>
              )}
              {draft.apiKeyAction !== 'keep' && (
                <button type="button" class="btn btn--quiet btn--small" data-testid="assistant-api-key-keep" onClick={() => keyAction('keep')}>
                  {hasKey ? at(tr, 'settings.apiKeyKeep') : tr.t('console.form.cancel')}
                </button>
              )}
            </div>
          </div>
        </fieldset>
      )}
      <FormActions status={status} saving={saving} tr={tr} testIds={{ status: 'assistant-settings-status', save: 'assistant-settings-save' }} />
    </form>
  );
}

function TryBox({ tr }: { tr: Translator }) {
  const [question, setQuestion] = useState('');
  const [locale, setLocale] = useState<'' | 'zh-CN' | 'en'>('');
  const [busy, setBusy] = useState(false);
  const [reply, setReply] = useState<TryReply | null>(null);
  const [error, setError] = useState<string | null>(null);
  const ask = async (e: Event) => {
    e.preventDefault();
    const q = question.trim();
    if (!q) {
      setError(at(tr, 'try.empty'));
      return;
    }
    setBusy(true);
    setError(null);
    try {
      setReply(await tryAssistant(q.slice(0, LIMITS.textMaxLength), locale || undefined));
    } catch (err) {
      setReply(null);
      setError(at(tr, 'try.failed', { reason: errorText(codeOf(err), tr) }));
    } finally {
      setBusy(false);
    }
  };
  return (
    <form class="card editor try" data-testid="assistant-try" onSubmit={(e) => void ask(e)} noValidate>
      <h2 class="card__title">{at(tr, 'try.title')}</h2>
      <p class="field__hint">{at(tr, 'try.hint')}</p>
      <div class="field">
        <label for="assistant-try-question">{at(tr, 'try.question')}</label>
        <textarea id="assistant-try-question" data-testid="assistant-try-question" rows={2} maxLength={LIMITS.textMaxLength} value={question} onInput={(e) => setQuestion((e.currentTarget as HTMLTextAreaElement).value)} />
      </div>
      <div class="try__row">
        <label class="field field--inline">
          <span>{at(tr, 'try.locale')}</span>
          <select data-testid="assistant-try-locale" value={locale} onChange={(e) => setLocale((e.currentTarget as HTMLSelectElement).value as '' | 'zh-CN' | 'en')}>
            <option value="">{at(tr, 'try.localeAuto')}</option>
            <option value="zh-CN">中文</option>
            <option value="en">English</option>
          </select>
        </label>
        <button type="submit" class="btn btn--primary" data-testid="assistant-try-ask" disabled={busy}>
          {busy ? at(tr, 'try.asking') : at(tr, 'try.ask')}
        </button>
      </div>
      {error && (
        <p class="form-error" role="alert" data-testid="assistant-try-error">
          {error}
        </p>
      )}
      {reply && (
        <div class="try__reply" data-testid="assistant-try-reply" data-source={reply.ai?.source ?? ''} data-faq-id={reply.ai?.faqId ?? ''} aria-live="polite">
          <h3 class="try__label">{at(tr, 'try.answer')}</h3>
          <p class="try__text" data-testid="assistant-try-answer">
            {reply.text}
          </p>
          {reply.products.length > 0 && (
            <>
              <h3 class="try__label">{at(tr, 'try.products')}</h3>
              <ul class="try__products" data-testid="assistant-try-products">
                {reply.products.map((p, i) => (
                  <li key={`${p.id}:${i}`} data-product-id={p.id}>
                    {productTitle(p.title, tr)} · {tr.money(p.price)}
                  </li>
                ))}
              </ul>
            </>
          )}
          {reply.handoff && (
            <p class="try__handoff" data-testid="assistant-try-handoff" data-reason={reply.handoff}>
              {at(tr, 'try.handoff', { reason: reasonText(reply.handoff, tr) })}
            </p>
          )}
          {reply.ai && (
            <p class="field__hint" data-testid="assistant-try-source">
              {at(tr, 'try.source', { source: reply.ai.source, provider: reply.ai.provider })}
              {reply.ai.fallback ? ` · ${at(tr, 'try.fallback')}` : ''}
            </p>
          )}
        </div>
      )}
    </form>
  );
}
