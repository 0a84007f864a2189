/**
 * The embedded assistant provider: answers from the shop's catalogue and FAQ by retrieval and rules,
 * offline, with no model. Decides in this order: the customer asks for a person -> hand-off; small
 * talk -> a short answer; a FAQ entry clearly matches -> its answer; a shopping question (category,
 * material, colour, size, price limit, stock, or a follow-up about a product already in the
 * conversation) -> product cards from the catalogue; unsure -> a clarifying question offering the
 * categories the catalogue has; nothing matches -> hand-off (`no_answer`).
 *
 * Every product, price and stock figure in a reply comes from the catalogue; every sentence from
 * ./phrases.ts or the shop's FAQ. The text is streamed in short chunks `paceMs` apart.
 */
import type { AssistantMessageMeta, FaqEntry } from '../../src/protocol/assistant.js';
import type { LocalizedText, Money, Product, ProductVariant } from '../../src/protocol/catalogue.js';
import type { Message } from '../../src/protocol/types.js';
import { asksForHuman, asksHowTo, CATEGORIES, productIntent, smallTalk, type ProductIntent } from './intents.js';
import { CATEGORY_NAMES, OPTION_VALUE_NAMES, joinList, phrase } from './phrases.js';
import type { AssistantLocale, AssistantProvider, AssistantReply, AssistantRequest, KnowledgeSearch } from './provider.js';
import { inStock, lowestPrice } from './retrieval.js';
import { conceptsOf, tokenize } from './text.js';

/** Options of {@link createEmbeddedProvider}. */
export interface EmbeddedProviderOptions {
  /** Milliseconds between streamed chunks (default 30; 0 = no waiting). */
  paceMs?: number;
}

const PROVIDER = 'embedded';
/** Concepts that belong to FAQ topics rather than to products. */
const FAQ_CONCEPTS = new Set([
  'return', 'exchange', 'shipping', 'abroad', 'payment', 'allergy', 'care', 'engraving', 'gift', 'warranty', 'invoice', 'store', 'certificate', 'tracking',
]);

/** FAQ score thresholds (BM25F over the FAQ; see the evaluation in ./eval). */
const FAQ_TOPIC = 3.5;
const FAQ_WEAK = 4.5;
const FAQ_COVERED = 2.5;
/** A product hit counts as named by the question from this score (title/name words). */
const PRODUCT_NAMED = 4;
const MAX_CARDS = 10;
/** Search hits a shopping question's filters look at. */
const POOL = 200;

/** Creates the embedded provider (`name: 'embedded'`). */
export function createEmbeddedProvider(opts: EmbeddedProviderOptions = {}): AssistantProvider {
  const paceMs = opts.paceMs ?? 30;
  return {
    name: PROVIDER,
    async reply(req: AssistantRequest): Promise<AssistantReply> {
      throwIfAborted(req.signal);
      const reply = decide(req);
      await stream(reply.text, req, paceMs);
      return reply;
    },
  };
}

/** An `AbortError`-named error. */
function abortError(): Error {
  const e = new Error('The assistant reply was stopped');
  e.name = 'AbortError';
  return e;
}

function throwIfAborted(signal: AbortSignal): void {
  if (signal.aborted) throw abortError();
}

