/**
 * The assistant evaluation as a test: the embedded provider on the question set must reach 85%
 * overall with nothing invented. Prints the figures (see bench/assistant-eval.ts for the failures).
 */
import { describe, expect, it } from 'vitest';
import { createEmbeddedProvider } from './embedded.js';
import { EVAL_QUESTIONS } from './eval/questions.js';
import { describeFailure, formatReport, runEval } from './eval/score.js';

describe('assistant evaluation (embedded provider, demo catalogue + DEMO_FAQ)', () => {
  it('has at least 60 zh-CN and 40 en questions, ~20% held out', () => {
    const zh = EVAL_QUESTIONS.filter((q) => q.locale === 'zh-CN').length;
    const en = EVAL_QUESTIONS.filter((q) => q.locale === 'en').length;
    const held = EVAL_QUESTIONS.filter((q) => q.heldOut).length;
    expect(zh).toBeGreaterThanOrEqual(60);
    expect(en).toBeGreaterThanOrEqual(40);
    expect(held / EVAL_QUESTIONS.length).toBeGreaterThan(0.15);
    expect(new Set(EVAL_QUESTIONS.map((q) => q.id)).size).toBe(EVAL_QUESTIONS.length);
  });

  it('answers >= 85% correctly and invents no product or price', async () => {
    const report = await runEval(createEmbeddedProvider({ paceMs: 0 }));
    console.log(formatReport(report));
    const wrong = report.results.filter((r) => !r.correct || r.invented.length > 0);
    if (wrong.length) console.log(`wrong answers (${wrong.length}):\n${wrong.map((r) => `  ${describeFailure(r)}`).join('\n')}`);
    expect(report.invented).toBe(0);
    expect(report.overall.accuracy).toBeGreaterThanOrEqual(0.85);
    expect(report.zh.accuracy).toBeGreaterThanOrEqual(0.8);
    expect(report.en.accuracy).toBeGreaterThanOrEqual(0.8);
  });
});
