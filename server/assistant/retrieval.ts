/**
 * Knowledge search of the embedded assistant: BM25F over the shop's catalogue and FAQ, in Chinese
 * and English (terms from ./text.ts: ICU words, bigrams, English stems, bilingual concept terms).
 *
 * Fields and weights: products — title 3, tags / option labels and values 2, description 1;
 * FAQ — question and keywords 3, answer 1. The inverted index is built once per knowledge
 * (O(total text)); a search touches only the postings of the query's terms.
 */
import type { FaqEntry } from '../../src/protocol/assistant.js';
import type { LocalizedText, Product } from '../../src/protocol/catalogue.js';
import type { AssistantKnowledge, FaqHit, KnowledgeSearch, ProductHit } from './provider.js';
import { tokenize } from './text.js';

const K1 = 1.2;
/** idf is computed as if a shop had at least this many products / FAQ entries (see Bm25Index). */
const MIN_PRODUCT_DOCS = 6;
const MIN_FAQ_DOCS = 15;
const B = 0.6;

interface Posting {
  doc: number;
  tf: number;
}

/** One field of a document: its text and weight. */
interface Field {
  text: string;
  weight: number;
}

/** A BM25F index over documents made of weighted fields. */
export class Bm25Index {
  private readonly postings = new Map<string, Posting[]>();
  private readonly lengths: Float64Array;
  private readonly avgLength: number;
  readonly size: number;
  /** The document count idf is computed with: at least `minSize` (see the constructor). */
  private readonly idfSize: number;

  /**
   * `minSize`: idf is computed as if the index held at least this many documents. Scores then do
   * not collapse for a tiny corpus (with one FAQ entry, plain BM25 gives every term an idf of 0.29
   * and nothing ever reaches the answer thresholds, which were set on a FAQ of about 15 entries).
   */
  constructor(docs: readonly Field[][], opts: { minSize?: number } = {}) {
    this.size = docs.length;
    this.idfSize = Math.max(docs.length, opts.minSize ?? 0);
    this.lengths = new Float64Array(docs.length);
    let total = 0;
    docs.forEach((fields, doc) => {
      const tf = new Map<string, number>();
      let length = 0;
      for (const f of fields) {
        if (!f.text) continue;
        for (const t of tokenize(f.text)) {
          tf.set(t, (tf.get(t) ?? 0) + f.weight);
          length += f.weight;
        }
      }
      for (const [term, n] of tf) {
        let list = this.postings.get(term);
        if (!list) this.postings.set(term, (list = []));
        list.push({ doc, tf: n });
      }
      this.lengths[doc] = length;
      total += length;
    });
    this.avgLength = docs.length ? total / docs.length || 1 : 1;
  }

  /** Inverse document frequency of a term (0 when unknown). */
  idf(term: string): number {
    const df = this.postings.get(term)?.length ?? 0;
    if (df === 0) return 0;
    return Math.log(1 + (this.idfSize - df + 0.5) / (df + 0.5));
  }

  /** The term occurs in some document. */
  has(term: string): boolean {
    return this.postings.has(term);
  }

  /** BM25F scores by document for the (deduplicated) query terms, each weighted by `boost(term)`. */
  score(terms: readonly string[], boost: (term: string) => number = () => 1): Map<number, number> {
    const scores = new Map<number, number>();
    for (const term of new Set(terms)) {
      const list = this.postings.get(term);
      if (!list) continue;
      const idf = this.idf(term) * boost(term);
      for (const { doc, tf } of list) {
        const norm = tf / (1 - B + (B * this.lengths[doc]!) / this.avgLength);
        const s = (idf * (norm * (K1 + 1))) / (norm + K1);
        scores.set(doc, (scores.get(doc) ?? 0) + s);
      }
    }
    return scores;
  }
}

function allLocales(text: LocalizedText | undefined): string {
  return text ? Object.values(text).join(' \n ') : '';
}

