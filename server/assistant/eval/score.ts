/**
 * Scores an assistant provider on the evaluation set (./questions.ts) with the demo shop's
 * knowledge (server/demo-catalogue.json + DEMO_FAQ): accuracy overall, per locale, on the tuning
 * ("dev") and held-out parts; hand-off precision and recall; and replies that invent a product or a
 * price (must be 0). A reply invents when it shows a card that is not in the catalogue, or when its
 * text names a price that is not the catalogue price of a product in the reply (prices inside a
 * verbatim FAQ answer and numbers the customer typed are allowed), or a priced line without the
 * title of a product in the reply.
 */
import { readFileSync } from 'node:fs';
import type { FaqEntry } from '../../../src/protocol/assistant.js';
import type { Product, ProductSnapshot } from '../../../src/protocol/catalogue.js';
import type { Message } from '../../../src/protocol/types.js';
import { DEMO_FAQ } from '../demo-faq.js';
import type { AssistantKnowledge, AssistantProvider, AssistantReply, KnowledgeSearch } from '../provider.js';
import { createKnowledgeSearch } from '../retrieval.js';
import { EVAL_QUESTIONS, type EvalQuestion, type Expected } from './questions.js';

/** The demo shop's knowledge: its catalogue and FAQ. */
export function demoKnowledge(): AssistantKnowledge {
  type Raw = Omit<Product, 'updatedAt' | 'options'> & { options?: Product['options'] };
  const raw = JSON.parse(readFileSync(new URL('../../demo-catalogue.json', import.meta.url), 'utf8')) as Raw[];
  const products: Product[] = raw.map((p) => ({ ...p, options: p.options ?? [], updatedAt: '2026-01-01T00:00:00.000Z' }));
  const faq: FaqEntry[] = DEMO_FAQ.map((e) => ({ id: e.id, question: e.question, answer: e.answer, keywords: e.keywords ?? [], updatedAt: '2026-01-01T00:00:00.000Z' }));
  return { shopId: 'demo', shopName: 'Maison Lumière', products, faq };
}

/** A product card as a message carries it. */
export function snapshotOf(p: Product): ProductSnapshot {
  return { id: p.id, title: p.title, price: p.price, compareAt: p.compareAt, image: p.images[0] ?? null, url: p.url, variants: p.variants, options: p.options, source: 'catalogue' };
}

/** The history of a question: the product card the shop sent before it. */
export function historyOf(q: EvalQuestion, knowledge: AssistantKnowledge): Message[] {
  if (!q.history) return [];
  const p = knowledge.products.find((x) => x.id === q.history!.card);
  if (!p) throw new Error(`eval question ${q.id}: unknown card ${q.history.card}`);
  return [
    {
      id: 'm1',
      conversationId: 'c1',
      seq: 1,
      clientId: 'x1',
      author: { role: 'agent', id: 'a1', name: 'Staff' },
      kind: 'product',
      text: '',
      product: snapshotOf(p),
      createdAt: '2026-01-01T00:00:00.000Z',
    },
  ];
}

/** One question's outcome. */
export interface EvalResult {
  question: EvalQuestion;
  reply: AssistantReply;
  correct: boolean;
  /** What the reply invented (empty when nothing). */
  invented: string[];
}

interface Part {
  n: number;
  correct: number;
  accuracy: number;
}

/** The figures of one run. */
export interface EvalReport {
  provider: string;
  overall: Part;
  zh: Part;
  en: Part;
  dev: Part;
  heldOut: Part;
  /** Questions written after the first tuning round (`fresh`). */
  fresh: Part;
  /** Of the replies that handed off, the share that should have. */
  handoffPrecision: number;
  /** Of the questions that should hand off, the share that did. */
  handoffRecall: number;
  /** Replies naming a product or price not in the catalogue. */
  invented: number;
  results: EvalResult[];
}

/** The reply meets the expectation. */
export function isCorrect(expect: Expected, reply: AssistantReply): boolean {
  if ('faq' in expect) return reply.meta.source === 'faq' && reply.meta.faqId === expect.faq && !reply.handoff;
  if ('handoff' in expect) return reply.handoff === expect.handoff;
  if ('clarify' in expect) return reply.meta.source === 'clarify' && !reply.handoff;
  if ('chat' in expect) return reply.meta.source === 'chat' && !reply.handoff;
  if (reply.meta.source !== 'catalogue' || reply.handoff || reply.productIds.length === 0) return false;
  const want = new Set(expect.products);
  if (!reply.productIds.every((id) => want.has(id))) return false;
  return expect.match === 'any' || expect.products.every((id) => reply.productIds.includes(id));
}

const PRICE = /(?:CN|US|HK)?[¥￥$]\s?(\d[\d,]*(?:\.\d{1,2})?)|(\d[\d,]*(?:\.\d{1,2})?)\s?(?:元|块|yuan|RMB|CNY)/gi;

function amounts(text: string): { line: string; value: number }[] {
  const out: { line: string; value: number }[] = [];
  for (const line of text.split('\n')) {
    for (const m of line.matchAll(PRICE)) out.push({ line, value: Number((m[1] ?? m[2] ?? '').replace(/,/g, '')) });
  }
  return out;
}

