import { describe, expect, it } from 'vitest';
import type { Message } from '../../src/protocol/types.js';
import { chunks, createEmbeddedProvider, formatPrice } from './embedded.js';
import { demoKnowledge, snapshotOf } from './eval/score.js';
import { phrase } from './phrases.js';
import type { AssistantLocale, AssistantReply, AssistantRequest } from './provider.js';
import { createKnowledgeSearch } from './retrieval.js';

const knowledge = demoKnowledge();
const search = createKnowledgeSearch(knowledge);

function card(productId: string): Message {
  const p = knowledge.products.find((x) => x.id === productId)!;
  return { id: 'm1', conversationId: 'c1', seq: 1, clientId: 'x', author: { role: 'agent', id: 'a1', name: 'Mia' }, kind: 'product', text: '', product: snapshotOf(p), createdAt: '2026-01-01T00:00:00.000Z' };
}

function contextMessage(productId: string): Message {
  const p = knowledge.products.find((x) => x.id === productId)!;
  return { id: 'm0', conversationId: 'c1', seq: 1, clientId: 'y', author: { role: 'visitor', id: 'v1', name: null }, kind: 'text', text: '想问问这个', context: { product: snapshotOf(p) }, createdAt: '2026-01-01T00:00:00.000Z' };
}

interface Run {
  reply: AssistantReply;
  deltas: string[];
}

async function ask(question: string, opts: { locale?: AssistantLocale; history?: Message[]; staffOnline?: boolean; paceMs?: number; signal?: AbortSignal; onDelta?: (d: string) => void } = {}): Promise<Run> {
  const deltas: string[] = [];
  const provider = createEmbeddedProvider({ paceMs: opts.paceMs ?? 0 });
  const req: AssistantRequest = {
    question,
    history: opts.history ?? [],
    locale: opts.locale ?? (/[\u4e00-\u9fff]/.test(question) ? 'zh-CN' : 'en'),
    search,
    staffOnline: opts.staffOnline ?? true,
    signal: opts.signal ?? new AbortController().signal,
    onDelta: (d) => {
      deltas.push(d);
      opts.onDelta?.(d);
    },
    onReset: () => {
      deltas.length = 0;
    },
  };
  return { reply: await provider.reply(req), deltas };
}

describe('embedded provider: the decision', () => {
  it('is named embedded', () => {
    expect(createEmbeddedProvider().name).toBe('embedded');
  });

  it('gold earrings in Chinese -> gold earring cards, in stock, with catalogue prices', async () => {
    const { reply } = await ask('有没有金色的耳环');
    expect(reply.meta).toEqual({ source: 'catalogue', provider: 'embedded' });
    expect(reply.productIds.sort()).toEqual(['perle-studs', 'soleil-hoops']);
    expect(reply.text).toContain('暖阳素圈耳环');
    expect(reply.text).toContain('¥389.00');
    expect(reply.text).toContain('¥459.00');
    expect(reply.handoff).toBeUndefined();
  });

  it('returns -> the FAQ answer in the reply locale, falling back to the other locale', async () => {
    const zh = await ask('可以退货吗');
    expect(zh.reply.meta).toEqual({ source: 'faq', provider: 'embedded', faqId: 'faq-returns' });
    expect(zh.reply.text).toContain('7 天内');
    const en = await ask('可以退货吗', { locale: 'en' });
    expect(en.reply.text).toContain('within 7 days');
    const enOnly = createKnowledgeSearch({ ...knowledge, faq: knowledge.faq.map((e) => ({ ...e, answer: { en: e.answer.en! } })) });
    const provider = createEmbeddedProvider({ paceMs: 0 });
    const r = await provider.reply({ question: '可以退货吗', history: [], locale: 'zh-CN', search: enOnly, staffOnline: true, signal: new AbortController().signal, onDelta() {}, onReset() {} });
    expect(r.text).toContain('within 7 days');
  });

  it('hand-off asked: the online or offline sentence, reason customer_asked', async () => {
    const online = await ask('转人工', { staffOnline: true });
    expect(online.reply).toMatchObject({ handoff: 'customer_asked', meta: { source: 'handoff' }, text: phrase('zh-CN', 'handoffOnline'), productIds: [] });
    const offline = await ask('I want to talk to a human', { staffOnline: false });
    expect(offline.reply).toMatchObject({ handoff: 'customer_asked', text: phrase('en', 'handoffOffline') });
  });

  it('false hand-off friends are answered, not handed off', async () => {
    expect((await ask('人工宝石会褪色吗')).reply.handoff).toBeUndefined();
    expect((await ask('Are these artificial pearls?')).reply.productIds).toEqual(['perle-studs']);
  });

  it('things the shop does not sell hand off as no_answer, with no cards', async () => {
    for (const q of ['有手表吗', 'Do you sell watches?', 'do you have sunglasses']) {
      const { reply } = await ask(q, { staffOnline: false });
      expect(reply.handoff, q).toBe('no_answer');
      expect(reply.productIds).toEqual([]);
    }
    expect((await ask('有手表吗', { staffOnline: false })).reply.text).toBe(phrase('zh-CN', 'noAnswerOffline'));
  });

  it('small talk and vague requests', async () => {
    expect((await ask('你好')).reply.meta.source).toBe('chat');
    expect((await ask('thanks a lot!')).reply.text).toBe(phrase('en', 'thanks'));
    const c = await ask('推荐一下');
    expect(c.reply.meta.source).toBe('clarify');
    // Only categories the catalogue has.
    expect(c.reply.text).toContain('手镯');
    expect(c.reply.text).not.toContain('手表');
  });

  it('price limits: under the limit, cheapest first; nothing under -> says so and shows the closest', async () => {
    const under = await ask('something under 500 yuan');
    expect(under.reply.productIds).toEqual(['soleil-hoops', 'perle-studs']);
    const none = await ask('300元以下有什么');
    expect(none.reply.productIds).toEqual(['soleil-hoops']);
    expect(none.reply.text).toContain(phrase('zh-CN', 'nothingUnder', { limit: '¥300.00' }));
  });

  it('a size that is out of stock is said so, with the sizes in stock', async () => {
    const { reply } = await ask('7号的戒指有货吗');
    expect(reply.productIds).toEqual(['aube-ring']);
    expect(reply.text).toContain('7 号');
    expect(reply.text).toContain('暂时缺货');
    expect(reply.text).toContain('6 号');
  });
});

