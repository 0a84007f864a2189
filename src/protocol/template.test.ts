import { describe, expect, it } from 'vitest';
import { checkTemplate, renderTemplate, templateVariables } from './template.js';

describe('campaign templates', () => {
  it('renders variables per recipient with fallbacks and localized numbers', () => {
    const t = '{{name|亲爱的会员}}，您的 {{tier}} 会员积分为 {{points}}。';
    expect(renderTemplate(t, { name: '林小姐', tier: '金卡', points: 12850 }, 'zh-CN')).toBe('林小姐，您的 金卡 会员积分为 12,850。');
    expect(renderTemplate(t, { tier: '金卡', points: 0 }, 'zh-CN')).toBe('亲爱的会员，您的 金卡 会员积分为 0。');
    expect(renderTemplate('Hi {{ name | there }}! Code: {{coupon}}', { name: '  ' }, 'en')).toBe('Hi there! Code: ');
    expect(renderTemplate('{{points}} points', { points: 1234567 }, 'de')).toBe('1.234.567 points');
  });

  it('inserts values as plain text: markup and placeholders in a value are not interpreted', () => {
    const hostile = '<script>alert(1)</script>{{coupon}}';
    expect(renderTemplate('Hi {{name}}', { name: hostile, coupon: 'SECRET' }, 'en')).toBe(`Hi ${hostile}`);
  });

  it('reports unknown variables and malformed placeholders with their position', () => {
    expect(checkTemplate('Hi {{name|there}}, {{tier}}')).toEqual([]);
    const issues = checkTemplate('Hi {{nmae}}, {{ points');
    expect(issues.map((i) => i.index)).toEqual([3, 13]);
    expect(issues[0].message).toMatch(/unknown variable \{\{nmae\}\}/);
    expect(issues[1].message).toMatch(/must look like/);
    expect(checkTemplate('{{name|a {b} c}}')).toHaveLength(1);
  });

  it('lists the variables a template uses', () => {
    expect(templateVariables('{{name}} {{points}} {{name|x}} {{bogus}}')).toEqual(['name', 'points']);
  });
});
