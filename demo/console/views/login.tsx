import { useEffect, useRef, useState } from 'preact/hooks';
import type { MessageKey } from '../../../src/index.js';
import { ApiError, type ApiErrorCode } from '../api.js';
import { useStore } from '../lib/use-store.js';
import { $tr } from '../stores/locale.js';
import { $signedOutReason, signIn } from '../stores/session.js';
import { LocaleSwitch } from './locale-switch.js';

function errorKey(code: ApiErrorCode): MessageKey {
  if (code === 'unauthorized' || code === 'forbidden' || code === 'not_found') return 'console.login.failed';
  if (code === 'network') return 'error.unavailable';
  return `error.${code}`;
}

export function LoginView() {
  const tr = useStore($tr);
  const reason = useStore($signedOutReason);
  const [error, setError] = useState<ApiErrorCode | null>(null);
  const [busy, setBusy] = useState(false);
  const emailRef = useRef<HTMLInputElement>(null);
  const passwordRef = useRef<HTMLInputElement>(null);

  useEffect(() => emailRef.current?.focus(), []);

  const onSubmit = async (event: Event) => {
    event.preventDefault();
    if (busy) return;
    const form = event.currentTarget as HTMLFormElement;
    const data = new FormData(form);
    const email = String(data.get('email') ?? '').trim();
    const password = String(data.get('password') ?? '');
    setBusy(true);
    setError(null);
    try {
      await signIn(email, password);
    } catch (e) {
      const code: ApiErrorCode = e instanceof ApiError ? e.code : 'internal';
      setError(code);
      setBusy(false);
      if (code === 'unauthorized') {
        passwordRef.current?.select();
        passwordRef.current?.focus();
      }
    }
  };

  const message = error ? tr.t(errorKey(error)) : reason === 'unauthorized' ? tr.t('error.unauthorized') : null;

  return (
    <div class="login-page">
      <header class="login-page__top">
        <span class="topbar__title">{tr.t('console.title')}</span>
        <LocaleSwitch />
      </header>
      <main class="login-page__main" id="main">
        <form class="login" data-testid="login-form" onSubmit={onSubmit} aria-labelledby="login-title">
          <h1 id="login-title" class="login__title">
            {tr.t('console.login.title')}
          </h1>
          <div class="field">
            <label for="login-email">{tr.t('console.login.email')}</label>
            <input
              ref={emailRef}
              id="login-email"
              name="email"
              type="email"
              autocomplete="username"
              required
              data-testid="login-email"
              aria-invalid={error === 'unauthorized' ? 'true' : undefined}
              aria-describedby={message ? 'login-error' : undefined}
            />
          </div>
          <div class="field">
            <label for="login-password">{tr.t('console.login.password')}</label>
            <input
              ref={passwordRef}
              id="login-password"
              name="password"
              type="password"
              autocomplete="current-password"
              required
              data-testid="login-password"
              aria-invalid={error === 'unauthorized' ? 'true' : undefined}
              aria-describedby={message ? 'login-error' : undefined}
            />
          </div>
          <div class="login__error-slot" aria-live="assertive">
            {message && (
              <p id="login-error" class="form-error" role="alert" data-testid="login-error" data-code={error ?? reason ?? undefined}>
                {message}
              </p>
            )}
          </div>
          <button type="submit" class="btn btn--primary btn--block" data-testid="login-submit" disabled={busy} aria-busy={busy}>
            {busy ? tr.t('console.login.submitting') : tr.t('console.login.submit')}
          </button>
        </form>
      </main>
    </div>
  );
}
