/**
 * The script-tag loader on a page of a returning customer (a session stored by an earlier visit):
 * it reconnects in the background with the panel closed, so the launcher shows what arrived while
 * the customer was away — here a broadcast sent to them while no page of theirs was open — without
 * a click. Against the real server.
 */
import { createVitrineClient } from '../src/index.js';
import type { VitrineChat } from './chat/vitrine-chat.component.js';
import { webPorts } from './ports-web.js';
import { assert, describe, equal, it, vitrineServer, waitFor } from './test-utils.js';

describe('vitrine.js loader, returning customer', () => {
  it('reconnects at page load and shows the feed item that arrived meanwhile on the launcher badge', async () => {
    const info = await vitrineServer();
    const api = async <T>(path: string, method = 'GET', body?: unknown): Promise<T> => {
      const res = await fetch(`${info.url}${path}`, {
        method,
        headers: { authorization: `Bearer ${info.agentToken}`, 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await res.text();
      if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${text}`);
      return (text ? JSON.parse(text) : null) as T;
    };

    // An earlier visit: the widget's client stored a session in this page's storage.
    for (const key of Object.keys(localStorage)) if (key.startsWith(`vitrine:${info.shop}:`)) localStorage.removeItem(key);
    const earlier = createVitrineClient({ url: info.url, shop: info.shop, ports: webPorts(info.shop) });
    await waitFor(() => earlier.$connection.get() === 'online', 'earlier visit connected');
    const visitorId = earlier.$session.get()?.userId;
    assert(visitorId, 'visitor id');
    earlier.destroy();
    assert(localStorage.getItem(`vitrine:${info.shop}:session`), 'session stored');

    // While away, a broadcast to a segment holding only this customer.
    const tag = `wtr-returning-${Date.now().toString(36)}`;
    await api(`/api/customers/${visitorId}`, 'PATCH', { addTags: [tag] });
    const segment = await api<{ id: string }>('/api/segments', 'POST', { name: tag, rule: { match: 'all', conditions: [{ tag, op: 'has' }] } });
    const campaign = await api<{ id: string }>('/api/campaigns', 'POST', {
      kind: 'announcement',
      name: tag,
      title: { en: 'Open late on Friday' },
      segmentId: segment.id,
    });
    await api(`/api/campaigns/${campaign.id}/send`, 'POST');
    await waitFor(async () => (await api<{ state: string }>(`/api/campaigns/${campaign.id}`)).state === 'sent', 'campaign sent');

    // The next page: the script tag, no click.
    const tag_ = document.createElement('script');
    tag_.type = 'text/plain'; // stands in for the real tag: only its data-* attributes are read
    tag_.dataset.shop = info.shop;
    tag_.dataset.server = info.url;
    tag_.dataset.locale = 'en';
    tag_.dataset.widget = new URL('./widget-entry.ts', import.meta.url).href;
    document.head.append(tag_);
    await import('./loader.js');

    const chat = (await waitFor(() => document.querySelector('vitrine-chat') as VitrineChat | null, 'widget loaded without a click', 10_000)) as VitrineChat;
    equal(chat.open, false, 'panel stays closed');
    const badge = await waitFor(() => {
      const el = chat.shadowRoot?.querySelector<HTMLElement>('[part="unread-badge"]');
      return el && !el.hidden && el.textContent?.trim() === '1' ? el : null;
    }, 'launcher badge shows the feed item', 10_000);
    equal(badge.textContent?.trim(), '1');
    equal(chat.activeClient?.$session.get()?.userId, visitorId, 'the same customer resumed');
  });
});
