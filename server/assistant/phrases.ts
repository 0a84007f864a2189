/**
 * The assistant's own sentences, in zh-CN and en. Everything else in a reply (FAQ answers, product
 * titles and descriptions, prices) comes from the shop's knowledge. Placeholders are `{name}`.
 */
import type { AssistantLocale } from './provider.js';

const EN = {
  handoffOnline: "Sure — I've asked a colleague to join; they will be with you shortly.",
  handoffOffline: 'Our staff are offline now. Leave your question here and we will reply as soon as we are back.',
  noAnswerOnline: "I'm not sure about that — I've asked a colleague to help; they will be with you shortly.",
  noAnswerOffline:
    "I'm not sure about that — our staff are offline now. Leave your question here and we will reply as soon as we are back.",
  providerFailed: 'Sorry, I could not answer that. A colleague will get back to you here.',
  greeting: 'Hello! I am the {shop} assistant. Ask me about our jewellery, delivery, returns or sizes.',
  thanks: "You're welcome! Anything else I can help with?",
  bye: 'Thank you for visiting {shop}. Goodbye!',
  foundProducts: 'Here is what I found:',
  foundOne: 'I found this one:',
  productLine: '{title} — {price}{was}{stock}',
  inStock: ' (in stock)',
  fewLeft: ' (only {n} left)',
  outOfStock: ' (out of stock)',
  stockUnknown: '',
  optionInStock: '{title} in {option}: in stock.',
  optionFewLeft: '{title} in {option}: only {n} left.',
  optionOutOfStock: '{title} in {option} is out of stock at the moment.',
  optionOthers: 'Available: {options}.',
  optionMissing: '{title} does not come in {option}.',
  productDetail: '{title}: {description} Price: {price}.',
  productPrice: '{title} is {price}.',
  productPriceWas: '{title} is {price} (was {was}).',
  wasPrice: ' (was {was})',
  productInStock: '{title} is in stock.',
  productFewLeft: '{title} is in stock — only {n} left.',
  productOutOfStock: '{title} is out of stock at the moment.',
  productOptions: 'Options: {options}.',
  nothingUnder: 'Nothing that matches is under {limit}. The closest:',
  alsoSee: 'You may also like:',
  clarify: 'Happy to help! What are you looking for? We have {categories}.',
  clarifyBudget: 'Is there a budget or a colour you prefer?',
  listJoin: ', ',
  listLast: ' and ',
} as const;

/** Keys of the assistant's sentences. */
export type PhraseKey = keyof typeof EN;

const ZH: Record<PhraseKey, string> = {
  handoffOnline: '好的，已为您转接人工客服，同事马上就来。',
  handoffOffline: '客服同事现在不在线。请在这里留下您的问题，我们回来后会第一时间回复您。',
  noAnswerOnline: '这个问题我不太确定，已请同事来帮您，请稍候。',
  noAnswerOffline: '这个问题我不太确定。客服同事现在不在线，请在这里留下您的问题，我们回来后会第一时间回复您。',
  providerFailed: '抱歉，我暂时无法回答这个问题。同事会在这里回复您。',
  greeting: '您好！我是 {shop} 的智能助手，可以问我商品、发货、退换货或尺码等问题。',
  thanks: '不客气！还有什么可以帮您的吗？',
  bye: '感谢光临 {shop}，再见！',
  foundProducts: '为您找到以下商品：',
  foundOne: '为您找到这款：',
  productLine: '{title} — {price}{was}{stock}',
  inStock: '（有货）',
  fewLeft: '（仅剩 {n} 件）',
  outOfStock: '（暂时缺货）',
  stockUnknown: '',
  optionInStock: '{title}（{option}）有货。',
  optionFewLeft: '{title}（{option}）有货，仅剩 {n} 件。',
  optionOutOfStock: '{title}（{option}）暂时缺货。',
  optionOthers: '目前有货的：{options}。',
  optionMissing: '{title}没有{option}款。',
  productDetail: '{title}：{description}价格 {price}。',
  productPrice: '{title}的价格是 {price}。',
  productPriceWas: '{title}现价 {price}（原价 {was}）。',
  wasPrice: '（原价 {was}）',
  productInStock: '{title}有货。',
  productFewLeft: '{title}有货，仅剩 {n} 件。',
  productOutOfStock: '{title}暂时缺货。',
  productOptions: '可选：{options}。',
  nothingUnder: '没有 {limit} 以内的符合条件的商品，价格最接近的是：',
  alsoSee: '您也可以看看：',
  clarify: '很乐意帮您挑选！请问您想看哪一类？我们有{categories}。',
  clarifyBudget: '有预算或喜欢的颜色吗？',
  listJoin: '、',
  listLast: '和',
};

const TABLE: Record<AssistantLocale, Record<PhraseKey, string>> = { en: EN, 'zh-CN': ZH };

/** One of the assistant's sentences in `locale`, with `{name}` placeholders filled from `vars`. */
export function phrase(locale: AssistantLocale, key: PhraseKey, vars?: Record<string, string | number>): string {
  const template = TABLE[locale]?.[key] ?? EN[key];
  if (!vars) return template;
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => (name in vars ? String(vars[name]) : whole));
}

/** Joins items as a natural list: "a, b and c" / "a、b和c". */
export function joinList(locale: AssistantLocale, items: readonly string[]): string {
  if (items.length <= 1) return items.join('');
  return items.slice(0, -1).join(phrase(locale, 'listJoin')) + phrase(locale, 'listLast') + items[items.length - 1];
}

/** Category names the clarifying question can offer, per concept of the lexicon. */
export const CATEGORY_NAMES: Readonly<Record<string, Record<AssistantLocale, string>>> = {
  earrings: { 'zh-CN': '耳饰', en: 'earrings' },
  necklace: { 'zh-CN': '项链', en: 'necklaces' },
  bracelet: { 'zh-CN': '手链', en: 'bracelets' },
  bangle: { 'zh-CN': '手镯', en: 'bangles' },
  ring: { 'zh-CN': '戒指', en: 'rings' },
};

/** Colour / material names for "in {option}" sentences. */
export const OPTION_VALUE_NAMES: Readonly<Record<string, Record<AssistantLocale, string>>> = {
  gold: { 'zh-CN': '金色', en: 'gold' },
  silver: { 'zh-CN': '银色', en: 'silver' },
};
