/**
 * Text analysis for the embedded assistant: normalising, locale detection and tokenising of Chinese
 * and English (and mixed) customer text into search terms.
 *
 * Chinese: ICU dictionary words (`Intl.Segmenter`) plus character bigrams of every CJK run (ICU splits
 * 退货 into 退|货 and 耳钉 into 耳|钉; the bigrams 退货 / 耳钉 still match), minus stop words and
 * bigrams that span a function character (的, 吗, ...). English: lowercase, punctuation stripped,
 * stop words dropped, a light plural stemmer. Both: a small bilingual domain lexicon adds concept
 * terms (`#gold`, `#earrings`, `#return`, ...) so a Chinese question finds English text and back.
 */
import type { AssistantLocale } from './provider.js';

const CJK = /[\u3400-\u9fff\uf900-\ufaff]/;
const CJK_G = /[\u3400-\u9fff\uf900-\ufaff]/g;
const LATIN_WORD = /[a-z]{2,}/gi;

/** NFKC (full-width to half-width, ligatures), lowercase, unified punctuation. */
export function normalize(text: string): string {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .normalize('NFC')
    .replace(/[\u2013\u2014]/g, '-');
}

/**
 * The locale a text is written in: CJK characters -> `zh-CN`, Latin words -> `en`, else `fallback`
 * (digits, emoji, punctuation only). Mixed text with any Chinese counts as Chinese unless English
 * words clearly dominate ("is the 耳钉 S925 silver and how long is the pin").
 */
export function detectLocale(text: string, fallback: AssistantLocale): AssistantLocale {
  const cjk = (text.match(CJK_G) ?? []).length;
  const latin = (normalize(text).match(LATIN_WORD) ?? []).filter((w) => !/^(s|k|mm|cm|ct)$/.test(w)).length;
  if (cjk === 0 && latin === 0) return fallback;
  if (cjk === 0) return 'en';
  if (latin === 0) return 'zh-CN';
  // Two Chinese characters weigh about one English word.
  return latin * 2 > cjk * 1.5 && latin >= 4 ? 'en' : 'zh-CN';
}

/** English stop words (question scaffolding, not content). */
const EN_STOP = new Set(
  (
    'a an the and or but if of to in on at by for with from about into over as is are was were be been being ' +
    'do does did doing have has had having i me my we our you your he she it its they them their this that these those ' +
    'what which who whom whose when where why how can could would should will shall may might must ' +
    'there here any some much many more most very so too just also not no yes please pls hi hello hey thanks thank ' +
    'get got one ones anything something like want wanted looking look need tell know let us am im dont does ' +
    'still than then only all each other such own same s t'
  ).split(' '),
);

/** Chinese stop words (whole ICU words). */
const ZH_STOP = new Set(
  (
    '的 了 吗 呢 吧 啊 呀 嘛 么 哦 哈 呵 嗯 是 有 在 和 与 及 或 我 你 您 他 她 它 我们 你们 您们 他们 这 那 这个 那个 这款 那款 ' +
    '个 款 一 一下 一个 请 请问 问 问下 问一下 能 能不能 可以 可不可以 可 以 吗 不 没 没有 有没有 有无 什么 怎么 怎样 怎么样 ' +
    '如何 多少 哪 哪些 哪个 吗 还 还有 也 就 都 要 想 想要 会 给 让 把 被 对 从 到 为 呗 哈喔 亲 麻烦 谢谢 你好 您好 ' +
    '就是 是不是 是否 这种 那种 里 上 下 中 呃 额 些 得 地 着 过 吧 咋 啥 么 呐 哇'
  ).split(' '),
);

/** Characters that carry no content on their own: a bigram containing one is dropped. */
const ZH_STOP_CHARS = new Set('的了吗呢吧啊呀嘛么哦哈呵嗯是我你您他她它这那个请问能可以么不没什怎样哪还也就都想会给让把被对从为呗亲麻烦些得地着过咋啥呐哇嗨喂'.split(''));

/**
 * Bilingual synonym groups of the domain: any member found in a text adds the concept term `#name`.
 * Chinese members match as substrings, Latin members as whole words (phrases allowed).
 */
