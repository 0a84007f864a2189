/**
 * The embedded assistant's evaluation and retrieval speed. Prints figures only.
 *
 *   node --import tsx bench/assistant-eval.ts [--show-held-out] [--products 10000] [--queries 2000]
 *
 * 1. Accuracy on server/assistant/eval/questions.ts (demo catalogue + DEMO_FAQ): overall, zh-CN,
 *    en, dev (tuned on) and held-out, hand-off precision / recall, replies inventing a product or a
 *    price; then the failures of the dev part (held-out failures only with --show-held-out).
 * 2. Retrieval speed: index build time and p50 / p99 query time (products + FAQ search, as the
 *    provider does per question) on the demo knowledge and on a synthetic catalogue.
 */
import type { Product } from '../src/protocol/catalogue.js';
import { createEmbeddedProvider } from '../server/assistant/embedded.js';
import { EVAL_QUESTIONS } from '../server/assistant/eval/questions.js';
import { demoKnowledge, describeFailure, formatReport, runEval } from '../server/assistant/eval/score.js';
import type { AssistantKnowledge } from '../server/assistant/provider.js';
import { createKnowledgeSearch } from '../server/assistant/retrieval.js';

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}
const SHOW_HELD_OUT = process.argv.includes('--show-held-out');
const N_PRODUCTS = arg('products', 10_000);
const N_QUERIES = arg('queries', 2000);

