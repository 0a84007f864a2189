/**
 * What a customer's message asks, by rules: a person (hand-off), small talk, and the product
 * attributes of a shopping question (category, material, colour, size, price limit, stock, price,
 * details). Rules are written for real phrasing in zh-CN and en, with the known false positives
 * ("人工宝石", "artificial", "handmade") kept out.
 */
import { conceptsOf, normalize, tokenize } from './text.js';

const HANDOFF_ZH: RegExp[] = [
  /转人工|转接人工|人工客服|人工服务|找人工|要人工|接人工|叫人工|换人工|人工吧|人工呢|真人|活人|找客服|联系客服|客服在吗|客服呢|要客服|叫客服|叫你们老板|找老板|找店主|找个人|跟人聊|和人聊|人来回答|转客服/,
  /^(?:人工|客服)[\s!！?？。.~，,]*$/,
  /客服/,
  /(?:叫|找|要|请|让|换)(?:你们|个|一下|下)?(?:的)?(?:人工|客服|店员|店主|老板)/,
  /人工[\s!！?？。.~]*$/,
];
/** "人工" in these words is about the product, not a person. */
const NOT_HANDOFF_ZH = /人工(?:宝石|合成|培育|养殖|钻|珍珠|制作|镶嵌|打磨|雕刻|晶|材料)/;

const HANDOFF_EN: RegExp[] = [
  /\b(?:human|humans)\b(?!\s+(?:skin|hair|body|ear))/,
  /\breal (?:person|people|human)\b/,
  /\b(?:talk|speak|chat)\s+(?:to|with)\s+(?:someone|somebody|a person|a human|a real|an agent|staff|a member of staff|the shop|the owner|a representative|an operator|support|customer service|your team)\b/,
  /\b(?:live|human|real|customer service|support)\s+agent\b/,
  /\bagent\b(?!\s+of)/,
  /\bcustomer (?:service|support|care)\b/,
  /\b(?:representative|operator)\b/,
  /\bconnect me\b|\btransfer me\b/,
];

/** The customer asks to talk to a person ("转人工", "human", "talk to someone"). */
export function asksForHuman(text: string): boolean {
  const norm = normalize(text);
  if (/[\u3400-\u9fff]/.test(norm)) {
    const stripped = norm.replace(new RegExp(NOT_HANDOFF_ZH.source, 'g'), '');
    if (HANDOFF_ZH.some((r) => r.test(stripped))) return true;
  }
  return HANDOFF_EN.some((r) => r.test(norm));
}

/** Small-talk kinds the assistant answers itself. */
export type SmallTalk = 'greeting' | 'thanks' | 'bye';

const GREETING = /你好|您好|哈喽|嗨|在吗|在不在|有人吗|早上好|晚上好|下午好|\bhi\b|\bhello\b|\bhey\b|\bhiya\b|good (?:morning|afternoon|evening)|anyone there|\bhallo\b/g;
const THANKS = /谢谢|多谢|感谢|谢了|谢啦|好的|好滴|好嘞|知道了|明白了|了解|\bthanks?\b|\bthank you\b|\bthx\b|\bty\b|\bcheers\b|\bok(?:ay)?\b|\bgreat\b|\bperfect\b|\bgot it\b/g;
const BYE = /再见|拜拜|bye|\bgoodbye\b|\bsee you\b/g;
const FILLER = /[\s\p{P}\p{S}]|亲|呀|啊|哈|呢|吗|哦|噢|嗯|的|啦|了|呀|~|\bso much\b|\bvery much\b|\bthere\b|\ba lot\b|\bagain\b|\bguys\b|\bteam\b|\byou\b|\ball\b/gu;

/** The message is only a greeting, thanks or goodbye (nothing else to answer), else `null`. */
export function smallTalk(text: string): SmallTalk | null {
  const norm = normalize(text);
  // Only emoji or punctuation ("👍", "？？"): greet and invite a question.
  if (!/[\p{L}\p{N}]/u.test(norm)) return 'greeting';
  const greeting = norm.match(GREETING);
  const thanks = norm.match(THANKS);
  const bye = norm.match(BYE);
  if (!greeting && !thanks && !bye) return null;
  const rest = norm.replace(GREETING, ' ').replace(THANKS, ' ').replace(BYE, ' ').replace(FILLER, ' ');
  // Nothing left but stop words ("is anyone there", "我想问一下"): small talk.
  if (tokenize(rest, { concepts: false }).length > 0) return null;
  if (bye) return 'bye';
  if (thanks) return 'thanks';
  return 'greeting';
}

/** Product categories of the lexicon (concept names). */
export const CATEGORIES = ['earrings', 'necklace', 'bracelet', 'bangle', 'ring'] as const;
/** Materials and stones of the lexicon. */
export const MATERIALS = ['gold', 'silver', 'rosegold', 'pearl', 'jade', 'moonstone'] as const;

/** The shopping attributes of a question. */
export interface ProductIntent {
  categories: string[];
  materials: string[];
  /** Colour option value asked (`gold`, `silver`) when the question is about colour/finish. */
  colour: string | null;
  /** A size asked for (`7` of "7号", "size 7"). */
  size: string | null;
  /** Upper price limit in major units of the currency ("300元以下" -> 300). */
  maxPrice: number | null;
  /** Asks about stock ("有货吗", "in stock?"). */
  stock: boolean;
  /** Asks the price ("多少钱", "how much"). */
  price: boolean;
  /** Asks about a discount or something cheaper ("打折吗", "cheaper"). */
  discount: boolean;
  /** Asks a detail of a product (length, pin, diameter, material...). */
  detail: boolean;
  /** Refers to a product already in the conversation ("这个", "it", "this one"). */
  deictic: boolean;
  /** Vague shopping request ("推荐一下", "what do you have"). */
  browse: boolean;
}