export const LEXICON: Readonly<Record<string, readonly string[]>> = {
  gold: ['金', '金色', '黄金', 'gold', 'golden', 'gold-plated', 'gold-filled'],
  silver: ['银', '银色', 's925', '925', 'silver', 'sterling'],
  rosegold: ['玫瑰金', 'rose gold', 'rose-gold', 'rosegold'],
  earrings: ['耳环', '耳饰', '耳钉', '耳坠', '耳圈', '耳夹', 'earring', 'earrings', 'stud', 'studs', 'hoop', 'hoops'],
  necklace: ['项链', '吊坠', '锁骨链', 'necklace', 'necklaces', 'pendant'],
  bracelet: ['手链', 'bracelet', 'bracelets'],
  bangle: ['手镯', '镯子', '镯', 'bangle', 'bangles'],
  ring: ['戒指', '指环', '戒', 'ring', 'rings'],
  pearl: ['珍珠', 'pearl', 'pearls'],
  jade: ['玉', '和田玉', 'jade'],
  moonstone: ['月光石', 'moonstone', 'moonstones'],
  star: ['星星', '星辰', 'star', 'stars'],
  return: ['退货', '退换', '退款', '退', 'return', 'returns', 'refund', 'refunds', 'send back', 'money back'],
  exchange: ['换货', '调换', '换', 'exchange', 'swap'],
  shipping: ['快递', '发货', '物流', '配送', '邮费', '运费', '包邮', '寄', '送到', '几天到', 'shipping', 'ship', 'delivery', 'deliver', 'postage', 'courier', 'sf express', 'arrive'],
  abroad: ['海外', '国外', '境外', '国际', '香港', '台湾', '澳门', '美国', '英国', '日本', '新加坡', '澳大利亚', '加拿大', 'abroad', 'overseas', 'international', 'internationally', 'worldwide'],
  payment: ['付款', '支付', '微信支付', '支付宝', '花呗', '信用卡', '分期', 'pay', 'payment', 'alipay', 'wechat pay', 'credit card', 'visa', 'mastercard', 'paypal', 'instalment', 'installment'],
  allergy: ['过敏', '敏感', '镍', '发痒', '发炎', 'allergy', 'allergic', 'allergies', 'nickel', 'sensitive', 'itchy'],
  material: ['材质', '材料', '纯银', '镀金', '镀层', '掉色', '褪色', '氧化', 'material', 'materials', 'plated', 'plating', 'tarnish', 'fade', 'made of'],
  care: ['保养', '清洁', '清洗', '擦', '洗澡', '游泳', '发黑', '变黑', '保存', 'care', 'clean', 'cleaning', 'polish', 'shower', 'swim', 'storing'],
  size: ['尺码', '尺寸', '港码', '圈号', '指围', '内径', '大小', '多大', '量尺寸', 'size', 'sizes', 'sizing', 'measure', 'diameter', 'fit'],
  engraving: ['刻字', '刻', '定制', '名字', 'engrave', 'engraving', 'engraved', 'engravable', 'personalise', 'personalize', 'initials'],
  gift: ['礼盒', '包装', '贺卡', '礼品袋', '手提袋', 'wrap', 'wrapped', 'wrapping', 'packaging', 'gift box', 'box', 'greeting card', 'message card'],
  warranty: ['保修', '质保', '售后', '维修', '修', '坏了', '断了', '翻新', '重新电镀', 'warranty', 'guarantee', 'repair', 'broken', 'replating', 're-plating', 'fix'],
  invoice: ['发票', '开票', '专票', '普票', '抬头', 'fapiao', 'invoice', 'receipt', 'vat'],
  store: ['门店', '实体店', '线下', '地址', '店在哪', '营业时间', '几点', '开门', '关门', '到店', 'shop address', 'store', 'address', 'opening hours', 'open', 'close', 'closing', 'hours', 'visit', 'boutique', 'located', 'location', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday', 'weekend', '周一', '周二', '周三', '周四', '周五', '周六', '周日', '周末', '星期'],
  certificate: ['证书', '鉴定', '正品', '真的', '真假', '假货', '保真', 'certificate', 'certified', 'authentic', 'authenticity', 'genuine', 'real', 'fake'],
  tracking: ['物流信息', '查物流', '单号', '快递单号', '到哪了', '订单', '没收到', '还没到', '跟踪', 'track', 'tracking', 'order status', 'my order', 'my parcel', 'my package', 'parcel'],
};

/** Lexicon members by script, precomputed: Chinese substrings and Latin word phrases. */
const LEX_ZH: [string, string][] = [];
const LEX_EN: [string[], string][] = [];
for (const [concept, members] of Object.entries(LEXICON)) {
  for (const m of members) {
    if (CJK.test(m)) LEX_ZH.push([m, `#${concept}`]);
    else LEX_EN.push([m.split(/[\s]+/), `#${concept}`]);
  }
}

/** Words that are lexicon members: with concepts on, they count as their concept only (not three times). */
const MEMBERS = new Set<string>([...LEX_ZH.map(([m]) => m), ...LEX_EN.filter(([p]) => p.length === 1).map(([p]) => p[0]!)]);

let segmenter: Intl.Segmenter | null = null;
/** ICU segmentation of Chinese runs, cached (catalogues repeat the same phrases a lot; bounded). */
const wordCache = new Map<string, string[]>();
const WORD_CACHE_MAX = 50_000;
function zhWords(run: string): string[] {
  const cached = wordCache.get(run);
  if (cached) return cached;
  segmenter ??= new Intl.Segmenter('zh', { granularity: 'word' });
  const out: string[] = [];
  for (const s of segmenter.segment(run)) if (s.isWordLike) out.push(s.segment);
  if (wordCache.size >= WORD_CACHE_MAX) wordCache.clear();
  wordCache.set(run, out);
  return out;
}

/** Light English stemming: plural s (earrings -> earring, boxes -> box), possessive. */
export function stemEn(word: string): string {
  if (word.length <= 3) return word;
  if (word.endsWith("'s")) return word.slice(0, -2);
  if (word.endsWith('ies') && word.length > 4) return `${word.slice(0, -3)}y`;
  if (/(ss|us|is)$/.test(word)) return word;
  if (/(xes|ches|shes|sses)$/.test(word)) return word.slice(0, -2);
  if (word.endsWith('s')) return word.slice(0, -1);
  return word;
}

/** The Latin/number words of a normalised text, in order (S925, 18k, 8mm kept as one word each). */
function latinWords(norm: string): string[] {
  return norm.match(/[a-z0-9]+(?:[-'][a-z0-9]+)*/g) ?? [];
}

/** Options of {@link tokenize}. */
export interface TokenizeOptions {
  /** Add lexicon concept terms (`#gold`); default true. */
  concepts?: boolean;
  /** Keep lexicon members as terms of their own besides their concept; default true. */
  literalMembers?: boolean;
}

/**
 * Search terms of a text: Chinese ICU words and bigrams (unigrams for one-character runs), English
 * stems, numbers, and concept terms from {@link LEXICON}. Duplicates are kept (term frequency).
 */
export function tokenize(text: string, opts: TokenizeOptions = {}): string[] {
  const norm = normalize(text);
  const terms: string[] = [];
  const withConcepts = opts.concepts !== false;
  // Lexicon members also count as themselves (a literal match is worth more than a synonym's);
  // `literalMembers: false` would count them as their concept only.
  const literal = (w: string): boolean => !withConcepts || opts.literalMembers !== false || !MEMBERS.has(w);
  // Chinese runs.
  for (const m of norm.matchAll(/[\u3400-\u9fff\uf900-\ufaff]+/g)) {
    const run = m[0];
    for (const w of zhWords(run)) if (!ZH_STOP.has(w) && !(w.length === 1 && ZH_STOP_CHARS.has(w)) && literal(w)) terms.push(w);
    if (run.length === 1) continue;
    for (let i = 0; i + 1 < run.length; i++) {
      const a = run[i]!;
      const b = run[i + 1]!;
      if (ZH_STOP_CHARS.has(a) || ZH_STOP_CHARS.has(b)) continue;
      const bi = a + b;
      if (literal(bi)) terms.push(`~${bi}`);
    }
  }
  // Latin words and numbers.
  const words = latinWords(norm);
  for (const w of words) {
    const stem = /^[a-z]/.test(w) ? stemEn(w) : w;
    if (EN_STOP.has(w) || EN_STOP.has(stem)) continue;
    if (literal(w) && literal(stem)) terms.push(stem);
    // gold-plated -> also gold, plated
    if (w.includes('-')) for (const part of w.split('-')) if (part && !EN_STOP.has(part) && literal(part)) terms.push(stemEn(part));
  }
  if (withConcepts) terms.push(...concepts(norm, words));
  return terms;
}

/** Chinese lexicon members by first character; English phrases by first word. */
const ZH_BY_FIRST = new Map<string, [string, string][]>();
for (const entry of LEX_ZH) {
  const first = entry[0][0]!;
  const list = ZH_BY_FIRST.get(first);
  if (list) list.push(entry);
  else ZH_BY_FIRST.set(first, [entry]);
}
const EN_BY_FIRST = new Map<string, [string[], string][]>();
for (const entry of LEX_EN) {
  const first = entry[0][0]!;
  const list = EN_BY_FIRST.get(first);
  if (list) list.push(entry);
  else EN_BY_FIRST.set(first, [entry]);
}

/** Concept terms (`#gold`, ...) found in a normalised text (overlapping members all count: 玫瑰金 is rose gold and gold). */
function concepts(norm: string, words: string[]): string[] {
  const found = new Set<string>();
  for (let i = 0; i < norm.length; i++) {
    const list = ZH_BY_FIRST.get(norm[i]!);
    if (!list) continue;
    for (const [member, concept] of list) if (norm.startsWith(member, i)) found.add(concept);
  }
  const check = (seq: string[]): void => {
    for (let i = 0; i < seq.length; i++) {
      const list = EN_BY_FIRST.get(seq[i]!);
      if (!list) continue;
      outer: for (const [phrase, concept] of list) {
        for (let j = 1; j < phrase.length; j++) if (seq[i + j] !== phrase[j]) continue outer;
        found.add(concept);
      }
    }
  };
  if (words.length > 0) {
    check(words);
    for (const w of words) if (w.includes('-')) check(w.split('-'));
  }
  return [...found];
}

/** Concept names (without `#`) a text mentions, e.g. `['gold', 'earrings']`. */
export function conceptsOf(text: string): Set<string> {
  const norm = normalize(text);
  return new Set(concepts(norm, latinWords(norm)).map((c) => c.slice(1)));
}
