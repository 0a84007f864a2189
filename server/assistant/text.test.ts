import { describe, expect, it } from 'vitest';
import { conceptsOf, detectLocale, normalize, stemEn, tokenize } from './text.js';

describe('detectLocale', () => {
  it('CJK -> zh-CN, Latin words -> en, else the fallback', () => {
    expect(detectLocale('有没有金色的耳环', 'en')).toBe('zh-CN');
    expect(detectLocale('Do you have gold earrings?', 'zh-CN')).toBe('en');
    expect(detectLocale('300?', 'en')).toBe('en');
    expect(detectLocale('300?', 'zh-CN')).toBe('zh-CN');
    expect(detectLocale('👍', 'zh-CN')).toBe('zh-CN');
  });
  it('mixed text is Chinese unless English clearly dominates', () => {
    expect(detectLocale('有没有gold的earring', 'en')).toBe('zh-CN');
    expect(detectLocale('S925银的吗', 'en')).toBe('zh-CN');
    expect(detectLocale('is the 耳钉 pin long enough for thick earlobes', 'zh-CN')).toBe('en');
  });
});

describe('normalize', () => {
  it('folds full-width characters, case and accents', () => {
    expect(normalize('ＳＯＬＥＩＬ Étoile')).toBe('soleil etoile');
    expect(normalize('３００元')).toBe('300元');
  });
});

describe('tokenize', () => {
  it('Chinese: ICU words plus bigrams, stop words dropped', () => {
    const t = tokenize('可以退货吗', { concepts: false });
    // ICU splits 退|货; the bigram keeps the word.
    expect(t).toContain('~退货');
    expect(t).not.toContain('吗');
    expect(t).not.toContain('可以');
    const e = tokenize('有没有金色的耳钉', { concepts: false });
    expect(e).toContain('金色');
    expect(e).toContain('~耳钉');
    // Bigrams across a function character are dropped.
    expect(e).not.toContain('~色的');
  });
  it('English: lowercase, punctuation stripped, stop words dropped, plurals stemmed', () => {
    const t = tokenize('Do you have any EARRINGS, in Gold?', { concepts: false });
    expect(t).toEqual(['earring', 'gold']);
    expect(stemEn('boxes')).toBe('box');
    expect(stemEn('glass')).toBe('glass');
    expect(stemEn('studs')).toBe('stud');
  });
  it('mixed text keeps both scripts and model numbers', () => {
    const t = tokenize('S925银的necklace多少钱', { concepts: false });
    expect(t).toContain('s925');
    expect(t).toContain('necklace');
    expect(t).toContain('银');
  });
  it('adds bilingual concept terms so Chinese finds English and back', () => {
    expect(tokenize('金色耳环')).toEqual(expect.arrayContaining(['#gold', '#earrings']));
    expect(tokenize('golden hoops')).toEqual(expect.arrayContaining(['#gold', '#earrings']));
    expect(conceptsOf('可以退吗')).toContain('return');
    expect(conceptsOf('send it back for a refund')).toContain('return');
    expect(conceptsOf('18K rose gold')).toEqual(new Set(['gold', 'rosegold']));
  });
});
