/**
 * The built artefacts as a shop embeds them: `<script src="SERVER/vitrine.js" data-shop async>` served
 * by the reference server from dist/, on a page whose CSP forbids inline styles. Skipped when
 * dist/ is not built (`npm run build`; `npm test` builds before running wtr).
 */
import type { VitrineChat } from './chat/vitrine-chat.component.js';
import { deepEqual, describe, equal, it, vitrineServer, waitFor } from './test-utils.js';

describe('dist/vitrine.js from the server', () => {
  it('loads the built widget on click under a CSP without inline styles', async function () {
    const info = await vitrineServer();
    const probe = await fetch(`${info.url}/vitrine.js`).catch(() => null);
    if (!probe?.ok || !(await fetch(`${info.url}/widget/vitrine-widget.js`)).ok) {
      this.skip();
      return;
    }
    localStorage.clear();
    const violations: string[] = [];
    document.addEventListener('securitypolicyviolation', (e) => violations.push(`${e.violatedDirective} ${e.sample}`));
    const csp = document.createElement('meta');
    csp.httpEquiv = 'Content-Security-Policy';
    csp.content = "style-src 'none'; style-src-attr 'none'";
    document.head.append(csp);

    const script = document.createElement('script');
    script.src = `${info.url}/vitrine.js`;
    script.async = true;
    script.dataset.shop = info.shop;
    script.dataset.locale = 'zh-CN';
    const loaded = new Promise((resolve, reject) => {
      script.onload = resolve;
      script.onerror = reject;
    });
    document.head.append(script);
    await loaded;
    const button = await waitFor(() => document.querySelector('vitrine-loader')?.shadowRoot?.querySelector('button'), 'launcher');
    equal(button.getAttribute('aria-label'), '联系客服');
    equal(localStorage.length, 0, 'no storage before the click');
    button.click();
    const chat = (await waitFor(() => document.querySelector('vitrine-chat') as VitrineChat | null, 'widget mounted')) as VitrineChat;
    await waitFor(() => chat.open, 'open');
    await waitFor(() => chat.activeClient?.$connection.get() === 'online', 'online through the server origin');
    equal(chat.server, info.url, 'server defaults to the origin of the script');
    deepEqual(violations, [], 'no CSP violations');
    (window as unknown as { Vitrine(cmd: string): void }).Vitrine('destroy');
  });
});
