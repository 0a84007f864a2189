import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { faqInputSchema } from '../../src/protocol/assistant-schemas.js';
import { DEMO_FAQ } from './demo-faq.js';

describe('DEMO_FAQ', () => {
  it('has 12 to 16 entries with unique faq-* ids', () => {
    expect(DEMO_FAQ.length).toBeGreaterThanOrEqual(12);
    expect(DEMO_FAQ.length).toBeLessThanOrEqual(16);
    expect(new Set(DEMO_FAQ.map((e) => e.id)).size).toBe(DEMO_FAQ.length);
    for (const e of DEMO_FAQ) expect(e.id).toMatch(/^faq-[a-z-]+$/);
  });
  it('is valid FAQ input with zh-CN and en questions, answers and keywords in both languages', () => {
    for (const e of DEMO_FAQ) {
      const { id: _id, ...input } = e;
      const r = v.safeParse(faqInputSchema, input);
      expect(r.success, `${e.id}: ${JSON.stringify(r.issues?.map((i) => i.message))}`).toBe(true);
      for (const part of [e.question, e.answer]) {
        expect(part['zh-CN'], e.id).toMatch(/[\u4e00-\u9fff]/);
        expect(part.en, e.id).toMatch(/[a-z]/i);
      }
      expect(e.keywords!.some((k) => /[\u4e00-\u9fff]/.test(k)), e.id).toBe(true);
      expect(e.keywords!.some((k) => /^[\x20-\x7e]+$/.test(k)), e.id).toBe(true);
    }
  });
  it('states the shop policies the demo promises', () => {
    const answer = (id: string): string => `${DEMO_FAQ.find((e) => e.id === id)!.answer.en}`;
    expect(answer('faq-returns')).toMatch(/7 days.*unworn.*packaging/);
    expect(answer('faq-delivery')).toMatch(/SF Express.*free over ¥299/);
    expect(answer('faq-engraving')).toMatch(/free.*10 characters.*3 days/);
    expect(answer('faq-warranty')).toMatch(/1-year.*re-plated/);
    expect(answer('faq-invoice')).toMatch(/fapiao/);
  });
});