/** What a reply invents: unknown cards, prices that are no catalogue price of a product in the reply. */
export function inventions(reply: AssistantReply, question: string, knowledge: AssistantKnowledge): string[] {
  const out: string[] = [];
  const byId = new Map(knowledge.products.map((p) => [p.id, p]));
  const shown: Product[] = [];
  for (const id of reply.productIds) {
    const p = byId.get(id);
    if (p) shown.push(p);
    else out.push(`card ${id} is not in the catalogue`);
  }
  let text = reply.text;
  for (const e of knowledge.faq) for (const a of Object.values(e.answer)) if (a && text.includes(a)) text = text.replace(a, '');
  const allowed = new Map<number, Product[]>();
  for (const p of shown) {
    const prices = [p.price, ...p.variants.map((v) => v.price).filter((x) => x !== null)];
    if (p.compareAt) prices.push(p.compareAt);
    for (const m of prices) {
      const major = m.amount / 100;
      allowed.set(major, [...(allowed.get(major) ?? []), p]);
    }
  }
  const typed = new Set((question.replace(/,(\d{3})/g, '$1').match(/\d+(?:\.\d+)?/g) ?? []).map(Number));
  for (const { line, value } of amounts(text)) {
    if (typed.has(value)) continue;
    const owners = allowed.get(value);
    if (!owners) {
      out.push(`price ${value} is not the price of a product in the reply`);
      continue;
    }
    const titled = owners.some((p) => Object.values(p.title).some((t) => line.includes(t)));
    if (!titled) out.push(`price ${value} without its product's title: "${line}"`);
  }
  return out;
}

function part(results: EvalResult[]): Part {
  const correct = results.filter((r) => r.correct).length;
  return { n: results.length, correct, accuracy: results.length ? correct / results.length : 0 };
}

/** Runs `provider` over the question set. */
export async function runEval(
  provider: AssistantProvider,
  opts: { questions?: readonly EvalQuestion[]; knowledge?: AssistantKnowledge; search?: KnowledgeSearch; staffOnline?: boolean } = {},
): Promise<EvalReport> {
  const knowledge = opts.knowledge ?? demoKnowledge();
  const search = opts.search ?? createKnowledgeSearch(knowledge);
  const questions = opts.questions ?? EVAL_QUESTIONS;
  const results: EvalResult[] = [];
  for (const q of questions) {
    let streamed = '';
    const reply = await provider.reply({
      question: q.question,
      history: historyOf(q, knowledge),
      locale: q.locale,
      search,
      staffOnline: opts.staffOnline ?? true,
      signal: new AbortController().signal,
      onDelta: (d) => {
        streamed += d;
      },
      onReset: () => {
        streamed = '';
      },
    });
    const invented = inventions(reply, q.question, knowledge);
    if (streamed && streamed !== reply.text) invented.push('streamed text differs from the reply text');
    results.push({ question: q, reply, correct: isCorrect(q.expect, reply), invented });
  }
  const expectHandoff = results.filter((r) => 'handoff' in r.question.expect);
  const didHandoff = results.filter((r) => r.reply.handoff);
  const both = results.filter((r) => r.reply.handoff && 'handoff' in r.question.expect);
  return {
    provider: provider.name,
    overall: part(results),
    zh: part(results.filter((r) => r.question.locale === 'zh-CN')),
    en: part(results.filter((r) => r.question.locale === 'en')),
    dev: part(results.filter((r) => !r.question.heldOut)),
    heldOut: part(results.filter((r) => r.question.heldOut)),
    fresh: part(results.filter((r) => r.question.fresh)),
    handoffPrecision: didHandoff.length ? both.length / didHandoff.length : 1,
    handoffRecall: expectHandoff.length ? both.length / expectHandoff.length : 1,
    invented: results.filter((r) => r.invented.length > 0).length,
    results,
  };
}

function pct(x: number): string {
  return `${(x * 100).toFixed(1)}%`;
}

/** The figures as a text table. */
export function formatReport(r: EvalReport): string {
  const row = (name: string, p: Part): string => `  ${name.padEnd(10)} ${String(p.correct).padStart(4)} / ${String(p.n).padEnd(4)} ${pct(p.accuracy).padStart(6)}`;
  return [
    `assistant evaluation (provider ${r.provider})`,
    row('overall', r.overall),
    row('zh-CN', r.zh),
    row('en', r.en),
    row('dev', r.dev),
    row('held-out', r.heldOut),
    row('fresh', r.fresh),
    `  hand-off precision ${pct(r.handoffPrecision)}, recall ${pct(r.handoffRecall)}`,
    `  replies inventing a product or price: ${r.invented}`,
  ].join('\n');
}

/** One line per wrong or inventing answer. */
export function describeFailure(r: EvalResult): string {
  const got = r.reply.handoff
    ? `handoff:${r.reply.handoff}`
    : r.reply.meta.source === 'faq'
      ? `faq:${r.reply.meta.faqId}`
      : r.reply.meta.source === 'catalogue'
        ? `products:[${r.reply.productIds.join(',')}]`
        : r.reply.meta.source;
  const q = r.question;
  const hist = q.history ? ` (after card ${q.history.card})` : '';
  const inv = r.invented.length ? ` INVENTED: ${r.invented.join('; ')}` : '';
  return `${q.id}${q.heldOut ? '*' : ' '} ${JSON.stringify(q.question)}${hist}: expected ${JSON.stringify(q.expect)}, got ${got}${inv}`;
}
