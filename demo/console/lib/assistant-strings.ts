/**
 * The console's assistant strings (issue 6), zh-CN and en. They live beside the console rather than
 * in `src/i18n/` (the core's catalogue, edited by the widget work at the same time); `at(tr, key)`
 * reads them in the translator's locale with the same `{name}` and `{count, plural, ...}` syntax.
 * Output is plain text: render it with text bindings only.
 */
import type { HandoffReason, MessageParams, SupportedLocale, Translator } from '../../../src/index.js';

const en = {
  'nav.assistant': 'Assistant',
  'nav.handoffs': 'Hand-offs',
  'nav.handoffsCount': '{count, plural, one {# conversation waits} other {# conversations wait}} for a person',

  'page.intro': 'The AI assistant answers customers from your catalogue and FAQ, and hands the conversation to your staff when it cannot help or the customer asks for a person.',
  'settings.title': 'Assistant settings',
  'settings.enabled': 'Assistant answers customers',
  'settings.provider': 'Provider',
  'settings.embedded': 'Embedded — works offline (catalogue and FAQ)',
  'settings.llm': 'OpenAI-compatible endpoint (falls back to the embedded assistant)',
  'settings.endpoint': 'Endpoint',
  'settings.baseUrl': 'Base URL',
  'settings.baseUrlHint': 'e.g. http://127.0.0.1:8080/v1 — the server posts to <base URL>/chat/completions',
  'settings.model': 'Model',
  'settings.timeout': 'Timeout (ms)',
  'settings.timeoutHint': '{min}–{max}',
  'settings.apiKey': 'API key',
  'settings.apiKeyStored': 'A key is stored (it is never shown).',
  'settings.apiKeyNone': 'No key stored.',
  'settings.apiKeyReplace': 'Replace key',
  'settings.apiKeyRemove': 'Remove key',
  'settings.apiKeyKeep': 'Keep the stored key',
  'settings.apiKeyNew': 'New API key',
  'settings.apiKeyRemoving': 'The stored key will be removed when you save.',
  'settings.saved': 'Assistant settings saved',
  'settings.wholeNumber': 'must be a whole number of milliseconds',
  'settings.apiKeyEmpty': 'type the new key (or keep the stored one)',

  'try.title': 'Try it',
  'try.hint': 'Ask as a customer would; nothing is stored and no customer sees it.',
  'try.question': 'Question',
  'try.locale': 'Answer language',
  'try.localeAuto': 'Like the question',
  'try.ask': 'Ask',
  'try.asking': 'Asking…',
  'try.empty': 'Type a question first.',
  'try.answer': 'Answer',
  'try.products': 'Products',
  'try.source': 'Source: {source} · {provider}',
  'try.fallback': 'the endpoint failed; the embedded assistant answered',
  'try.handoff': 'Would hand off: {reason}',
  'try.failed': 'Could not ask: {reason}',

  'faq.title': 'FAQ',
  'faq.count': '{count} of {max} entries',
  'faq.full': 'The FAQ is full ({max} entries): delete one to add another.',
  'faq.add': 'Add an entry',
  'faq.new': 'New FAQ entry',
  'faq.edit': 'Edit',
  'faq.editing': 'Edit FAQ entry',
  'faq.delete': 'Delete',
  'faq.deleteConfirm': 'Delete this entry? The assistant stops using it at once.',
  'faq.empty': 'No FAQ entries yet. Add the questions customers ask most.',
  'faq.questionZh': 'Question (中文)',
  'faq.questionEn': 'Question (English)',
  'faq.answerZh': 'Answer (中文)',
  'faq.answerEn': 'Answer (English)',
  'faq.chars': '{count} / {max}',
  'faq.keywords': 'Keywords',
  'faq.keywordsHint': 'Other words customers use for this question (any language); Enter adds one. {count} / {max}',
  'faq.keywordAdd': 'Add',
  'faq.keywordRemove': 'Remove keyword {keyword}',
  'faq.keywordDuplicate': 'already added',
  'faq.keywordsFull': 'at most {max} keywords',
  'faq.keywordTooLong': 'at most {max} characters',
  'faq.needOneLanguage': 'write it in at least one language',
  'faq.saved': 'FAQ entry saved',
  'faq.deleted': 'FAQ entry deleted',
  'faq.updated': 'Updated {when}',

  'handoffs.title': 'Waiting for a person',
  'handoffs.intro': 'Conversations the assistant handed to people, oldest first. Open one and take it over.',
  'handoffs.empty': 'Nobody is waiting for a person.',
  'handoffs.waiting': 'waiting {duration}',
  'handoffs.lastText': 'Customer: {text}',
  'handoffs.noText': 'No customer text',
  'handoffs.open': 'Open',
  'handoffs.refresh': 'Refresh',

  'reason.customer_asked': 'customer asked for a person',
  'reason.customer_toggled': 'customer switched to a person',
  'reason.no_answer': 'assistant could not answer',
  'reason.provider_failed': 'assistant failed',

  'state.ai': 'AI answering',
  'state.waiting': 'Waiting for a person — {reason}',
  'state.takenOver': 'Taken over by {name}',
  'state.takenOverYou': 'Taken over by you',
  'state.human': 'Staff answer',
  'state.off': 'Assistant off',
  'takeOver': 'Take over',
  'handBack': 'Hand back to AI',
  'takeOverHint': 'Sending a reply takes the conversation over from the AI.',
  'actionFailed': 'Could not change it: {reason}',
  'ai': 'AI',
  'aiLabel': 'Written by the AI assistant',
  'streaming': 'writing…',
  'stopped': 'stopped by the customer',
  'inboxWaiting': 'Waits for a person',

  'duration.seconds': '{count} s',
  'duration.minutes': '{count} min',
  'duration.hours': '{count} h {minutes} min',
  'duration.days': '{count, plural, one {# day} other {# days}}',
} as const;