describe('embedded provider: follow-ups about the product in the conversation', () => {
  it('"有金色的吗" after the necklace card -> the gold variant of that necklace', async () => {
    const { reply } = await ask('有金色的吗', { history: [card('etoile-necklace')] });
    expect(reply.productIds).toEqual(['etoile-necklace']);
    expect(reply.text).toContain('金色');
    expect(reply.text).toContain('有货');
  });

  it('"S925 silver? how long is the pin?" about the studs -> their description (8 mm pin)', async () => {
    const { reply } = await ask('S925 silver? how long is the pin?', { history: [card('perle-studs')] });
    expect(reply.productIds).toEqual(['perle-studs']);
    expect(reply.text).toContain('8 mm pin');
    expect(reply.text).toContain('S925');
    expect(reply.text).toContain(formatPrice({ amount: 45900, currency: 'CNY' }, 'en'));
  });

  it('uses the context product of an earlier customer message too', async () => {
    const { reply } = await ask('还有货吗', { history: [contextMessage('jade-bangle')] });
    expect(reply.productIds).toEqual(['jade-bangle']);
    expect(reply.text).toContain(phrase('zh-CN', 'productFewLeft', { title: '和田青白玉手镯', n: 1 }));
  });

  it('a size asked about the ring card: out of stock, others listed', async () => {
    const { reply } = await ask('is size 7 available?', { history: [card('aube-ring')] });
    expect(reply.text).toContain('Size 7');
    expect(reply.text).toContain('out of stock');
    expect(reply.text).toContain('Size 6');
  });

  it('without the card the same follow-up is not about that product', async () => {
    const { reply } = await ask('有金色的吗');
    expect(reply.productIds).not.toEqual(['etoile-necklace']);
  });
});

describe('embedded provider: streaming', () => {
  it('streams short chunks that concatenate to the final text (paced and unpaced)', async () => {
    for (const paceMs of [0, 2]) {
      const { reply, deltas } = await ask('Do you ship to the UK?', { paceMs });
      expect(deltas.length).toBeGreaterThan(3);
      expect(deltas.join('')).toBe(reply.text);
      for (const d of deltas) expect(d.length).toBeLessThanOrEqual(40);
    }
    const zh = await ask('可以退货吗');
    expect(zh.deltas.join('')).toBe(zh.reply.text);
  });

  it('chunks never split a surrogate pair', () => {
    const text = 'Gift 🎁 box 🎁🎁 ok 宝石💎';
    const parts = chunks(text);
    expect(parts.join('')).toBe(text);
    for (const p of parts) expect(p).not.toMatch(/^[\udc00-\udfff]|[\ud800-\udbff]$/);
  });

  it('stops when aborted mid-stream: rejects with an AbortError and sends nothing more', async () => {
    const controller = new AbortController();
    let seen = 0;
    const run = ask('How do I clean silver jewellery?', {
      paceMs: 5,
      signal: controller.signal,
      onDelta: () => {
        seen++;
        if (seen === 2) controller.abort();
      },
    });
    await expect(run).rejects.toMatchObject({ name: 'AbortError' });
    expect(seen).toBe(2);
  });

  it('an already aborted signal rejects before any delta', async () => {
    const controller = new AbortController();
    controller.abort();
    let seen = 0;
    await expect(ask('可以退货吗', { signal: controller.signal, onDelta: () => seen++ })).rejects.toMatchObject({ name: 'AbortError' });
    expect(seen).toBe(0);
  });
});

