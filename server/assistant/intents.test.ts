import { describe, expect, it } from 'vitest';
import { asksForHuman, asksHowTo, priceLimit, productIntent, smallTalk } from './intents.js';

describe('asksForHuman', () => {
  it.each(['转人工', '人工', '人工客服', '我要找真人客服', '找客服', '叫你们客服出来', '客服电话多少', '人工！', 'human', 'I want to talk to a human', 'can I speak to a real person please', 'talk to someone', 'customer service', 'Speak to a person', 'agent please'])(
    'hands off: %s',
    (q) => expect(asksForHuman(q)).toBe(true),
  );
  it.each(['人工宝石会褪色吗', '是人工养殖的珍珠吗', 'is this handmade?', 'Are these artificial pearls?', 'is it safe for human skin', '有没有金色的耳环', '这是人工合成的吗', 'Is it made by hand or by machine?'])(
    'does not hand off: %s',
    (q) => expect(asksForHuman(q)).toBe(false),
  );
});

describe('smallTalk', () => {
  it('recognises greetings, thanks and goodbyes on their own', () => {
    expect(smallTalk('你好')).toBe('greeting');
    expect(smallTalk('在吗？')).toBe('greeting');
    expect(smallTalk('hi there')).toBe('greeting');
    expect(smallTalk('谢谢亲')).toBe('thanks');
    expect(smallTalk('thanks a lot!')).toBe('thanks');
    expect(smallTalk('拜拜')).toBe('bye');
  });
  it('is not small talk when there is a question too', () => {
    expect(smallTalk('你好，可以退货吗')).toBeNull();
    expect(smallTalk('hello, do you ship abroad?')).toBeNull();
    expect(smallTalk('有没有项链')).toBeNull();
  });
});

describe('priceLimit', () => {
  it.each([
    ['300元以下有什么', 300],
    ['¥300以内', 300],
    ['500以内的耳环', 500],
    ['预算600，送女朋友的', 600],
    ['不超过 1,000 块', 1000],
    ['bracelets under 600', 600],
    ['something below ¥400', 400],
    ['less than 1,200 yuan', 1200],
  ])('%s -> %d', (q, n) => expect(priceLimit(q)).toBe(n));
  it('no limit when none is stated', () => {
    expect(priceLimit('7号的戒指有货吗')).toBeNull();
    expect(priceLimit('how long is the pin, 8 mm?')).toBeNull();
  });
});

describe('productIntent', () => {
  it('reads category, colour, stock', () => {
    const i = productIntent('有没有金色的耳环');
    expect(i.categories).toEqual(['earrings']);
    expect(i.colour).toBe('gold');
    expect(productIntent('金色耳环有货吗').stock).toBe(true);
    expect(productIntent('do you have it in silver?').colour).toBe('silver');
  });
  it('rose gold is not the colour gold', () => {
    expect(productIntent('玫瑰金戒指').colour).toBeNull();
    expect(productIntent('玫瑰金戒指').materials).toContain('rosegold');
  });
  it('reads sizes, prices and details', () => {
    expect(productIntent('7号有吗').size).toBe('7');
    expect(productIntent('is size 7 available?').size).toBe('7');
    expect(productIntent('和田玉手镯多少钱').price).toBe(true);
    expect(productIntent('S925 silver? how long is the pin?').detail).toBe(true);
    expect(productIntent('推荐一下').browse).toBe(true);
  });
  it('how-to questions', () => {
    expect(asksHowTo('戒指尺码怎么选')).toBe(true);
    expect(asksHowTo('how do I know my ring size')).toBe(true);
    expect(asksHowTo('戒指有哪些尺码')).toBe(false);
  });
});
