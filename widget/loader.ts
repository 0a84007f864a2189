/**
 * `vitrine.js`: the script tag a shop pastes.
 *
 *   <script src="https://SERVER/vitrine.js" data-shop="SHOP_ID" async></script>
 *
 * Optional: data-locale (default: the page's <html lang>, then the browser), data-theme (light|dark|auto), data-position (right|left), data-server
 * (chat server; default: origin of the script), data-shop-name, data-widget (URL of the widget
 * module; default: widget/vitrine-widget.js next to this script).
 *
 * It draws a launcher and installs `window.Vitrine(command, ...args)`. It writes no storage and,
 * for a new visitor, opens no connection until the visitor clicks the launcher or the shop calls
 * `Vitrine('open')`; then it imports the widget, which takes over with `<vitrine-chat>`. A
 * returning customer (a stored session: they opened the chat before) is reconnected at once with
 * the panel closed, so the launcher badge shows staff replies and feed items that arrived
 * meanwhile — unless the tag says `data-connect="open"`. Messages an earlier page left unsent (the
 * `outbox` key) always load the widget at once so they are delivered.
 * Any element with `data-vitrine-ask="<product id>"` asks about that product when clicked (one
 * delegated listener on the document).
 * Imports nothing: it must stay under 2 KiB gzip.
 */

interface Chat extends HTMLElement {
  identity: unknown;
  resume(): void;
  show(o?: { focus?: boolean }): void;
  hide(): void;
  toggle(o?: { focus?: boolean }): void;
  askAbout(subject: unknown, o?: { focus?: boolean }): void;
}
type Api = ((command: string, ...args: unknown[]) => void) & { q?: ArrayLike<unknown>[]; l?: number };

const w = window as unknown as { Vitrine?: Api };
const d = document;
const previous = w.Vitrine;
const script = (d.currentScript || d.querySelector('script[data-shop]')) as HTMLScriptElement | null;