export type AssistantStringKey = keyof typeof en;

const zhCN: Record<AssistantStringKey, string> = {
  'nav.assistant': 'AI 助手',
  'nav.handoffs': '转人工',
  'nav.handoffsCount': '{count} 个会话等待人工',

  'page.intro': 'AI 助手根据商品库和常见问题回答顾客；答不上来或顾客要求时，把会话转给店员。',
  'settings.title': '助手设置',
  'settings.enabled': '由 AI 助手回答顾客',
  'settings.provider': '模型来源',
  'settings.embedded': '内置助手（离线可用，基于商品库和常见问题）',
  'settings.llm': 'OpenAI 兼容接口（失败时由内置助手回答）',
  'settings.endpoint': '接口',
  'settings.baseUrl': '接口地址',
  'settings.baseUrlHint': '例如 http://127.0.0.1:8080/v1，请求发往 <接口地址>/chat/completions',
  'settings.model': '模型',
  'settings.timeout': '超时（毫秒）',
  'settings.timeoutHint': '{min}–{max}',
  'settings.apiKey': 'API 密钥',
  'settings.apiKeyStored': '已保存密钥（不会再显示）。',
  'settings.apiKeyNone': '未保存密钥。',
  'settings.apiKeyReplace': '更换密钥',
  'settings.apiKeyRemove': '删除密钥',
  'settings.apiKeyKeep': '保留已存密钥',
  'settings.apiKeyNew': '新的 API 密钥',
  'settings.apiKeyRemoving': '保存后将删除已存密钥。',
  'settings.saved': '助手设置已保存',
  'settings.wholeNumber': '请输入整数毫秒',
  'settings.apiKeyEmpty': '请输入新的密钥（或保留已存密钥）',

  'try.title': '试一试',
  'try.hint': '像顾客一样提问；不会保存，也不会有顾客看到。',
  'try.question': '问题',
  'try.locale': '回答语言',
  'try.localeAuto': '与问题相同',
  'try.ask': '提问',
  'try.asking': '正在提问…',
  'try.empty': '请先输入问题。',
  'try.answer': '回答',
  'try.products': '商品',
  'try.source': '来源：{source} · {provider}',
  'try.fallback': '接口失败，由内置助手回答',
  'try.handoff': '将转人工：{reason}',
  'try.failed': '提问失败：{reason}',

  'faq.title': '常见问题',
  'faq.count': '{count} / {max} 条',
  'faq.full': '常见问题已满（{max} 条），请先删除一条再添加。',
  'faq.add': '添加问题',
  'faq.new': '新的常见问题',
  'faq.edit': '编辑',
  'faq.editing': '编辑常见问题',
  'faq.delete': '删除',
  'faq.deleteConfirm': '删除这条问题？助手会立即停止使用它。',
  'faq.empty': '还没有常见问题。先添加顾客最常问的问题吧。',
  'faq.questionZh': '问题（中文）',
  'faq.questionEn': '问题（English）',
  'faq.answerZh': '回答（中文）',
  'faq.answerEn': '回答（English）',
  'faq.chars': '{count} / {max}',
  'faq.keywords': '关键词',
  'faq.keywordsHint': '顾客问这个问题时会用的其他说法（任意语言），回车添加。{count} / {max}',
  'faq.keywordAdd': '添加',
  'faq.keywordRemove': '删除关键词 {keyword}',
  'faq.keywordDuplicate': '已添加',
  'faq.keywordsFull': '最多 {max} 个关键词',
  'faq.keywordTooLong': '最多 {max} 个字符',
  'faq.needOneLanguage': '请至少用一种语言填写',
  'faq.saved': '常见问题已保存',
  'faq.deleted': '常见问题已删除',
  'faq.updated': '更新于 {when}',

  'handoffs.title': '等待人工',
  'handoffs.intro': 'AI 助手转给人工的会话，最早的在前。打开会话并接管。',
  'handoffs.empty': '目前没有等待人工的会话。',
  'handoffs.waiting': '已等待 {duration}',
  'handoffs.lastText': '顾客：{text}',
  'handoffs.noText': '顾客没有留言',
  'handoffs.open': '打开',
  'handoffs.refresh': '刷新',

  'reason.customer_asked': '顾客要求转人工',
  'reason.customer_toggled': '顾客切换到人工',
  'reason.no_answer': '助手无法回答',
  'reason.provider_failed': '助手出错',

  'state.ai': 'AI 回答中',
  'state.waiting': '等待人工：{reason}',
  'state.takenOver': '已由 {name} 接管',
  'state.takenOverYou': '已由你接管',
  'state.human': '店员回答',
  'state.off': '助手已关闭',
  'takeOver': '接管',
  'handBack': '交还给 AI',
  'takeOverHint': '发送回复即从 AI 接管此会话。',
  'actionFailed': '操作失败：{reason}',
  'ai': 'AI',
  'aiLabel': 'AI 助手回复',
  'streaming': '正在输入…',
  'stopped': '顾客已停止',
  'inboxWaiting': '等待人工',

  'duration.seconds': '{count} 秒',
  'duration.minutes': '{count} 分钟',
  'duration.hours': '{count} 小时 {minutes} 分钟',
  'duration.days': '{count} 天',
};

