/**
 * The `reservation.*` and `coupon.*` entries of the message catalogues (src/i18n/en.ts and
 * zh-CN.ts), for the lazy commerce chunk. The widget build (widget/build.config.ts) moves those
 * entries out of the chat-open chunk's catalogues and fills this table with them, so the chat does
 * not carry strings only the commerce elements show. Unbuilt (tests, dev server) the table is
 * empty and the core catalogues still hold every entry. Never edit strings here: edit the catalogues.
 */
export const commerceStrings: Record<string, Record<string, string>> = {};
