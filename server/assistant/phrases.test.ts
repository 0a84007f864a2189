import { describe, expect, it } from 'vitest';
import { joinList, phrase, type PhraseKey } from './phrases.js';

const KEYS: PhraseKey[] = ['handoffOnline', 'handoffOffline', 'providerFailed', 'noAnswerOnline', 'noAnswerOffline', 'greeting', 'thanks', 'clarify', 'foundProducts', 'optionOutOfStock'];

describe('phrase', () => {
  it('has every sentence in zh-CN and en, different per locale', () => {
    for (const key of KEYS) {
      const zh = phrase('zh-CN', key);
      const en = phrase('en', key);
      expect(zh.length, key).toBeGreaterThan(0);
      expect(en.length, key).toBeGreaterThan(0);
      expect(zh).not.toBe(en);
      expect(zh).toMatch(/[\u4e00-\u9fff]/);
    }
  });
  it('says what the runner and the spec say', () => {
    expect(phrase('en', 'providerFailed')).toBe('Sorry, I could not answer that. A colleague will get back to you here.');
    expect(phrase('en', 'handoffOnline')).toMatch(/colleague.*shortly/);
    expect(phrase('en', 'handoffOffline')).toMatch(/offline.*leave your question/i);
  });
  it('fills placeholders and leaves unknown ones', () => {
    expect(phrase('en', 'productPrice', { title: 'Ring', price: '¥1.00' })).toBe('Ring is ¥1.00.');
    expect(phrase('en', 'productPrice', { title: 'Ring' })).toBe('Ring is {price}.');
    expect(phrase('zh-CN', 'greeting', { shop: 'Maison Lumière' })).toContain('Maison Lumière');
  });
  it('joins lists per locale', () => {
    expect(joinList('en', ['a', 'b', 'c'])).toBe('a, b and c');
    expect(joinList('zh-CN', ['耳饰', '项链', '戒指'])).toBe('耳饰、项链和戒指');
    expect(joinList('en', ['a'])).toBe('a');
  });
});
