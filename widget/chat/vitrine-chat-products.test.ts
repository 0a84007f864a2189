// <vitrine-chat> with products: card and carousel messages, pending product sends, live stock,
// ask-about context, data-vitrine-ask. Against the real server; the catalogue of shop `wtr` is
// seeded by web-test-runner.config.mjs (tests that need it skip when the server has none).
import type { ChatMessage } from '../../src/index.js';
import type { ProductClickDetail } from '../events.js';
import type { VitrineProductCard } from '../product-card/vitrine-product-card.component.js';
import type { VitrineProductCarousel } from '../product-carousel/vitrine-product-carousel.component.js';
import {
  assert,
  deepElements,
  describe,
  equal,
  it,
  upsertProduct,
  waitFor,
} from '../test-utils.js';
import { useRealChat } from './real-chat.test-helpers.js';
import type { VitrineChat } from './vitrine-chat.js';

const chat = useRealChat();
const { cleanups, agentClient, openChat } = chat;

const $$ = <E extends Element = HTMLElement>(el: VitrineChat, selector: string) => [...el.shadowRoot!.querySelectorAll<E>(selector)];
const cardPart = (card: VitrineProductCard, name: string) => card.shadowRoot?.querySelector<HTMLElement>(`[part~="${name}"]`)?.textContent?.trim() ?? null;

/** The agent's view of the conversation, once it holds a message matching `test`. */
async function agentSees(conversationId: string, test: (m: ChatMessage) => boolean): Promise<ChatMessage> {
  const agent = agentClient();
  const handle = agent.conversation(conversationId);
  return waitFor(() => handle.$messages.get().find(test), 'agent sees the message');
}

function needsCatalogue(ctx: { skip(): void }): void {
  if (!chat.info.products) ctx.skip(); // the server has no catalogue yet: nothing to send
}