/** Deterministic pseudo-random numbers (mulberry32). */
function rng(seed: number): () => number {
  let a = seed;
  return () => {
    a |= 0;
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const KINDS = [
  ['耳环', 'earrings'], ['耳钉', 'studs'], ['项链', 'necklace'], ['手链', 'bracelet'], ['手镯', 'bangle'], ['戒指', 'ring'], ['吊坠', 'pendant'], ['胸针', 'brooch'], ['脚链', 'anklet'], ['发夹', 'hair clip'],
] as const;
const MATERIALS = [
  ['S925 银', 'S925 silver'], ['18K 金', '18K gold'], ['玫瑰金', 'rose gold'], ['珍珠', 'pearl'], ['和田玉', 'Hetian jade'], ['月光石', 'moonstone'], ['锆石', 'zircon'], ['黄铜', 'brass'], ['钛钢', 'titanium steel'], ['翡翠', 'jadeite'],
] as const;
const STYLES = [
  ['简约', 'minimal'], ['复古', 'vintage'], ['法式', 'French'], ['星空', 'starry'], ['花朵', 'flower'], ['几何', 'geometric'], ['小众', 'indie'], ['轻奢', 'luxe'], ['甜美', 'sweet'], ['森系', 'forest'],
] as const;

/** Characters for made-up product names, so Chinese runs differ between products as in real catalogues. */
const NAME_CHARS = '晨曦月光星辰暖阳繁花流云微风细雨初雪晚霞清泉松竹梅兰琉璃珊瑚海棠玲珑锦绣如意吉祥安然静好';

/** A synthetic bilingual jewellery catalogue of `n` products (every product has its own made-up name). */
function syntheticCatalogue(n: number): Product[] {
  const r = rng(42);
  const pick = <T,>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
  const chars = [...NAME_CHARS];
  const out: Product[] = [];
  for (let i = 0; i < n; i++) {
    const kind = pick(KINDS);
    const mat = pick(MATERIALS);
    const style = pick(STYLES);
    const zhName = `${pick(chars)}${pick(chars)}${pick(chars)}`;
    const name = `${style[1]} ${mat[1]} ${kind[1]} ${i}`;
    out.push({
      id: `p${i}`,
      title: { 'zh-CN': `${zhName}${style[0]}${mat[0]}${kind[0]}`, en: name },
      description: {
        'zh-CN': `${zhName}系列，${mat[0]}材质，${style[0]}风格，适合日常佩戴，长度 ${10 + Math.floor(r() * 40)} cm。`,
        en: `${mat[1]}, ${style[1]} style, for every day, ${10 + Math.floor(r() * 40)} cm long.`,
      },
      price: { amount: (100 + Math.floor(r() * 3000)) * 100, currency: 'CNY' },
      compareAt: null,
      images: [],
      url: null,
      tags: [kind[0], kind[1], mat[1], style[1]],
      variants: [
        { id: 'gold', sku: null, options: { colour: 'gold' }, price: null, stock: Math.floor(r() * 5) },
        { id: 'silver', sku: null, options: { colour: 'silver' }, price: null, stock: Math.floor(r() * 5) },
      ],
      options: [],
      updatedAt: '2026-01-01T00:00:00.000Z',
    });
  }
  return out;
}

function quantile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}

function speed(label: string, knowledge: AssistantKnowledge, queries: readonly string[], rounds: number): void {
  const t0 = performance.now();
  const search = createKnowledgeSearch(knowledge);
  const buildMs = performance.now() - t0;
  const times: number[] = [];
  // Warm-up.
  for (const q of queries.slice(0, 50)) search.products(q, { limit: 50 });
  for (let i = 0; i < rounds; i++) {
    const q = queries[i % queries.length]!;
    const s = performance.now();
    search.products(q, { limit: 50 });
    search.faq(q, { limit: 3 });
    times.push(performance.now() - s);
  }
  times.sort((a, b) => a - b);
  console.log(
    `  ${label.padEnd(34)} build ${buildMs.toFixed(1).padStart(8)} ms   query p50 ${quantile(times, 0.5).toFixed(3)} ms   p99 ${quantile(times, 0.99).toFixed(3)} ms   (${rounds} queries)`,
  );
}

async function main(): Promise<void> {
  const report = await runEval(createEmbeddedProvider({ paceMs: 0 }));
  console.log(formatReport(report));
  const failures = report.results.filter((r) => !r.correct || r.invented.length > 0);
  const shown = failures.filter((r) => SHOW_HELD_OUT || !r.question.heldOut);
  console.log(`\nfailures (${failures.length}; ${failures.length - shown.length} held-out not shown${SHOW_HELD_OUT ? '' : ', use --show-held-out'}):`);
  for (const f of shown) console.log(`  ${describeFailure(f)}`);

  console.log('\nretrieval speed (products search limit 50 + FAQ search, per question):');
  const questions = EVAL_QUESTIONS.map((q) => q.question);
  const demo = demoKnowledge();
  speed(`demo (${demo.products.length} products, ${demo.faq.length} FAQ)`, demo, questions, N_QUERIES);
  const big: AssistantKnowledge = { ...demo, products: syntheticCatalogue(N_PRODUCTS) };
  speed(`synthetic (${N_PRODUCTS} products, ${demo.faq.length} FAQ)`, big, questions, N_QUERIES);
  const t0 = performance.now();
  const provider = createEmbeddedProvider({ paceMs: 0 });
  const bigSearch = createKnowledgeSearch(big);
  const t1 = performance.now();
  const decide: number[] = [];
  for (const q of EVAL_QUESTIONS) {
    const s = performance.now();
    await provider.reply({ question: q.question, history: [], locale: q.locale, search: bigSearch, staffOnline: true, signal: new AbortController().signal, onDelta: () => {}, onReset: () => {} });
    decide.push(performance.now() - s);
  }
  decide.sort((a, b) => a - b);
  console.log(
    `  whole reply on ${N_PRODUCTS} products (paceMs 0): p50 ${quantile(decide, 0.5).toFixed(2)} ms, p99 ${quantile(decide, 0.99).toFixed(2)} ms (index ${(t1 - t0).toFixed(0)} ms)`,
  );
  const mem = process.memoryUsage();
  console.log(`  process heap used ${(mem.heapUsed / 1048576).toFixed(0)} MB, rss ${(mem.rss / 1048576).toFixed(0)} MB`);
}

await main();
