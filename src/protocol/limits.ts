/** Size limits of protocol v1. Servers enforce them; clients check them before sending. */
export const LIMITS = {
  /** Longest message text, in UTF-16 code units. Longer text is refused with `too_large`. */
  textMaxLength: 4000,
  /** Longest client-chosen id (`clientId`). */
  clientIdMaxLength: 64,
  /** Longest opaque id (conversation, message, visitor). */
  idMaxLength: 64,
  /** Longest token (resume token, agent token). */
  tokenMaxLength: 512,
  /** Longest shop id. */
  shopMaxLength: 64,
  /** Longest display name. */
  nameMaxLength: 80,
  /** Default and maximum page size of list requests (`history:get`, `conversation:list`). */
  pageDefault: 50,
  pageMax: 100,
  /** Product ids: the shop's own handles/SKUs. */
  productIdMaxLength: 64,
  /** Cards in one `products` carousel. */
  carouselMin: 2,
  carouselMax: 10,
  /** Products per `product:get`. */
  productGetMax: 20,
  /** Longest product title / description per locale. */
  productTitleMaxLength: 200,
  productDescriptionMaxLength: 4000,
  /** Longest URL (images, product pages). */
  urlMaxLength: 2048,
  /** Largest search query. */
  queryMaxLength: 100,
  /** Products one connection may watch for `product:update`. */
  productWatchMax: 100,
  /** Days one `reservation:slots` request may cover. */
  slotDaysMax: 31,
  /** Longest coupon id and code. */
  couponCodeMaxLength: 40,
  /** Feed items one `feed:delivered` / `feed:read` marks. */
  feedMarkMax: 50,
  /** Default page of `feed:get`. */
  feedPageDefault: 20,
  /** Products attached to one campaign. */
  campaignProductsMax: 10,
  /** Longest campaign body per locale. */
  campaignBodyMaxLength: 2000,
  /** FAQ entries per shop. */
  faqEntriesMax: 500,
  /** Longest FAQ question and answer per locale. */
  faqQuestionMaxLength: 300,
  faqAnswerMaxLength: 2000,
  /** Keywords per FAQ entry, and the longest one. */
  faqKeywordsMax: 30,
  faqKeywordMaxLength: 40,
  /** Longest language-model name and API key in the assistant settings. */
  llmModelMaxLength: 100,
  llmApiKeyMaxLength: 500,
  /** Bounds of the language-model timeout, in milliseconds. */
  llmTimeoutMinMs: 1000,
  llmTimeoutMaxMs: 120000,
  /** Largest Socket.IO frame a server accepts, in bytes. */
  frameMaxBytes: 64 * 1024,
} as const;
