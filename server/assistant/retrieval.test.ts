import { describe, expect, it } from 'vitest';
import type { Product } from '../../src/protocol/catalogue.js';
import { demoKnowledge } from './eval/score.js';
import { createKnowledgeSearch, inStock, lowestPrice } from './retrieval.js';

const knowledge = demoKnowledge();
const search = createKnowledgeSearch(knowledge);
const ids = (q: string, opts?: Parameters<typeof search.products>[1]): string[] => search.products(q, opts).map((h) => h.product.id);
const topFaq = (q: string): string | undefined => search.faq(q)[0]?.entry.id;

describe('createKnowledgeSearch: products', () => {
  it('ranks the product a question is about first (zh and en)', () => {
    expect(ids('和田玉手镯多少钱')[0]).toBe('jade-bangle');
    expect(ids('how much is the jade bangle')[0]).toBe('jade-bangle');
    expect(ids('月光石手链')[0]).toBe('lune-bracelet');
    expect(ids('rose gold ring')[0]).toBe('aube-ring');
    expect(ids('珍珠耳钉')[0]).toBe('perle-studs');
    expect(ids('星辰项链')[0]).toBe('etoile-necklace');
  });
  it('finds products across languages through the lexicon', () => {
    // "gold hoops" are tagged in English only; the Chinese question still finds them.
    expect(ids('金色耳环').slice(0, 2).sort()).toEqual(['perle-studs', 'soleil-hoops']);
    expect(ids('necklace')[0]).toBe('etoile-necklace');
    expect(ids('项链')[0]).toBe('etoile-necklace');
    expect(ids('bangle')).toEqual(['jade-bangle']);
  });
  it('returns nothing for things the shop does not sell', () => {
    expect(ids('有手表吗')).toEqual([]);
    expect(ids('sunglasses')).toEqual([]);
  });
  it('filters by price (minor units) and stock; an empty query lists the catalogue', () => {
    expect(ids('', { maxPrice: 50000 }).sort()).toEqual(['perle-studs', 'soleil-hoops']);
    expect(ids('耳环', { maxPrice: 40000 })).toEqual(['soleil-hoops']);
    expect(ids('').length).toBe(6);
    expect(ids('', { limit: 2 }).length).toBe(2);
  });
  it('drops sold-out products with inStockOnly', () => {
    const soldOut: Product = { ...knowledge.products[0]!, id: 'sold-out', variants: [{ id: 'v', sku: null, options: {}, price: null, stock: 0 }] };
    const s = createKnowledgeSearch({ ...knowledge, products: [...knowledge.products, soldOut] });
    expect(s.products('星辰项链').map((h) => h.product.id)).toContain('sold-out');
    expect(s.products('星辰项链', { inStockOnly: true }).map((h) => h.product.id)).not.toContain('sold-out');
    expect(inStock(soldOut)).toBe(false);
    expect(lowestPrice({ ...soldOut, variants: [{ id: 'v', sku: null, options: {}, price: { amount: 100, currency: 'CNY' }, stock: 1 }] })).toBe(100);
  });
});

describe('createKnowledgeSearch: FAQ', () => {
  it.each([
    ['可以退货吗', 'faq-returns'],
    ['不喜欢能退吗', 'faq-returns'],
    ['What is your return policy?', 'faq-returns'],
    ['发什么快递', 'faq-delivery'],
    ['how long does shipping take', 'faq-delivery'],
    ['能开发票吗', 'faq-invoice'],
    ['Can I get a fapiao?', 'faq-invoice'],
    ['能刻字吗', 'faq-engraving'],
    ['耳洞敏感会过敏吗', 'faq-materials'],
    ['能寄到美国吗', 'faq-international'],
  ])('%s -> %s', (q, id) => expect(topFaq(q)).toBe(id));
  it('answers nothing for an unrelated question', () => {
    expect(search.faq('今天天气怎么样')).toEqual([]);
  });
});