const PRICE_LIMIT: RegExp[] = [
  /(?:[¥￥]|rmb|cny)?\s*(\d{2,6})(?:\.\d+)?\s*(?:元|块钱?|rmb|cny|yuan|kuai)?\s*(?:以下|以内|之内|内|以下的|左右以内|下面|封顶|之下|不到)/,
  /(?:低于|不超过|不要超过|不高于|少于|最多|预算|不到|以内)\s*[¥￥]?\s*(\d{2,6})/,
  /(?:under|below|less than|cheaper than|no more than|max(?:imum)?|up to|within|budget(?: is| of)?|at most|not over|not more than)\s*(?:[¥￥$]|rmb|cny)?\s*(\d{2,6})/,
  /[¥￥]\s*(\d{2,6})\s*(?:or less|max|and under|以内|以下)/,
];

/** An upper price limit in major units, if the question states one. */
export function priceLimit(text: string): number | null {
  const norm = normalize(text).replace(/,(\d{3})/g, '$1');
  for (const r of PRICE_LIMIT) {
    const m = norm.match(r);
    if (m?.[1]) return Number(m[1]);
  }
  return null;
}

const STOCK = /有货|有现货|现货|库存|还有吗|还有没有|有没有货|没货|缺货|卖完|断货|售罄|补货|能买到|\bin stock\b|\bstock\b|\bavailable\b|\bsold out\b|\bback in\b|\bhave any left\b|\bleft\b/;
const PRICE = /多少钱|价格|价钱|几多钱|多钱|贵不贵|贵吗|\bhow much\b|\bprice\b|\bprices\b|\bcost\b|\bcosts\b/;
const DISCOUNT = /便宜|打折|折扣|优惠|促销|活动价|\bdiscount\b|\bsale\b|\bcheaper\b|\bcheap\b|\bdeal\b/;
const DETAIL =
  /多长|多宽|多粗|多大|多重|长度|针长|耳针|直径|尺寸|材质|什么材料|什么做的|什么银|纯银吗|是银的|是金的|镀金|镀层|克拉|几克|重量|链长|\bhow long\b|\blength\b|\bpin\b|\bpost\b|\bdiameter\b|\bmade of\b|\bmaterial\b|\bplated\b|\bhow big\b|\bhow wide\b|\bweigh|\bcarat\b|\bchain\b|\bs925\b|\bsterling\b|\bsolid\b|\breal gold\b/;
const DEICTIC = /这个|这款|这条|这对|这只|这枚|这件|那个|那款|它|这副|\bit\b|\bthis\b|\bthat\b|\bthese\b|\bthose\b|\bthey\b|\bthem\b|\bone\b/;
const BROWSE =
  /推荐|有什么|有啥|有哪些|看看|随便看|卖什么|新品|新款|上新|礼物|送女朋友|送老婆|送妈妈|送朋友|送人|\brecommend|\bsuggest|\bwhat do you (?:have|sell)\b|\bwhat have you got\b|\bshow me\b|\bnew arrivals?\b|\bwhat's new\b|\bgift\b|\bpresent\b|\bbrowse\b|\bideas?\b/;
const SIZE_VALUE = /(?:港码|size|尺码|号码)\s*(\d{1,2})\b|(\d{1,2})\s*(?:号|码)(?!码)/;
const COLOUR_WORD = /金色|银色|黄金色|玫瑰金色|颜色|色的|\bcolou?r\b|\bin gold\b|\bin silver\b|\bgold one\b|\bsilver one\b|\bgold version\b|\bsilver version\b/;

const HOW_TO = /怎么|如何|怎样|咋|不知道|不确定|戴多大|选多大|买多大|多大的手|哪个尺码|什么尺码|几号合适|\bwhat size should\b|\bwhich size\b|\bsize should i\b|\bhow (?:do|can|should) i\b|\bhow to\b|\bwhat size (?:am i|do i)\b|\bmy (?:ring |bangle )?size\b/;

/** The question asks how to do something ("怎么选", "how do I measure") rather than for a product. */
export function asksHowTo(text: string): boolean {
  return HOW_TO.test(normalize(text));
}

/** The shopping attributes of a question. */
export function productIntent(text: string): ProductIntent {
  const norm = normalize(text);
  const concepts = conceptsOf(text);
  const categories = CATEGORIES.filter((c) => concepts.has(c));
  const materials = MATERIALS.filter((m) => concepts.has(m));
  let colour: string | null = null;
  if (COLOUR_WORD.test(norm) || concepts.has('gold') || concepts.has('silver')) {
    if (/金色|黄金色|\bgold\b|\bgolden\b/.test(norm) && !/玫瑰金|rose.?gold/.test(norm)) colour = 'gold';
    else if (/银色|\bsilver\b/.test(norm)) colour = 'silver';
  }
  const sizeMatch = norm.match(SIZE_VALUE);
  const size = sizeMatch ? (sizeMatch[1] ?? sizeMatch[2] ?? null) : null;
  return {
    categories,
    materials,
    colour,
    size,
    maxPrice: priceLimit(text),
    stock: STOCK.test(norm),
    price: PRICE.test(norm),
    discount: DISCOUNT.test(norm),
    detail: DETAIL.test(norm),
    deictic: DEICTIC.test(norm),
    browse: BROWSE.test(norm),
  };
}