/** Chunks of a text for streaming: a few words (en) or characters (zh), never splitting a code point. */
export function chunks(text: string): string[] {
  const out: string[] = [];
  const parts = text.match(/[\u3400-\u9fff\uf900-\ufaff\u3000-\u303f\uff00-\uffef]|[^\s\u3400-\u9fff\uf900-\ufaff\u3000-\u303f\uff00-\uffef]+\s*|\s+/gu) ?? [];
  let cur = '';
  let weight = 0;
  for (const p of parts) {
    cur += p;
    weight += /^[\u3400-\u9fff\uf900-\ufaff\u3000-\u303f\uff00-\uffef]$/u.test(p) ? 1 : 3;
    if (weight >= 6) {
      out.push(cur);
      cur = '';
      weight = 0;
    }
  }
  if (cur) out.push(cur);
  return out;
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(abortError());
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(abortError());
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

async function stream(text: string, req: AssistantRequest, paceMs: number): Promise<void> {
  const parts = chunks(text);
  for (let i = 0; i < parts.length; i++) {
    throwIfAborted(req.signal);
    if (i > 0 && paceMs > 0) await sleep(paceMs, req.signal);
    req.onDelta(parts[i]!);
  }
  throwIfAborted(req.signal);
}

/* ----------------------------------------------------------------------------------------------
 * The decision
 * -------------------------------------------------------------------------------------------- */

function meta(source: AssistantMessageMeta['source'], faqId?: string): AssistantMessageMeta {
  return faqId ? { source, provider: PROVIDER, faqId } : { source, provider: PROVIDER };
}

/** Text of a localized value in `locale`, else another locale. */
function local(text: LocalizedText, locale: AssistantLocale): string {
  return text[locale] ?? text[locale === 'en' ? 'zh-CN' : 'en'] ?? Object.values(text)[0] ?? '';
}

const currencyFormats = new Map<string, Intl.NumberFormat>();
/** A price formatted with Intl in its own currency (minor units -> major). */
export function formatPrice(money: Money, locale: AssistantLocale): string {
  const key = `${locale}|${money.currency}`;
  let f = currencyFormats.get(key);
  if (!f) currencyFormats.set(key, (f = new Intl.NumberFormat(locale, { style: 'currency', currency: money.currency })));
  const digits = f.resolvedOptions().maximumFractionDigits ?? 2;
  return f.format(money.amount / 10 ** digits);
}

/** Minor units per major unit of a currency (100 for CNY, 1 for JPY). */
function minorPerMajor(currency: string): number {
  const digits = new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
  return 10 ** digits;
}

const productConceptCache = new WeakMap<Product, Set<string>>();
/** Lexicon concepts of a product (title, tags, options, description), cached per product object. */
function productConcepts(p: Product): Set<string> {
  let c = productConceptCache.get(p);
  if (!c) {
    const text = [
      ...Object.values(p.title),
      ...p.tags,
      ...Object.values(p.description),
      ...(p.options ?? []).flatMap((o) => Object.values(o.values).flatMap((v) => Object.values(v))),
    ].join(' \n ');
    c = conceptsOf(text);
    productConceptCache.set(p, c);
  }
  return c;
}

/** Category concepts of a product from its title and tags only (a description's "chain" is no category). */
const productCategoryCache = new WeakMap<Product, Set<string>>();
function productCategories(p: Product): Set<string> {
  let c = productCategoryCache.get(p);
  if (!c) {
    const found = conceptsOf([...Object.values(p.title), ...p.tags].join(' \n '));
    c = new Set(CATEGORIES.filter((x) => found.has(x)));
    productCategoryCache.set(p, c);
  }
  return c;
}

/** The product the conversation is about: the newest context product or card in `history`. */
export function productInHistory(history: readonly Message[], products: readonly Product[]): Product | null {
  for (let i = history.length - 1; i >= 0; i--) {
    const m = history[i]!;
    const ids: string[] = [];
    if (m.context?.product) ids.push(m.context.product.id);
    if (m.product) ids.push(m.product.id);
    if (m.products?.length === 1) ids.push(m.products[0]!.id);
    for (const id of ids) {
      const p = products.find((x) => x.id === id);
      if (p) return p;
    }
    // A carousel or a customer text without context: the conversation moved on from one product.
    if (m.products && m.products.length > 1) return null;
  }
  return null;
}

function handoffReply(req: AssistantRequest, reason: 'customer_asked' | 'no_answer'): AssistantReply {
  const key = reason === 'customer_asked' ? (req.staffOnline ? 'handoffOnline' : 'handoffOffline') : req.staffOnline ? 'noAnswerOnline' : 'noAnswerOffline';
  return { text: phrase(req.locale, key), productIds: [], meta: meta('handoff'), handoff: reason };
}

/** Decides the whole reply (synchronous; streaming is separate). */
export function decide(req: AssistantRequest): AssistantReply {
  const { question, locale, search } = req;
  const shop = search.knowledge.shopName;

  // 1. A person.
  if (asksForHuman(question)) return handoffReply(req, 'customer_asked');

  // 2. Small talk.
  const talk = smallTalk(question);
  if (talk) return { text: phrase(locale, talk, { shop }), productIds: [], meta: meta('chat') };

  const intent = productIntent(question);
  const concepts = conceptsOf(question);
  const faqHits = search.faq(question, { limit: 3 });
  let faqTop = faqHits[0];
  const howTo = asksHowTo(question);
  const faqTopic = [...concepts].some((c) => FAQ_CONCEPTS.has(c) || (howTo && c === 'size'));
  const focus = productInHistory(req.history, search.knowledge.products);
  const shopping =
    intent.categories.length > 0 ||
    intent.maxPrice !== null ||
    ((intent.stock || intent.price || intent.discount) && (intent.materials.length > 0 || intent.colour !== null)) ||
    (focus !== null && (intent.stock || intent.price || intent.discount || intent.detail || intent.colour !== null || intent.size !== null || intent.deictic));

  // 3. A FAQ entry clearly matches.
  // A shopping question without a FAQ topic word goes to the catalogue even when FAQ answers
  // mention its words ("和田玉手镯多少钱" is not about certificates).
  // Without a topic word, a FAQ entry needs a good score, or a fair one with most of the question's
  // words in its question / keywords ("Where is your shop?").
  // Prefer the best entry that carries the question's topic ("退款多久到账" is about refunds, not delivery times).
  const topics = [...concepts].filter((c) => FAQ_CONCEPTS.has(c)).map((c) => `#${c}`);
  const onTopic = topics.length ? faqHits.find((h) => topics.some((t) => keyTerms(h.entry).has(t))) : undefined;
  if (onTopic && onTopic !== faqTop && onTopic.score >= FAQ_TOPIC) faqTop = onTopic;
  if (faqTop) {
    const faqScore = faqTop.score;
    const clear = faqTopic
      ? faqScore >= FAQ_TOPIC
      : !shopping && !intent.browse && (faqScore >= FAQ_WEAK || (faqScore >= FAQ_COVERED && keyCoverage(question, faqTop.entry) >= 0.6));
    if (clear) return faqReply(faqTop.entry, locale);
  }

  // 4. Products.
  const products = productAnswer(req, intent, focus);
  if (products) return products;

  // 5. Unsure: clarify.
  // Stock or price of no product in particular ("有现货吗" with nothing before) -> which one?
  if (intent.browse || intent.materials.length > 0 || intent.colour || intent.stock || intent.price) return clarify(req);

  // 6. Nothing.
  return handoffReply(req, 'no_answer');
}

const faqKeyTerms = new WeakMap<FaqEntry, Set<string>>();
/** Search terms of a FAQ entry's question and keywords (any locale), cached. */
function keyTerms(entry: FaqEntry): Set<string> {
  let terms = faqKeyTerms.get(entry);
  if (!terms) {
    terms = new Set(tokenize([...Object.values(entry.question), ...entry.keywords].join(' \n ')));
    faqKeyTerms.set(entry, terms);
  }
  return terms;
}

/** Share of the question's search terms found in a FAQ entry's question or keywords. */
function keyCoverage(question: string, entry: FaqEntry): number {
  const terms = keyTerms(entry);
  const q = [...new Set(tokenize(question))];
  if (q.length === 0) return 0;
  return q.filter((t) => terms.has(t)).length / q.length;
}

function faqReply(entry: FaqEntry, locale: AssistantLocale): AssistantReply {
  return { text: local(entry.answer, locale), productIds: [], meta: meta('faq', entry.id) };
}

/** Categories the catalogue has, probed through the search (one indexed look-up per category). */
function categoriesOf(search: KnowledgeSearch): string[] {
  return CATEGORIES.filter((c) => search.products(`${CATEGORY_NAMES[c]!.en} ${CATEGORY_NAMES[c]!['zh-CN']}`, { limit: 5 }).some((h) => productCategories(h.product).has(c)));
}

function clarify(req: AssistantRequest): AssistantReply {
  const names = categoriesOf(req.search).map((c) => CATEGORY_NAMES[c]![req.locale]);
  if (names.length === 0) return handoffReply(req, 'no_answer');
  const text = `${phrase(req.locale, 'clarify', { categories: joinList(req.locale, names) })}${req.locale === 'en' ? ' ' : ''}${phrase(req.locale, 'clarifyBudget')}`;
  return { text, productIds: [], meta: meta('clarify') };
}

/** Variants of a product whose option of `name` equals `value`. */
function variantsWith(p: Product, name: string, value: string): ProductVariant[] {
  return p.variants.filter((v) => v.options[name] === value);
}

function available(v: ProductVariant): boolean {
  return v.stock === null || v.stock > 0;
}

/** Label of an option value in `locale` ("金色", "Size 7"), from the product's option labels. */
function optionLabel(p: Product, name: string, value: string, locale: AssistantLocale): string {
  const opt = (p.options ?? []).find((o) => o.name === name);
  const labels = opt?.values[value];
  if (labels) return local(labels, locale);
  return OPTION_VALUE_NAMES[value]?.[locale] ?? value;
}

/** The option name holding a colour / a size on this product, if any. */
function optionName(p: Product, kind: 'colour' | 'size'): string | null {
  const names = new Set(p.variants.flatMap((v) => Object.keys(v.options)));
  const candidates = kind === 'colour' ? ['colour', 'color', '颜色', 'finish'] : ['size', '尺码', 'ring size'];
  for (const c of candidates) if (names.has(c)) return c;
  return null;
}

function stockSuffix(p: Product, locale: AssistantLocale): string {
  if (p.variants.length === 0) return phrase(locale, 'stockUnknown');
  if (p.variants.every((v) => v.stock === null)) return phrase(locale, 'stockUnknown');
  if (!inStock(p)) return phrase(locale, 'outOfStock');
  if (p.variants.some((v) => v.stock === null)) return phrase(locale, 'inStock');
  const total = p.variants.reduce((n, v) => n + (v.stock ?? 0), 0);
  return total <= 3 ? phrase(locale, 'fewLeft', { n: total }) : phrase(locale, 'inStock');
}

function productLine(p: Product, locale: AssistantLocale): string {
  return phrase(locale, 'productLine', { title: local(p.title, locale), price: formatPrice(p.price, locale), was: wasSuffix(p, locale), stock: stockSuffix(p, locale) });
}

/** " (was ¥629.00)" when the product has a higher compare-at price. */
function wasSuffix(p: Product, locale: AssistantLocale): string {
  return p.compareAt && p.compareAt.amount > p.price.amount ? phrase(locale, 'wasPrice', { was: formatPrice(p.compareAt, locale) }) : '';
}

/** A sentence about one option value of a product: in stock, few left, out of stock, not offered. */
function optionSentence(p: Product, name: string, value: string, locale: AssistantLocale): { text: string; ok: boolean } {
  const title = local(p.title, locale);
  const label = optionLabel(p, name, value, locale);
  const vs = variantsWith(p, name, value);
  if (vs.length === 0) {
    const others = p.variants.filter(available).map((v) => optionLabel(p, name, v.options[name] ?? '', locale));
    const text = phrase(locale, 'optionMissing', { title, option: label }) + (others.length ? `${locale === 'en' ? ' ' : ''}${phrase(locale, 'optionOthers', { options: joinList(locale, others) })}` : '');
    return { text, ok: false };
  }
  const stock = vs.some((v) => v.stock === null) ? null : vs.reduce((n, v) => n + (v.stock ?? 0), 0);
  if (stock === null || stock > 3) return { text: phrase(locale, 'optionInStock', { title, option: label }), ok: true };
  if (stock > 0) return { text: phrase(locale, 'optionFewLeft', { title, option: label, n: stock }), ok: true };
  const others = p.variants.filter((v) => available(v) && v.options[name] !== undefined).map((v) => optionLabel(p, name, v.options[name]!, locale));
  const text =
    phrase(locale, 'optionOutOfStock', { title, option: label }) + (others.length ? `${locale === 'en' ? ' ' : ''}${phrase(locale, 'optionOthers', { options: joinList(locale, others) })}` : '');
  return { text, ok: false };
}

/** Answer about one product (a follow-up): colour / size / stock / price / details from the catalogue. */
function aboutProduct(p: Product, intent: ProductIntent, locale: AssistantLocale): AssistantReply {
  const title = local(p.title, locale);
  const sentences: string[] = [];
  const colourName = optionName(p, 'colour');
  const sizeName = optionName(p, 'size');
  if (intent.colour && colourName) sentences.push(optionSentence(p, colourName, intent.colour, locale).text);
  else if (intent.colour && !productConcepts(p).has(intent.colour)) {
    // No colour option and not that colour at all ("有银色的吗" about the gold hoops).
    sentences.push(phrase(locale, 'optionMissing', { title, option: OPTION_VALUE_NAMES[intent.colour]?.[locale] ?? intent.colour }));
    sentences.push(phrase(locale, 'productDetail', { title, description: local(p.description, locale), price: formatPrice(p.price, locale) }));
  } else if (intent.size && sizeName) sentences.push(optionSentence(p, sizeName, intent.size, locale).text);
  else if (intent.stock) {
    if (!inStock(p)) sentences.push(phrase(locale, 'productOutOfStock', { title }));
    else {
      const tracked = p.variants.length > 0 && p.variants.every((v) => v.stock !== null);
      const total = tracked ? p.variants.reduce((n, v) => n + (v.stock ?? 0), 0) : null;
      sentences.push(total !== null && total <= 3 ? phrase(locale, 'productFewLeft', { title, n: total }) : phrase(locale, 'productInStock', { title }));
    }
    const name = colourName ?? sizeName;
    if (name) {
      const values = p.variants.filter(available).map((v) => optionLabel(p, name, v.options[name] ?? '', locale));
      if (values.length) sentences.push(phrase(locale, 'optionOthers', { options: joinList(locale, values) }));
    }
  } else if ((intent.price || intent.discount) && !intent.detail) {
    const price = formatPrice(p.price, locale);
    const discounted = p.compareAt && p.compareAt.amount > p.price.amount;
    sentences.push(discounted ? phrase(locale, 'productPriceWas', { title, price, was: formatPrice(p.compareAt!, locale) }) : phrase(locale, 'productPrice', { title, price }));
  }
  else {
    const description = local(p.description, locale);
    sentences.push(phrase(locale, 'productDetail', { title, description, price: formatPrice(p.price, locale) }));
    const name = colourName ?? sizeName;
    if (name) {
      const values = [...new Set(p.variants.map((v) => v.options[name]).filter((v): v is string => !!v))].map((v) => optionLabel(p, name, v, locale));
      if (values.length > 1) sentences.push(phrase(locale, 'productOptions', { options: joinList(locale, values) }));
    }
  }
  return { text: sentences.join(locale === 'en' ? ' ' : ''), productIds: [p.id], meta: meta('catalogue') };
}

/** Product cards for a shopping question, or `null` when the catalogue has nothing that fits. */
function productAnswer(req: AssistantRequest, intent: ProductIntent, focus: Product | null): AssistantReply | null {
  const { search, locale, question } = req;
  const all = search.knowledge.products;
  const hits = search.products(question, { limit: 50 });
  const topScore = hits[0]?.score ?? 0;
  // Products the question names (title words), beyond category / material words.
  const named = hits.filter((h) => h.score >= PRODUCT_NAMED && h.score >= topScore * 0.6 && namesProduct(question, h.product)).map((h) => h.product);

  // A follow-up about the product in the conversation.
  const aboutFocus =
    focus !== null &&
    named.every((p) => p.id === focus.id) &&
    intent.categories.every((c) => productCategories(focus).has(c)) &&
    intent.maxPrice === null &&
    (intent.stock || intent.price || intent.discount || intent.detail || intent.colour !== null || intent.size !== null || intent.deictic || intent.materials.length > 0);
  if (focus && aboutFocus) return aboutProduct(focus, intent, locale);
  if (named.length === 1 && (intent.stock || intent.price || intent.discount || intent.detail || intent.colour || intent.size)) return aboutProduct(named[0]!, intent, locale);

  const currency = all[0]?.price.currency ?? 'CNY';
  const limitMinor = intent.maxPrice === null ? null : intent.maxPrice * minorPerMajor(currency);
  const fits = (p: Product): boolean => {
    const cats = productCategories(p);
    const cons = productConcepts(p);
    if (intent.categories.length > 0 && !intent.categories.some((c) => cats.has(c))) return false;
    if (intent.materials.length > 0 && !intent.materials.every((m) => cons.has(m) || (m === 'gold' && cons.has('rosegold')))) return false;
    if (intent.colour && !intent.materials.includes(intent.colour) && !cons.has(intent.colour)) return false;
    return true;
  };

  let candidates: Product[];
  let covered: Product[] = [];
  let nothingUnder = false;
  if (intent.categories.length > 0 || intent.materials.length > 0 || intent.colour) {
    // The search's best POOL hits (category words weigh most), under the price limit when one is set.
    const pool = (maxPrice?: number): Product[] => search.products(question, { limit: POOL, ...(maxPrice === undefined ? {} : { maxPrice }) }).map((h) => h.product).filter(fits);
    candidates = pool(limitMinor ?? undefined);
    if (candidates.length === 0 && limitMinor !== null) {
      candidates = pool();
      nothingUnder = candidates.length > 0;
    }
    if (candidates.length === 0 && named.length > 0) candidates = named;
  } else if (named.length > 0) candidates = named;
  else if (limitMinor === null && (covered = coveredProducts(question, hits)).length > 0) candidates = covered;
  else if (limitMinor !== null) {
    candidates = all.filter((p) => lowestPrice(p) <= limitMinor);
    if (candidates.length === 0) {
      candidates = [...all];
      nothingUnder = true;
    }
  } else return null;
  if (candidates.length === 0) return null;

  const sentences: string[] = [];
  if (limitMinor !== null) {
    const under = candidates.filter((p) => lowestPrice(p) <= limitMinor);
    if (nothingUnder || under.length === 0) {
      let cheapest = candidates[0]!;
      for (const p of candidates) if (lowestPrice(p) < lowestPrice(cheapest)) cheapest = p;
      sentences.push(phrase(locale, 'nothingUnder', { limit: formatPrice({ amount: limitMinor, currency }, locale) }));
      candidates = [cheapest];
    } else candidates = under.sort((a, b) => lowestPrice(a) - lowestPrice(b));
  }

  // In stock first (stable).
  candidates = [...candidates.filter(inStock), ...candidates.filter((p) => !inStock(p))].slice(0, MAX_CARDS);

  // Colour / size asked: say per product when that option is out of stock.
  const optionNotes: string[] = [];
  if (intent.colour || intent.size) {
    for (const p of candidates) {
      const name = intent.colour ? optionName(p, 'colour') : optionName(p, 'size');
      if (!name) continue;
      const s = optionSentence(p, name, (intent.colour ?? intent.size)!, locale);
      if (!s.ok) optionNotes.push(s.text);
    }
  }

  if (sentences.length === 0) sentences.push(phrase(locale, candidates.length === 1 ? 'foundOne' : 'foundProducts'));
  const lines = candidates.map((p) => productLine(p, locale));
  const text = [sentences.join(' '), ...lines, ...optionNotes].join('\n');
  return { text, productIds: candidates.map((p) => p.id), meta: meta('catalogue') };
}

const productTermCache = new WeakMap<Product, Set<string>>();
/**
 * Products (at most 3) whose text holds every search term of the question ("what is moissanite",
 * "freshwater pearls?"): the question is about them even without a category or title word.
 */
function coveredProducts(question: string, hits: readonly { product: Product; score: number }[]): Product[] {
  const q = [...new Set(tokenize(question))];
  if (q.length === 0) return [];
  const out: Product[] = [];
  for (const { product } of hits.slice(0, 10)) {
    let terms = productTermCache.get(product);
    if (!terms) {
      terms = new Set(tokenize([...Object.values(product.title), ...product.tags, ...Object.values(product.description)].join(' \n ')));
      productTermCache.set(product, terms);
    }
    if (q.every((t) => terms.has(t))) out.push(product);
    if (out.length === 3) break;
  }
  return out;
}

/** The question uses a word of the product's title that is not just a category or material word. */
function namesProduct(question: string, p: Product): boolean {
  const q = new Set(tokenize(question, { concepts: false }));
  const generic = new Set(tokenize(CATEGORY_AND_MATERIAL_WORDS, { concepts: false }));
  for (const t of tokenize(Object.values(p.title).join(' \n '), { concepts: false })) if (q.has(t) && !generic.has(t)) return true;
  return false;
}

const CATEGORY_AND_MATERIAL_WORDS =
  '耳环 耳饰 耳钉 项链 手链 手镯 戒指 珍珠 玉 金 银 金色 银色 玫瑰金 earrings earring studs hoops necklace bracelet bangle ring pearl jade gold silver rose gold';