/** The searchable fields of a product. */
export function productFields(p: Product): Field[] {
  const attrs: string[] = [...p.tags];
  for (const o of p.options ?? []) {
    attrs.push(allLocales(o.label));
    for (const [value, labels] of Object.entries(o.values)) attrs.push(value, allLocales(labels));
  }
  for (const v of p.variants) for (const value of Object.values(v.options)) attrs.push(value);
  return [
    { text: allLocales(p.title), weight: 3 },
    { text: attrs.join(' \n '), weight: 2 },
    { text: allLocales(p.description), weight: 1 },
  ];
}

/** The searchable fields of a FAQ entry. */
export function faqFields(e: FaqEntry): Field[] {
  return [
    { text: `${allLocales(e.question)} \n ${e.keywords.join(' \n ')}`, weight: 3 },
    { text: allLocales(e.answer), weight: 1 },
  ];
}

/** Lowest price of a product in minor units (its price, or a cheaper variant's). */
export function lowestPrice(p: Product): number {
  let min = p.price.amount;
  for (const v of p.variants) if (v.price && v.price.amount < min) min = v.price.amount;
  return min;
}

/** Some variant has stock (untracked stock counts as available; no variants = the product itself). */
export function inStock(p: Product): boolean {
  if (p.variants.length === 0) return true;
  return p.variants.some((v) => v.stock === null || v.stock > 0);
}

/** The `limit` best (score desc, then document order) of `scores` that pass `keep`. */
function top(scores: Map<number, number>, limit: number, keep: (doc: number) => boolean): [number, number][] {
  const out: [number, number][] = [];
  for (const entry of scores) if (keep(entry[0])) out.push(entry);
  out.sort((a, b) => b[1] - a[1] || a[0] - b[0]);
  if (out.length > limit) out.length = limit;
  return out;
}

/** Category concepts weigh triple in product searches: "金色耳环" is about earrings first, gold second. */
const CATEGORY_TERMS = new Set(['#earrings', '#necklace', '#bracelet', '#bangle', '#ring']);
function productBoost(term: string): number {
  return CATEGORY_TERMS.has(term) ? 3 : 1;
}

/**
 * Builds the search over one shop's knowledge. The index is built now (once); `products` and `faq`
 * are synchronous. An empty query (no search terms) matches every product, so price and stock
 * filters alone still list the catalogue.
 */
export function createKnowledgeSearch(knowledge: AssistantKnowledge): KnowledgeSearch {
  const products = knowledge.products;
  const faq = knowledge.faq;
  // The answer thresholds of the embedded provider were set on the demo (6 products, 15 FAQ
  // entries): smaller shops score as if they had that many documents.
  const productIndex = new Bm25Index(products.map(productFields), { minSize: MIN_PRODUCT_DOCS });
  const faqIndex = new Bm25Index(faq.map(faqFields), { minSize: MIN_FAQ_DOCS });

  return {
    knowledge,
    products(query, opts = {}): ProductHit[] {
      const limit = opts.limit ?? 10;
      const terms = tokenize(query);
      const keep = (p: Product): boolean =>
        (opts.maxPrice === undefined || lowestPrice(p) <= opts.maxPrice) && (!opts.inStockOnly || inStock(p));
      if (terms.length === 0) {
        const all: ProductHit[] = [];
        for (const product of products) {
          if (all.length >= limit) break;
          if (keep(product)) all.push({ product, score: 0 });
        }
        return all;
      }
      return top(productIndex.score(terms, productBoost), limit, (doc) => keep(products[doc]!)).map(([doc, score]) => ({ product: products[doc]!, score }));
    },
    faq(query, opts = {}): FaqHit[] {
      const limit = opts.limit ?? 5;
      return top(faqIndex.score(tokenize(query)), limit, () => true).map(([doc, score]): FaqHit => ({ entry: faq[doc]!, score }));
    },
  };
}
