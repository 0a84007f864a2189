import { css } from 'lit';

/**
 * Tokens of the feed elements. Colours come from `--vitrine-*` tokens; inside `<vitrine-chat>` the
 * chat's resolved theme values (`--_surface`, `--_text`...) are inherited, and `light-dark()` follows
 * the chat's `color-scheme` (dark theme). Browsers without `light-dark()` get the light defaults.
 */
const tokens = css`
  :host {
    --_f-surface: var(--vitrine-color-surface, var(--_surface, #ffffff));
    --_f-surface-2: var(--vitrine-color-surface-variant, var(--_surface-2, #f4f2f3));
    --_f-text: var(--vitrine-color-text, var(--_text, #1d1b1c));
    --_f-muted: var(--vitrine-color-muted, var(--_muted, #6b6469));
    --_f-border: var(--vitrine-color-border, var(--_border, rgba(0, 0, 0, 0.12)));
    --_f-primary: var(--vitrine-color-primary, var(--_primary, #b4235a));
    --_f-on-primary: var(--vitrine-color-on-primary, var(--_on-primary, #ffffff));
    --_f-danger: var(--vitrine-color-danger, var(--_danger, #b3261e));
    --_f-focus: var(--vitrine-color-focus, var(--_focus, #1a73e8));
    box-sizing: border-box;
    min-width: 0;
    font-family: var(--vitrine-font-family, var(--_font-family, system-ui, -apple-system, 'PingFang SC', 'Microsoft YaHei', 'Segoe UI', Roboto, sans-serif));
    font-size: var(--vitrine-font-size, var(--_font-size, 15px));
    line-height: 1.4;
    color: var(--_f-text);
  }
  @supports (color: light-dark(#000, #fff)) {
    :host {
      --_f-surface: var(--vitrine-color-surface, var(--_surface, light-dark(#ffffff, #1f1d1e)));
      --_f-surface-2: var(--vitrine-color-surface-variant, var(--_surface-2, light-dark(#f4f2f3, #2b2829)));
      --_f-text: var(--vitrine-color-text, var(--_text, light-dark(#1d1b1c, #f2eff0)));
      --_f-muted: var(--vitrine-color-muted, var(--_muted, light-dark(#6b6469, #b1a9ae)));
      --_f-border: var(--vitrine-color-border, var(--_border, light-dark(rgba(0, 0, 0, 0.12), rgba(255, 255, 255, 0.14))));
      --_f-primary: var(--vitrine-color-primary, var(--_primary, light-dark(#b4235a, #f06292)));
      --_f-on-primary: var(--vitrine-color-on-primary, var(--_on-primary, light-dark(#ffffff, #1d1b1c)));
      --_f-danger: var(--vitrine-color-danger, var(--_danger, light-dark(#b3261e, #f2b8b5)));
      --_f-focus: var(--vitrine-color-focus, var(--_focus, light-dark(#1a73e8, #8ab4f8)));
    }
  }
  :host([hidden]) {
    display: none !important;
  }
  *,
  *::before,
  *::after {
    box-sizing: border-box;
  }
  p,
  h3 {
    margin: 0;
  }
  .button {
    display: inline-flex;
    align-items: center;
    justify-content: center;
    min-height: 36px;
    padding: 6px 14px;
    border: 1px solid var(--_f-primary);
    border-radius: 999px;
    background: transparent;
    color: var(--_f-primary);
    font: inherit;
    font-size: 0.9em;
    font-weight: 600;
    text-decoration: none;
    cursor: pointer;
  }
  .button.primary {
    background: var(--_f-primary);
    color: var(--_f-on-primary);
  }
  .button:focus-visible,
  [tabindex]:focus-visible {
    outline: 3px solid var(--_f-focus);
    outline-offset: 2px;
  }
  .sr-only {
    position: absolute;
    width: 1px;
    height: 1px;
    overflow: hidden;
    clip: rect(0 0 0 0);
    clip-path: inset(50%);
    white-space: nowrap;
  }
`;

/** `<vitrine-feed>`: a column that fills its box; the list scrolls. */
export const styles = [
  tokens,
  css`
    :host {
      display: flex;
      flex-direction: column;
      min-height: 0;
      background: var(--vitrine-feed-background, var(--_f-surface-2));
    }
    .list {
      flex: 1;
      min-height: 0;
      overflow-y: auto;
      overscroll-behavior: contain;
      display: flex;
      flex-direction: column;
      gap: var(--vitrine-feed-gap, 12px);
      padding: 12px;
    }
    .note {
      margin: 8px;
      color: var(--_f-muted);
      text-align: center;
    }
    .error {
      color: var(--_f-danger);
      display: flex;
      flex-direction: column;
      align-items: center;
      gap: 8px;
    }
    .more {
      align-self: center;
    }
  `,
];

/** `<vitrine-feed-item>`: a card. */
export const itemStyles = [
  tokens,
  css`
    :host {
      display: block;
      flex: none;
    }
    .card {
      display: flex;
      flex-direction: column;
      gap: 10px;
      overflow: hidden;
      padding-bottom: 12px;
      border: 1px solid var(--_f-border);
      border-radius: var(--vitrine-card-radius, 12px);
      background: var(--vitrine-feed-item-background, var(--_f-surface));
    }
    .card > :not(.image) {
      margin: 0 12px;
    }
    .card > .text:first-child {
      margin-top: 12px;
    }
    .image {
      display: block;
      width: 100%;
      height: var(--vitrine-feed-image-height, 160px);
      object-fit: cover;
      background: var(--_f-surface-2);
    }
    .text {
      display: flex;
      flex-direction: column;
      gap: 4px;
    }
    .meta {
      display: flex;
      align-items: center;
      gap: 8px;
      color: var(--_f-muted);
      font-size: 0.8em;
    }
    .kind {
      font-weight: 600;
      letter-spacing: 0.03em;
      text-transform: uppercase;
    }
    .dot {
      width: 9px;
      height: 9px;
      margin-left: auto;
      border-radius: 50%;
      background: var(--_f-primary);
    }
    .title {
      font-size: 1.05em;
      font-weight: 600;
      overflow-wrap: anywhere;
    }
    .body {
      white-space: pre-wrap;
      overflow-wrap: anywhere;
    }
    .products {
      min-width: 0;
    }
    .products > vitrine-product-card {
      max-width: 260px;
    }
    .actions {
      display: flex;
      flex-wrap: wrap;
      gap: 8px;
    }
    @media (forced-colors: active) {
      .dot {
        background: CanvasText;
      }
    }
  `,
];
