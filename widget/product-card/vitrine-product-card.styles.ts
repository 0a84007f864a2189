import { css } from 'lit';

/**
 * Every colour and size comes from a `--vitrine-*` token. Inside `<vitrine-chat>` the chat's
 * resolved theme values (`--_surface`, `--_text`...) are inherited, so the card follows its light or
 * dark theme; on its own it falls back to the light defaults.
 */
export const styles = css`
  :host {
    --_c-surface: var(--vitrine-card-background, var(--vitrine-color-surface, var(--_surface, #ffffff)));
    --_c-surface-2: var(--vitrine-color-surface-variant, var(--_surface-2, #f4f2f3));
    --_c-text: var(--vitrine-color-text, var(--_text, #1d1b1c));
    --_c-muted: var(--vitrine-color-muted, var(--_muted, #6b6469));
    --_c-border: var(--vitrine-color-border, var(--_border, rgba(0, 0, 0, 0.12)));
    --_c-primary: var(--vitrine-color-primary, var(--_primary, #b4235a));
    --_c-on-primary: var(--vitrine-color-on-primary, var(--_on-primary, #ffffff));
    --_c-focus: var(--vitrine-color-focus, var(--_focus, #1a73e8));
    --_c-sale: var(--vitrine-color-sale, #b3261e);
    --_c-stock-in: var(--vitrine-color-stock-in, #1e7e4a);
    --_c-stock-low: var(--vitrine-color-stock-low, #a15c00);
    --_c-stock-out: var(--vitrine-color-stock-out, var(--_danger, #b3261e));
    display: block;
    box-sizing: border-box;
    width: var(--vitrine-card-width, 100%);
    min-width: 0;
    font-family: var(--vitrine-font-family, var(--_font-family, system-ui, -apple-system, 'PingFang SC', 'Microsoft YaHei', 'Segoe UI', Roboto, sans-serif));
    font-size: var(--vitrine-font-size, var(--_font-size, 15px));
    line-height: 1.35;
    color: var(--_c-text);
  }
  /* Inside a dark chat (color-scheme: dark) the state colours switch to light tints that keep
     4.5:1 on the dark card; browsers without light-dark() keep the light defaults. */
  @supports (color: light-dark(#000, #fff)) {
    :host {
      --_c-sale: var(--vitrine-color-sale, light-dark(#b3261e, #f2b8b5));
      --_c-stock-in: var(--vitrine-color-stock-in, light-dark(#1e7e4a, #7fd6a0));
      --_c-stock-low: var(--vitrine-color-stock-low, light-dark(#a15c00, #f2c46d));
      --_c-stock-out: var(--vitrine-color-stock-out, var(--_danger, light-dark(#b3261e, #f2b8b5)));
    }
  }
  :host([hidden]) {
    display: none;
  }
  *,
  *::before,
  *::after {
    box-sizing: border-box;
  }
  .card {
    display: flex;
    flex-direction: column;
    height: 100%;
    overflow: hidden;
    border: 1px solid var(--_c-border);
    border-radius: var(--vitrine-card-radius, 12px);
    background: var(--_c-surface);
  }
  .image {
    display: block;
    width: 100%;
    aspect-ratio: var(--vitrine-card-image-aspect-ratio, 1);
    object-fit: var(--vitrine-card-image-fit, cover);
    background: var(--_c-surface-2);
  }
  .body {
    display: flex;
    flex: 1;
    flex-direction: column;
    gap: 4px;
    padding: 10px 12px 12px;
    min-width: 0;
  }
  p {
    margin: 0;
  }
  .title {
    font-weight: 600;
    overflow-wrap: anywhere;
    display: -webkit-box;
    -webkit-box-orient: vertical;
    -webkit-line-clamp: 2;
    overflow: hidden;
  }
  .prices {
    display: flex;
    flex-wrap: wrap;
    align-items: baseline;
    gap: 6px;
  }
  .price {
    font-weight: 600;
    color: var(--vitrine-color-price, var(--_c-text));
  }
  .price.sale {
    color: var(--_c-sale);
  }
  .compare-at {
    font-size: 0.87em;
    color: var(--_c-muted);
  }
  .stock {
    font-size: 0.85em;
  }
  .stock[data-state='in'] {
    color: var(--_c-stock-in);
  }
  .stock[data-state='low'] {
    color: var(--_c-stock-low);
  }
  .stock[data-state='out'] {
    color: var(--_c-stock-out);
  }
  .variants {
    display: flex;
    flex-wrap: wrap;
    gap: 6px;
    margin-top: 2px;
  }
  .chip {
    min-height: 30px;
    padding: 3px 10px;
    border: 1px solid var(--_c-border);
    border-radius: 999px;
    background: var(--_c-surface-2);
    color: var(--_c-text);
    font: inherit;
    font-size: 0.85em;
    cursor: pointer;
  }
  .chip[aria-pressed='true'] {
    border-color: var(--_c-primary);
    background: var(--_c-primary);
    color: var(--_c-on-primary);
  }
  .chip:disabled {
    cursor: not-allowed;
    opacity: 0.5;
    text-decoration: line-through;
  }
  .actions {
    display: flex;
    flex-wrap: wrap;
    gap: 8px;
    margin-top: auto;
    padding-top: 6px;
  }
  .action {
    display: inline-flex;
    flex: 1;
    align-items: center;
    justify-content: center;
    min-height: 36px;
    padding: 6px 10px;
    border: 1px solid var(--_c-primary);
    border-radius: 999px;
    background: transparent;
    color: var(--_c-primary);
    font: inherit;
    font-size: 0.9em;
    font-weight: 600;
    text-decoration: none;
    white-space: nowrap;
    cursor: pointer;
  }
  .action.buy {
    background: var(--_c-primary);
    color: var(--_c-on-primary);
  }
  .action.reserve {
    flex-basis: 100%;
    white-space: normal;
  }
  .action:disabled {
    cursor: not-allowed;
    opacity: 0.5;
  }
  .chip:focus-visible,
  .action:focus-visible {
    outline: 3px solid var(--_c-focus);
    outline-offset: 2px;
  }
  :host([compact]) .card {
    flex-direction: row;
    align-items: stretch;
  }
  :host([compact]) .image {
    flex: none;
    width: 72px;
    height: auto;
    min-height: 72px;
  }
  :host([compact]) .body {
    padding: 8px 10px;
  }
  :host([compact]) .actions {
    padding-top: 4px;
  }
  :host([compact]) .action {
    min-height: 30px;
  }
  .sr-only {
    position: absolute;
    width: 1px;
    height: 1px;
    margin: -1px;
    padding: 0;
    overflow: hidden;
    clip: rect(0 0 0 0);
    white-space: nowrap;
    border: 0;
  }
  @media (forced-colors: active) {
    .chip[aria-pressed='true'] {
      outline: 2px solid CanvasText;
    }
  }
`;
