/**
 * The `feed.*` entries of the message catalogues (src/i18n/en.ts and zh-CN.ts), for the lazy feed
 * chunk. The widget build (widget/build.config.ts) moves those entries out of the chat-open chunk's
 * catalogues and fills this table with them. Unbuilt (tests, dev server) the table is empty and the
 * core catalogues still hold every entry. Never edit strings here: edit the catalogues.
 */
export const feedStrings: Record<string, Record<string, string>> = {};