const catalogues: Record<SupportedLocale, Record<AssistantStringKey, string>> = { en, 'zh-CN': zhCN };

const PLURAL = /\{(\w+), plural, ((?:\w+ \{[^}]*\}\s*)+)\}/g;
const PLURAL_CASE = /(\w+) \{([^}]*)\}/g;

/** `key` in `tr`'s locale with `{name}` and `{count, plural, ...}` filled in. */
export function at(tr: Pick<Translator, 'locale'>, key: AssistantStringKey, params: MessageParams = {}): string {
  const template = (catalogues[tr.locale] ?? en)[key];
  const withPlurals = template.replace(PLURAL, (_all, name: string, cases: string) => {
    const count = Number(params[name] ?? 0);
    const category = new Intl.PluralRules(tr.locale).select(count);
    const options = new Map<string, string>();
    for (const m of cases.matchAll(PLURAL_CASE)) options.set(m[1], m[2]);
    const chosen = options.get(category) ?? options.get('other') ?? '';
    return chosen.replace(/#/g, new Intl.NumberFormat(tr.locale).format(count));
  });
  return withPlurals.replace(/\{(\w+)\}/g, (all, name: string) => (name in params ? String(params[name]) : all));
}

/** Every key of both catalogues (for the completeness test). */
export const ASSISTANT_STRING_CATALOGUES = catalogues;

/** The hand-off reason as staff read it. */
export function reasonText(reason: HandoffReason, tr: Pick<Translator, 'locale'>): string {
  return at(tr, `reason.${reason}`);
}

/** How long since `iso`: "45 s", "12 min", "2 h 5 min", "3 days". */
export function waitingFor(iso: string, tr: Pick<Translator, 'locale'>, now: number = Date.now()): string {
  const ms = Math.max(0, now - Date.parse(iso));
  if (!Number.isFinite(ms)) return '';
  const s = Math.floor(ms / 1000);
  if (s < 60) return at(tr, 'duration.seconds', { count: s });
  const m = Math.floor(s / 60);
  if (m < 60) return at(tr, 'duration.minutes', { count: m });
  const h = Math.floor(m / 60);
  if (h < 24) return at(tr, 'duration.hours', { count: h, minutes: m % 60 });
  return at(tr, 'duration.days', { count: Math.floor(h / 24) });
}
