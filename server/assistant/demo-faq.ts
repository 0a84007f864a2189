/**
 * The demo shop's FAQ ("Maison Lumière", a jewellery shop), seeded by `npm run demo` and used by the
 * assistant evaluation. Questions, answers and keywords in zh-CN and en; keywords carry the words
 * customers actually use (colloquial Chinese, English synonyms).
 */
import type { FaqInput } from '../../src/protocol/assistant.js';

export const DEMO_FAQ: readonly (FaqInput & { id: string })[] = [
  {
    id: 'faq-returns',
    question: { 'zh-CN': '可以退货吗？怎么退？', en: 'Can I return an item? How do returns work?' },
    answer: {
      'zh-CN': '收货后 7 天内可无理由退货：商品未佩戴、吊牌和原包装完好。请在聊天里告诉我们订单号，我们会发给您退货地址，收到后 3 个工作日内原路退款。',
      en: 'You can return an item within 7 days of delivery if it is unworn and in its original packaging with the tag. Tell us your order number here and we will send you the return address; the refund goes back to your payment method within 3 working days of receipt.',
    },
    keywords: ['退货', '退款', '七天无理由', '7天无理由', '不想要了', '不喜欢', '退回', '退钱', 'return', 'refund', 'money back', 'send back', 'return policy'],
  },
  {
    id: 'faq-exchange',
    question: { 'zh-CN': '可以换货或者换尺码吗？', en: 'Can I exchange an item or change the size?' },
    answer: {
      'zh-CN': '收货后 7 天内可换款或换尺码（未佩戴、包装完好），换货来回运费由我们承担一次。刻字商品不支持换货。',
      en: 'Within 7 days of delivery you can exchange an unworn item in its packaging for another style or size; we pay the shipping both ways once. Engraved items cannot be exchanged.',
    },
    keywords: ['换货', '换款', '换尺码', '换个尺寸', '换大一号', '换小一号', '调换', '不合适', 'exchange', 'swap', 'change size', 'wrong size', "doesn't fit", 'does not fit'],
  },
  {
    id: 'faq-delivery',
    question: { 'zh-CN': '什么时候发货？用什么快递？运费多少？', en: 'When do you ship, which courier, and how much is delivery?' },
    answer: {
      'zh-CN': '下单后 48 小时内从上海发出，默认顺丰快递，江浙沪次日达，其他地区一般 2–3 天。满 ¥299 包邮，未满收运费 ¥12。',
      en: 'Orders leave our Shanghai studio within 48 hours by SF Express: next day in Jiangsu, Zhejiang and Shanghai, usually 2–3 days elsewhere in mainland China. Delivery is free over ¥299, otherwise ¥12.',
    },
    keywords: ['发货', '快递', '顺丰', '运费', '邮费', '包邮', '几天到', '多久到', '多久发货', '什么时候到', '配送', 'shipping', 'delivery', 'courier', 'sf express', 'free shipping', 'postage', 'how long', 'arrive', 'when will it arrive'],
  },
  {
    id: 'faq-international',
    question: { 'zh-CN': '可以寄到海外或港澳台吗？', en: 'Do you ship abroad?' },
    answer: {
      'zh-CN': '可以寄往港澳台和海外多数国家，使用顺丰国际或 EMS，7–15 天送达，运费按重量和目的地在结算时计算，关税由收件人承担。',
      en: 'Yes, we ship to Hong Kong, Macau, Taiwan and most countries by SF International or EMS, 7–15 days. The fee depends on weight and destination and is shown at checkout; import duties are paid by the recipient.',
    },
    keywords: ['海外', '国外', '国际', '境外', '香港', '台湾', '澳门', '美国', '英国', '日本', '新加坡', '寄到国外', '关税', 'abroad', 'overseas', 'international', 'worldwide', 'outside china', 'customs', 'duties', 'hong kong', 'usa', 'uk', 'singapore'],
  },
  {
    id: 'faq-payment',
    question: { 'zh-CN': '支持哪些付款方式？', en: 'Which payment methods do you accept?' },
    answer: {
      'zh-CN': '支持微信支付、支付宝（含花呗分期）、银联卡，海外订单也可使用 Visa / Mastercard 信用卡。',
      en: 'We accept WeChat Pay, Alipay (including Huabei instalments) and UnionPay cards; orders from abroad can also pay by Visa or Mastercard.',
    },
    keywords: ['付款', '支付', '微信支付', '支付宝', '花呗', '分期', '信用卡', '银联', '怎么付钱', 'payment', 'pay', 'alipay', 'wechat pay', 'credit card', 'visa', 'mastercard', 'instalments', 'installments', 'paypal'],
  },
  {
    id: 'faq-materials',
    question: { 'zh-CN': '用的是什么材质？会过敏吗？', en: 'What materials do you use? Are they safe for sensitive ears?' },
    answer: {
      'zh-CN': '我们的银饰都是 S925 纯银，镀金款为 S925 银镀 18K 金，不含镍，耳针也是 S925 银，敏感肌一般可以放心佩戴。包金款为 14K 包金。',
      en: 'Our silver pieces are S925 sterling silver; gold-plated pieces are S925 silver plated with 18K gold. Everything is nickel-free, ear posts included, so sensitive skin is usually fine. Gold-filled pieces are 14K gold-filled.',
    },
    keywords: ['材质', '材料', '纯银', 'S925', '925银', '镀金', '过敏', '不过敏', '防过敏', '敏感', '镍', '含镍', '耳洞发炎', '掉色', '褪色', 'material', 'materials', 'sterling silver', 'nickel', 'nickel-free', 'allergy', 'allergic', 'hypoallergenic', 'sensitive ears', 'sensitive skin', 'gold plated', 'tarnish'],
  },
  {
    id: 'faq-care',
    question: { 'zh-CN': '首饰怎么保养和清洁？', en: 'How do I care for and clean my jewellery?' },
    answer: {
      'zh-CN': '避免接触香水、汗水和泳池水，洗澡、运动时摘下；用附送的擦银布轻擦即可，银饰发黑可用擦银布恢复，镀金款不要用擦银膏。不戴时放进密封袋单独保存。',
      en: 'Keep it away from perfume, sweat and pool water, and take it off to shower or exercise. Wipe it with the polishing cloth we include; it also brings back darkened silver. Do not use silver paste on gold-plated pieces. Store each piece in its sealed pouch.',
    },
    keywords: ['保养', '清洁', '清洗', '擦银布', '发黑', '变黑', '氧化', '洗澡', '游泳', '能戴着洗澡吗', '怎么保存', 'care', 'clean', 'cleaning', 'polish', 'tarnished', 'shower', 'swim', 'store', 'darkened', 'oxidised'],
  },
  {
    id: 'faq-sizing',
    question: { 'zh-CN': '戒指和手镯的尺码怎么选？', en: 'How do I find my ring or bangle size?' },
    answer: {
      'zh-CN': '戒指使用港码：用细纸条绕手指一圈量周长，周长(mm)减 40 约等于港码（如 52 mm ≈ 12 号）。手镯看内径：握拳后量手掌最宽处，一般 56–60 mm 适合大多数人。拿不准可以把量到的数字发给我们。',
      en: 'Rings use Hong Kong sizes: wrap a paper strip around your finger and measure the length in mm; minus 40 is roughly your size (52 mm ≈ size 12). Bangles go by inner diameter: most hands fit 56–60 mm (measure the widest part of your hand with the thumb folded in). Send us your measurement if unsure.',
    },
    keywords: ['尺码', '尺寸', '港码', '圈口', '指围', '内径', '几号', '多大', '怎么量', '手围', '戴多大', '大小', 'size', 'sizes', 'sizing', 'ring size', 'bangle size', 'measure', 'inner diameter', 'fit', 'what size'],
  },
  {
    id: 'faq-engraving',
    question: { 'zh-CN': '可以刻字吗？', en: 'Can you engrave my piece?' },
    answer: {
      'zh-CN': '戒指和部分吊坠可免费刻字，最多 10 个字符（中文、英文或数字），下单时备注刻字内容，发货时间会多 3 天。刻字商品不退不换。',
      en: 'Rings and some pendants can be engraved for free, up to 10 characters (Chinese, letters or numbers). Add the text as an order note; engraving adds 3 days to dispatch. Engraved items cannot be returned or exchanged.',
    },
    keywords: ['刻字', '刻名字', '刻字母', '定制', '个性化', '刻日期', 'engrave', 'engraving', 'engraved', 'personalise', 'personalize', 'initials', 'custom text', 'name on it'],
  },
  {
    id: 'faq-gift-wrap',
    question: { 'zh-CN': '有礼盒包装吗？可以写贺卡吗？', en: 'Do you offer gift wrapping and a card?' },
    answer: {
      'zh-CN': '每件首饰都配品牌礼盒和手提袋，免费包装；下单备注祝福语可代写贺卡。送礼可以选择不放价签的发货单。',
      en: 'Every piece comes in our gift box with a carrier bag, wrapped for free. Add a message as an order note and we will write a card; gift orders ship without a price on the packing slip.',
    },
    keywords: ['礼盒', '包装', '包装盒', '贺卡', '祝福卡', '礼品袋', '手提袋', '礼物包装', 'gift wrap', 'gift wrapping', 'wrapping', 'gift box', 'box', 'card', 'message card', 'packaging'],
  },
  {
    id: 'faq-warranty',
    question: { 'zh-CN': '有保修吗？坏了怎么办？', en: 'Is there a warranty? What if it breaks?' },
    answer: {
      'zh-CN': '所有首饰享受 1 年质保：非人为的断链、掉钻免费维修；镀金款一年内可免费重新电镀一次，之后收取工本费。请把照片发到这里，我们安排寄修。',
      en: 'Every piece has a 1-year warranty: broken chains or lost stones not caused by misuse are repaired free, and gold-plated pieces can be re-plated once for free within the year (a small fee after that). Send us a photo here and we will arrange the repair.',
    },
    keywords: ['保修', '质保', '售后', '维修', '坏了', '断了', '掉钻', '重新电镀', '翻新', 'warranty', 'guarantee', 'repair', 'broken', 'broke', 'replating', 're-plating', 'fix'],
  },
  {
    id: 'faq-invoice',
    question: { 'zh-CN': '可以开发票吗？', en: 'Can I get an invoice (fapiao)?' },
    answer: {
      'zh-CN': '可以开具电子普通发票（个人或公司抬头），下单时填写抬头和税号，发货后 3 个工作日内发到您的邮箱。',
      en: 'Yes, we issue electronic VAT invoices (fapiao) to a person or a company: enter the title and tax number when ordering and it is emailed within 3 working days of dispatch.',
    },
    keywords: ['发票', '开票', '开发票', '电子发票', '抬头', '税号', '普票', '专票', 'invoice', 'fapiao', 'receipt', 'vat', 'tax invoice', 'company invoice'],
  },
  {
    id: 'faq-store',
    question: { 'zh-CN': '有实体店吗？地址和营业时间？', en: 'Do you have a shop I can visit? Address and opening hours?' },
    answer: {
      'zh-CN': '我们的工作室门店在上海市静安区富民路 210 号，周二至周日 11:00–20:00 营业（周一休息），欢迎到店试戴。',
      en: 'Our studio shop is at 210 Fumin Road, Jing\'an, Shanghai, open Tuesday to Sunday 11:00–20:00 (closed on Mondays). Come and try pieces on.',
    },
    keywords: ['实体店', '门店', '线下', '地址', '在哪', '营业时间', '几点开门', '几点关门', '到店', '试戴', '上海', 'store', 'shop', 'boutique', 'studio', 'address', 'opening hours', 'open', 'visit', 'try on', 'location', 'where are you'],
  },
  {
    id: 'faq-certificate',
    question: { 'zh-CN': '是正品吗？有证书吗？', en: 'Are your pieces genuine? Do they come with a certificate?' },
    answer: {
      'zh-CN': '所有商品保证正品：银饰有 S925 钢印，和田玉等玉石附国家检测机构（NGTC）鉴定证书，莫桑石附 GRA 证书，可在证书官网查询编号。',
      en: 'Everything we sell is genuine: silver is hallmarked S925, jade comes with an NGTC lab certificate and moissanite with a GRA certificate, both verifiable online by number.',
    },
    keywords: ['正品', '真的吗', '真假', '假货', '保真', '证书', '鉴定证书', '检测', '钢印', 'authentic', 'genuine', 'real', 'fake', 'certificate', 'certified', 'hallmark', 'appraisal'],
  },
  {
    id: 'faq-tracking',
    question: { 'zh-CN': '我的订单到哪了？怎么查物流？', en: 'Where is my order? How do I track it?' },
    answer: {
      'zh-CN': '发货后会短信通知顺丰单号，也可以在「我的订单」里查看物流。超过 5 天还没收到，请把订单号发到这里，我们帮您查。',
      en: 'When your order ships you get the SF Express tracking number by text message, and you can follow it in "My orders". If it has not arrived after 5 days, send us your order number here and we will look into it.',
    },
    keywords: ['物流', '查物流', '物流信息', '单号', '快递单号', '订单', '到哪了', '还没到', '没收到', '还没发货', '查询订单', 'track', 'tracking', 'tracking number', 'order status', 'where is my order', 'not arrived', "hasn't arrived", 'parcel'],
  },
];