describe('<vitrine-chat> products', () => {
  it('does not load the product elements for a text-only conversation', async () => {
    const { el, conv } = await openChat();
    await conv.send('hello');
    await waitFor(() => $$(el, '[part~="bubble"]').length === 1, 'text shown');
    equal(customElements.get('vitrine-product-card'), undefined, 'product chunk not loaded');
  });

  it('shows "Sending product…" for a product message that has no snapshot yet', async () => {
    const { el, conv } = await openChat();
    const pending = conv.sendProducts(['etoile-necklace']);
    pending.catch(() => {});
    await el.updateComplete;
    const placeholder = await waitFor(() => $$(el, '[part="product-pending"]')[0], 'placeholder');
    equal(placeholder.textContent!.trim(), 'Sending product…');
  });

  it('renders an agent card from the snapshot, with live stock fetched once per card', async function () {
    needsCatalogue(this);
    const { el, conv } = await openChat();
    const agent = agentClient();
    await agent.conversation(conv.id).sendProducts(['etoile-necklace'], 'This one?');
    const card = await waitFor(() => $$<VitrineProductCard>(el, 'vitrine-product-card')[0], 'card in the chat');
    await waitFor(() => card.shadowRoot && cardPart(card, 'product-title'), 'card upgraded (lazy chunk)');
    equal(cardPart(card, 'product-title'), 'Étoile star necklace');
    const list = $$(el, '[part="message-list"]')[0];
    await waitFor(() => list.scrollHeight - list.scrollTop - list.clientHeight < 8, 'the list stays at its end once the card has its height');
    equal(cardPart(card, 'product-price'), 'CN¥699.00');
    equal(cardPart(card, 'product-compare-at'), 'CN¥899.00');
    equal(cardPart(card, 'product-stock'), 'In stock');
    equal($$(el, '[part~="caption"]')[0]?.textContent, 'This one?');
    // Buy from inside the chat reaches the page.
    let detail: ProductClickDetail | null = null;
    const onClick = (e: Event) => {
      detail = (e as CustomEvent<ProductClickDetail>).detail;
      e.preventDefault();
    };
    document.addEventListener('vitrine-product-click', onClick);
    cleanups.push(() => document.removeEventListener('vitrine-product-click', onClick));
    card.shadowRoot!.querySelector<HTMLButtonElement>('[part~="product-action-buy"]')!.click();
    equal((detail as ProductClickDetail | null)?.product.id, 'etoile-necklace');

    // Stock changes in the catalogue: a new session (new client, same visitor) shows live stock.
    const { updatedAt: _updatedAt, ...original } = await waitFor(() => agent.getProducts(['etoile-necklace']).then((p) => p[0]), 'product');
    cleanups.push(async () => void (await upsertProduct(original)));
    await upsertProduct({ ...original, variants: original.variants.map((v) => ({ ...v, stock: v.id === 'gold' ? 1 : 0 })) });
    el.remove();
    const again = await openChat();
    const fresh = await waitFor(() => $$<VitrineProductCard>(again.el, 'vitrine-product-card')[0], 'card after reload');
    await waitFor(() => cardPart(fresh, 'product-stock') === 'Only 1 left', 'live stock overrides the snapshot');
    equal(fresh.product?.variants.find((v) => v.id === 'gold')?.stock, 12, 'the snapshot still says 12');
  });

  it('renders a carousel for several products; a hostile title is text', async function () {
    needsCatalogue(this);
    const { el, conv } = await openChat({ locale: 'zh-CN' });
    await agentClient().conversation(conv.id).sendProducts(['perle-studs', 'jade-bangle', 'hostile-title']);
    const carousel = await waitFor(() => $$<VitrineProductCarousel>(el, 'vitrine-product-carousel')[0], 'carousel');
    const cards = await waitFor(() => {
      const found = [...(carousel.shadowRoot?.querySelectorAll<VitrineProductCard>('vitrine-product-card') ?? [])];
      return found.length === 3 && found.every((c) => cardPart(c, 'product-title')) ? found : null;
    }, 'three cards');
    equal(cardPart(cards[0], 'product-price'), 'US$45.00');
    equal(cardPart(cards[1], 'product-price'), 'JP¥12,000');
    equal(cardPart(cards[1], 'product-stock'), '已售罄');
    equal(cardPart(cards[2], 'product-title'), '<img src=x onerror=alert(1)>');
    equal(cardPart(cards[2], 'product-price'), '€9.99');
    const all = [el, ...deepElements(el.shadowRoot!)];
    for (const node of all) assert(!node.hasAttribute('style'), `style on ${node.tagName}`);
    equal(all.filter((n) => n.tagName === 'IMG' && (n as HTMLImageElement).src.endsWith('/x')).length, 0, 'no injected image');
  });

  it('askAbout(product id): shows the product above the composer, the next message carries it, then it clears', async function () {
    needsCatalogue(this);
    const { el, conv } = await openChat();
    el.askAbout('etoile-necklace');
    await el.updateComplete;
    const title = await waitFor(() => {
      const t = $$(el, '[part="ask-context-title"]')[0]?.textContent;
      return t === 'Étoile star necklace' ? t : null;
    }, 'context title from the catalogue');
    equal(title, 'Étoile star necklace');
    const input = $$<HTMLTextAreaElement>(el, '[part="input"]')[0];
    input.value = 'S925 silver? How long is the chain?';
    input.dispatchEvent(new Event('input'));
    await el.updateComplete;
    $$<HTMLButtonElement>(el, '[part="send"]')[0].click();
    await el.updateComplete;
    equal($$(el, '[part="ask-context"]').length, 0, 'cleared once sent');
    const seen = await agentSees(conv.id, (m) => m.text === 'S925 silver? How long is the chain?');
    equal(seen.context?.product?.id, 'etoile-necklace');
    equal(seen.context?.product?.source, 'catalogue');
    await waitFor(() => $$(el, '[part="message-context"]')[0]?.textContent === 'About: Étoile star necklace', 'about chip on the message');
    // The next message has no context.
    await conv.send('and gift wrapping?');
    const next = await agentSees(conv.id, (m) => m.text === 'and gift wrapping?');
    equal(next.context, undefined);
  });

  it('askAbout(page data): page product as context; unsafe image dropped; removable', async () => {
    const { el, conv } = await openChat();
    el.askAbout({
      id: 'page-only-42',
      title: '<b>Limited</b> ring',
      price: { amount: 129900, currency: 'CNY' },
      image: 'javascript:alert(1)',
      url: '/p/page-only-42',
    });
    await el.updateComplete;
    equal($$(el, '[part="ask-context-title"]')[0].textContent, '<b>Limited</b> ring');
    equal($$(el, '[part="ask-context-image"]').length, 0, 'unsafe image not rendered');
    equal(el.open, true);
    const input = $$<HTMLTextAreaElement>(el, '[part="input"]')[0];
    input.value = 'Is this in size 12?';
    input.dispatchEvent(new Event('input'));
    await el.updateComplete;
    $$<HTMLButtonElement>(el, '[part="send"]')[0].click();
    const seen = await agentSees(conv.id, (m) => m.text === 'Is this in size 12?');
    equal(seen.context?.product?.id, 'page-only-42');
    equal(seen.context?.product?.source, 'page');

    // Removed before sending: no context.
    el.askAbout({ id: 'page-only-43', title: 'Other' });
    await el.updateComplete;
    $$<HTMLButtonElement>(el, '[part="ask-context-remove"]')[0].click();
    await el.updateComplete;
    equal($$(el, '[part="ask-context"]').length, 0);
    input.value = 'no context';
    input.dispatchEvent(new Event('input'));
    await el.updateComplete;
    $$<HTMLButtonElement>(el, '[part="send"]')[0].click();
    const plain = await agentSees(conv.id, (m) => m.text === 'no context');
    equal(plain.context, undefined);
  });

  it('data-vitrine-ask on any page element asks about that product', async () => {
    const { el } = await openChat();
    el.hide();
    await el.updateComplete;
    const button = document.createElement('button');
    button.dataset.vitrineAsk = 'perle-studs';
    const label = document.createElement('span');
    label.textContent = 'Ask about this';
    button.append(label);
    document.body.append(button);
    cleanups.push(() => button.remove());
    label.click(); // delegated: a click inside the element counts
    await el.updateComplete;
    equal(el.open, true);
    assert($$(el, '[part="ask-context"]').length === 1, 'context shown');
  });
});