if (!previous?.l && script?.dataset.shop) {
  const data = script.dataset;
  // No data-locale: follow the page's <html lang>, then the browser.
  const locale = data.locale || d.documentElement.lang || undefined;
  const src = new URL(script.src || location.href, location.href);
  const server = data.server || src.origin;
  const widgetUrl = data.widget || new URL('widget/vitrine-widget.js', src).href;
  const listeners: [string, (detail: unknown) => void][] = [];
  const after: ((el: Chat) => void)[] = [];
  let identity: unknown;
  let chat: Chat | undefined;
  let loading: Promise<Chat> | undefined;

  // The launcher: own shadow root, constructed stylesheet (no style attributes: strict CSP works).
  const host = d.createElement('vitrine-loader');
  const root = host.attachShadow({ mode: 'open' });
  const sheet = new CSSStyleSheet();
  const dark = 'background:var(--vitrine-color-primary,#f06292);color:var(--vitrine-color-on-primary,#1d1b1c)';
  sheet.replaceSync(
    `button{position:fixed;bottom:var(--vitrine-offset,20px);right:var(--vitrine-offset,20px);z-index:var(--vitrine-z-index,2147483000);display:grid;place-items:center;padding:0;width:var(--vitrine-launcher-size,56px);height:var(--vitrine-launcher-size,56px);border:0;border-radius:50%;background:var(--vitrine-color-primary,#b4235a);color:var(--vitrine-color-on-primary,#fff);box-shadow:var(--vitrine-shadow,0 12px 40px rgba(0,0,0,.18));cursor:pointer}` +
      `:host([data-position=left]) button{right:auto;left:var(--vitrine-offset,20px)}:host([data-theme=dark]) button{${dark}}` +
      `@media(prefers-color-scheme:dark){:host(:not([data-theme=light])) button{${dark}}}` +
      `button:focus-visible{outline:3px solid var(--vitrine-color-focus,#1a73e8);outline-offset:3px}[aria-busy=true]{cursor:progress;opacity:.8}svg{width:45%;height:45%;fill:currentColor}`,
  );
  root.adoptedStyleSheets = [sheet];
  if (data.position) host.dataset.position = data.position;
  if (data.theme) host.dataset.theme = data.theme;
  const button = d.createElement('button');
  button.type = 'button';
  button.setAttribute('part', 'launcher');
  button.setAttribute('aria-label', /^zh/i.test(locale || navigator.language) ? '联系客服' : 'Chat with us');
  const ns = 'http://www.w3.org/2000/svg';
  const icon = d.createElementNS(ns, 'svg');
  const path = d.createElementNS(ns, 'path');
  icon.setAttribute('viewBox', '0 0 24 24');
  icon.setAttribute('aria-hidden', 'true');
  path.setAttribute('d', 'M12 3C6.5 3 2 6.6 2 11c0 2.4 1.3 4.5 3.4 6L4.6 21l4.3-2.3c1 .3 2 .4 3.1.4 5.5 0 10-3.6 10-8S17.5 3 12 3z');
  icon.append(path);
  button.append(icon);
  root.append(button);
  const attach = () => d.body.append(host);
  if (d.body) attach();
  else d.addEventListener('DOMContentLoaded', attach);

  const load = (): Promise<Chat> =>
    (loading ||= (button.setAttribute('aria-busy', 'true'), import(/* @vite-ignore */ widgetUrl)).then(
      (mod: { mount(o: object): Chat }) => {
        if (w.Vitrine !== api) throw new Error('destroyed');
        chat = mod.mount({ server, shop: data.shop, locale, theme: data.theme, position: data.position, shopName: data.shopName, identity });
        for (const type of ['open', 'close', 'message', 'notify', 'unread-change']) {
          chat.addEventListener('vitrine-' + type, (e) => {
            for (const [name, fn] of listeners) if (name === type) fn((e as CustomEvent).detail);
          });
        }
        host.remove();
        for (const fn of after.splice(0)) fn(chat);
        return chat;
      },
      (error: unknown) => {
        loading = undefined;
        if (w.Vitrine !== api) throw error;
        button.removeAttribute('aria-busy');
        console.error('[vitrine] could not load the widget', error);
        throw error;
      },
    ));

  // Runs `fn` on the widget now, or after it loaded; `start` loads it if needed.
  const withChat = (fn: (el: Chat) => void, start?: boolean) => {
    if (chat) fn(chat);
    else if (start) load().then(fn, () => {});
    else after.push(fn);
  };

  const api: Api = (command, ...args) => {
    const [a, b] = args;
    if (command === 'open') withChat((el) => el.show(a as object), true);
    else if (command === 'toggle') withChat((el) => el.toggle(a as object), true);
    else if (command === 'askAbout') withChat((el) => el.askAbout(a, b as object), true);
    else if (command === 'close') withChat((el) => el.hide());
    else if (command === 'identify') {
      identity = a;
      withChat((el) => (el.identity = a));
    } else if (command === 'on') listeners.push([a as string, b as (detail: unknown) => void]);
    else if (command === 'off') {
      for (let i = listeners.length; i--; ) if (listeners[i][0] === a && (!b || listeners[i][1] === b)) listeners.splice(i, 1);
    } else if (command === 'destroy') {
      host.remove();
      chat?.remove();
      listeners.length = after.length = 0;
      delete w.Vitrine;
    }
  };
  api.l = 1;
  button.onclick = () => api('open', { focus: true });
  // `data-vitrine-ask="<product id>"` on any element: ask about that product. Once the widget is
  // loaded, <vitrine-chat> listens itself.
  d.addEventListener('click', (e) => {
    const el = !chat && w.Vitrine == api && (e.target as Element).closest?.('[data-vitrine-ask]');
    if (el) api('askAbout', el.getAttribute('data-vitrine-ask'), { focus: true });
  });
  w.Vitrine = api;
  for (const args of previous?.q ?? []) api(...(Array.from(args) as [string, ...unknown[]]));
  try {
    // A returning customer (a stored session) reconnects in the background so the launcher shows
    // replies and feed items that arrived meanwhile; `data-connect="open"` waits for the launcher.
    const key = `vitrine:${data.shop}:`;
    if (localStorage.getItem(key + 'outbox') || (data.connect != 'open' && localStorage.getItem(key + 'session'))) withChat((el) => el.resume(), true);
  } catch {
    /* storage disabled: nothing can be pending */
  }
}

export {};