describe('embedded provider: edge cases', () => {
  it('emoji or punctuation only -> a greeting, not a hand-off', async () => {
    for (const q of ['👍', '？？']) {
      const { reply } = await ask(q, { locale: 'zh-CN' });
      expect(reply.meta.source, q).toBe('chat');
      expect(reply.handoff).toBeUndefined();
    }
  });
  it('a product named only in its description is found ("moissanite")', async () => {
    const { reply } = await ask('what is moissanite');
    expect(reply.productIds).toEqual(['aube-ring']);
  });
  it('a price limit under everything of a category says so and shows the closest of that category', async () => {
    const { reply } = await ask('do you have rings under 1000?');
    expect(reply.productIds).toEqual(['aube-ring']);
    expect(reply.text).toContain(phrase('en', 'nothingUnder', { limit: formatPrice({ amount: 100000, currency: 'CNY' }, 'en') }));
  });
  it('a discount question about a named product gives the price and the compare-at price', async () => {
    const { reply } = await ask('月光石手链打折吗');
    expect(reply.productIds).toEqual(['lune-bracelet']);
    expect(reply.text).toContain('¥529.00');
    expect(reply.text).toContain('¥629.00');
  });
});

describe('embedded provider: other shops', () => {
  const provider = createEmbeddedProvider({ paceMs: 0 });
  const run = (s: ReturnType<typeof createKnowledgeSearch>, question: string, locale: AssistantLocale): Promise<AssistantReply> =>
    provider.reply({ question, history: [], locale, search: s, staffOnline: true, signal: new AbortController().signal, onDelta() {}, onReset() {} });

  it('an empty catalogue and FAQ: small talk still works, everything else hands off without inventing', async () => {
    const empty = createKnowledgeSearch({ shopId: 's', shopName: 'Empty', products: [], faq: [] });
    expect((await run(empty, '你好', 'zh-CN')).meta.source).toBe('chat');
    for (const q of ['有没有金色的耳环', '推荐一下', '300元以下有什么', 'can I return it?']) {
      const r = await run(empty, q, 'zh-CN');
      expect(r.handoff, q).toBe('no_answer');
      expect(r.productIds).toEqual([]);
    }
  });

  it('prices in the product currency (yen has no minor unit); titles fall back to another locale', async () => {
    const p = knowledge.products.find((x) => x.id === 'soleil-hoops')!;
    const yen = { ...p, title: { en: 'Soleil gold hoops' }, price: { amount: 5800, currency: 'JPY' } };
    const s = createKnowledgeSearch({ shopId: 'jp', shopName: 'JP', products: [yen], faq: [] });
    const r = await run(s, '有没有金色的耳环', 'zh-CN');
    expect(r.productIds).toEqual(['soleil-hoops']);
    expect(r.text).toContain('Soleil gold hoops');
    expect(r.text).toContain(new Intl.NumberFormat('zh-CN', { style: 'currency', currency: 'JPY' }).format(5800));
    const under = await run(s, 'earrings under 6000', 'en');
    expect(under.productIds).toEqual(['soleil-hoops']);
  });
});

describe('embedded provider: a colour the product does not come in', () => {
  it('"有银色的吗" after the gold hoops card says they do not come in silver', async () => {
    const { reply } = await ask('有银色的吗', { history: [card('soleil-hoops')] });
    expect(reply.productIds).toEqual(['soleil-hoops']);
    expect(reply.text).toContain(phrase('zh-CN', 'optionMissing', { title: '暖阳素圈耳环', option: '银色' }));
  });
});

describe('embedded provider: shops with little knowledge', () => {
  const one = {
    id: 'f1',
    question: { en: 'Do you ship abroad?', 'zh-CN': '可以寄到海外吗？' },
    answer: { en: 'Yes, to 30 countries.', 'zh-CN': '可以，支持 30 个国家。' },
    keywords: ['shipping abroad', '海外'],
    updatedAt: '2026-01-01T00:00:00.000Z',
  };

  async function askShop(question: string, faq: (typeof one)[], withProducts: boolean): Promise<AssistantReply> {
    const small = createKnowledgeSearch({ shopId: 's', shopName: 'Small', products: withProducts ? knowledge.products : [], faq });
    return createEmbeddedProvider({ paceMs: 0 }).reply({
      question,
      history: [],
      locale: /[\u4e00-\u9fff]/.test(question) ? 'zh-CN' : 'en',
      search: small,
      staffOnline: true,
      signal: new AbortController().signal,
      onDelta: () => undefined,
      onReset: () => undefined,
    });
  }

  it('a shop with a single FAQ entry gets it for its own question, in both languages (idf does not collapse)', async () => {
    for (const withProducts of [false, true]) {
      expect((await askShop('Do you ship abroad?', [one], withProducts)).meta).toMatchObject({ source: 'faq', faqId: 'f1' });
      expect((await askShop('能寄到海外吗', [one], withProducts)).text).toBe(one.answer['zh-CN']);
      // A question it does not answer still hands off.
      expect((await askShop('Can I bring my dog?', [one], withProducts)).handoff).toBe('no_answer');
    }
  });
});
