/**
 * Vitrine core: the one entry point widget/, miniprogram/ and demo/console import.
 * Pure TypeScript: no DOM, no wx, no lit, no preact.
 */
export * from './protocol/index.js';
export * from './types.js';
export * from './ports.js';
export type { Transport, TransportFactory, TransportStatus } from './transport/transport.js';
export { createTranslator, formatCouponValue, formatMoney, formatSlot, localized, resolveLocale, SUPPORTED_LOCALES } from './i18n/index.js';
export type { Translator, MessageKey, MessageParams, SupportedLocale } from './i18n/index.js';
export { createVitrineClient } from './client.js';
export { renderTemplate, templateVariables, TEMPLATE_VARIABLES } from './protocol/template.js';
export type { TemplateValues, TemplateVariable } from './protocol/template.js';
export { socketIoTransport } from './transport/socket-io.js';
export { buildMessageList } from './view-models/message-list.js';
export type { MessageListItem, MessageItem, DayItem } from './view-models/message-list.js';
export { claimedCoupons, couponExpired, latestReservations, pendingClaims, reservationActions } from './view-models/commerce.js';
export { feedItemView } from './view-models/feed.js';
export { assistantView, handoffOfferFor, isAssistantMessage } from './view-models/assistant.js';
export type { AssistantStatus, AssistantView } from './view-models/assistant.js';
export type { FeedItemView } from './view-models/feed.js';
