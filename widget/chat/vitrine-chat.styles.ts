import { css } from 'lit';

/** Dark defaults of the private tokens: forced by `theme="dark"`, or followed with `auto`. */
const darkTokens = css`
  --_primary: var(--vitrine-color-primary, #f06292);
  --_on-primary: var(--vitrine-color-on-primary, #1d1b1c);
  --_surface: var(--vitrine-color-surface, #1f1d1e);
  --_surface-2: var(--vitrine-color-surface-variant, #2b2829);
  --_text: var(--vitrine-color-text, #f2eff0);
  --_muted: var(--vitrine-color-muted, #b1a9ae);
  --_bubble-mine: var(--vitrine-color-bubble-mine, #8e1e49);
  --_on-bubble-mine: var(--vitrine-color-on-bubble-mine, #ffffff);
  --_bubble-theirs: var(--vitrine-color-bubble-theirs, #34302f);
  --_on-bubble-theirs: var(--vitrine-color-on-bubble-theirs, #f2eff0);
  --_border: var(--vitrine-color-border, rgba(255, 255, 255, 0.14));
  --_danger: var(--vitrine-color-danger, #f2b8b5);
  --_focus: var(--vitrine-color-focus, #8ab4f8);
  --_shadow: var(--vitrine-shadow, 0 12px 40px rgba(0, 0, 0, 0.6));
  color-scheme: dark;
`;

/**
 * Every colour and size comes from a `--vitrine-*` token with a fallback. Private `--_*` properties
 * hold the resolved value per theme so dark mode only swaps the fallbacks.
 */
export const styles = css`
  :host {
    --_primary: var(--vitrine-color-primary, #b4235a);
    --_on-primary: var(--vitrine-color-on-primary, #ffffff);
    --_surface: var(--vitrine-color-surface, #ffffff);
    --_surface-2: var(--vitrine-color-surface-variant, #f4f2f3);
    --_text: var(--vitrine-color-text, #1d1b1c);
    --_muted: var(--vitrine-color-muted, #6b6469);
    --_bubble-mine: var(--vitrine-color-bubble-mine, #b4235a);
    --_on-bubble-mine: var(--vitrine-color-on-bubble-mine, #ffffff);
    --_bubble-theirs: var(--vitrine-color-bubble-theirs, #f1eef0);
    --_on-bubble-theirs: var(--vitrine-color-on-bubble-theirs, #1d1b1c);
    --_border: var(--vitrine-color-border, rgba(0, 0, 0, 0.12));
    --_danger: var(--vitrine-color-danger, #b3261e);
    --_on-danger: var(--vitrine-color-on-danger, #ffffff);
    --_success: var(--vitrine-color-success, #1e9e5a);
    --_focus: var(--vitrine-color-focus, #1a73e8);
    --_radius: var(--vitrine-radius, 16px);
    --_font-family: var(--vitrine-font-family, system-ui, -apple-system, 'PingFang SC', 'Microsoft YaHei', 'Segoe UI', Roboto, sans-serif);
    --_font-size: var(--vitrine-font-size, 15px);
    --_shadow: var(--vitrine-shadow, 0 12px 40px rgba(0, 0, 0, 0.18), 0 2px 8px rgba(0, 0, 0, 0.08));
    --_launcher-size: var(--vitrine-launcher-size, 56px);
    --_panel-width: var(--vitrine-panel-width, 380px);
    --_panel-height: var(--vitrine-panel-height, 600px);
    --_offset: var(--vitrine-offset, 20px);

    position: fixed;
    bottom: var(--_offset);
    right: var(--_offset);
    z-index: var(--vitrine-z-index, 2147483000);
    font-family: var(--_font-family);
    font-size: var(--_font-size);
    line-height: 1.4;
    color: var(--_text);
    color-scheme: light;
  }
  :host([position='left']) {
    right: auto;
    left: var(--_offset);
  }
  :host([theme='dark']) {
    ${darkTokens}
  }
  @media (prefers-color-scheme: dark) {
    :host([theme='auto']),
    :host(:not([theme])) {
      ${darkTokens}
    }
  }

  *,
  *::before,
  *::after {
    box-sizing: border-box;
  }
  [hidden] {
    display: none !important;
  }
  button,
  textarea {
    font: inherit;
    color: inherit;
  }
  :focus-visible {
    outline: 2px solid var(--_focus);
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

  /* Launcher */
  .launcher {
    position: relative;
    display: grid;
    place-items: center;
    width: var(--_launcher-size);
    height: var(--_launcher-size);
    margin-left: auto;
    border: 0;
    border-radius: 50%;
    background: var(--_primary);
    color: var(--_on-primary);
    box-shadow: var(--_shadow);
    cursor: pointer;
    transition: transform 0.15s ease;
  }
  :host([position='left']) .launcher {
    margin-left: 0;
  }
  .launcher:hover {
    transform: scale(1.05);
  }
  .launcher:focus-visible {
    outline: 3px solid var(--_focus);
    outline-offset: 3px;
  }
  .launcher svg {
    width: 45%;
    height: 45%;
    fill: currentColor;
  }
  .badge {
    position: absolute;
    top: -4px;
    right: -4px;
    min-width: 22px;
    height: 22px;
    padding: 0 6px;
    border-radius: 11px;
    background: var(--_danger);
    color: var(--_on-danger);
    font-size: 12px;
    font-weight: 600;
    line-height: 22px;
    text-align: center;
    box-shadow: 0 0 0 2px var(--_surface);
  }

  /* Panel */
  .panel {
    position: absolute;
    bottom: calc(var(--_launcher-size) + 12px);
    right: 0;
    display: flex;
    flex-direction: column;
    width: var(--_panel-width);
    max-width: calc(100vw - 2 * var(--_offset));
    height: var(--_panel-height);
    max-height: calc(100vh - var(--_launcher-size) - 3 * var(--_offset));
    overflow: hidden;
    border-radius: var(--_radius);
    background: var(--_surface);
    color: var(--_text);
    box-shadow: var(--_shadow);
  }
  :host([position='left']) .panel {
    right: auto;
    left: 0;
  }
  @media (max-width: 480px) {
    .panel {
      position: fixed;
      inset: 0;
      width: 100%;
      max-width: none;
      height: 100%;
      max-height: none;
      border-radius: 0;
    }
    :host([open]) .launcher {
      display: none;
    }
  }

  .header {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 12px;
    padding: 14px 16px;
    background: var(--_primary);
    color: var(--_on-primary);
  }
  .header-text {
    flex: 1;
    min-width: 0;
  }
  .title {
    margin: 0;
    font-size: 1.05em;
    font-weight: 600;
  }
  .connection {
    display: flex;
    align-items: center;
    gap: 6px;
    margin: 2px 0 0;
    font-size: 0.8em;
    opacity: 0.9;
  }
  .connection::before {
    content: '';
    width: 8px;
    height: 8px;
    border-radius: 50%;
    background: currentColor;
    opacity: 0.5;
  }
  .connection[data-state='online']::before {
    background: var(--_success);
    opacity: 1;
  }
  .connection[data-state='refused']::before {
    background: var(--_danger);
    opacity: 1;
  }
  .icon-button {
    display: grid;
    place-items: center;
    width: 36px;
    height: 36px;
    border: 0;
    border-radius: 50%;
    background: transparent;
    color: inherit;
    cursor: pointer;
  }
  .icon-button:hover {
    background: rgba(255, 255, 255, 0.15);
  }
  .icon-button svg {
    width: 18px;
    height: 18px;
    fill: currentColor;
  }
  .icon-button:focus-visible {
    outline-color: var(--_on-primary);
  }

  /* Assistant toggle (shops with the AI assistant): a row of the header */
  .assistant-toggle {
    display: flex;
    flex-basis: 100%;
    padding: 2px;
    border: 1px solid currentColor;
    border-radius: 999px;
  }
  .assistant-option {
    flex: 1;
    padding: 4px 10px;
    border: 0;
    border-radius: 999px;
    background: transparent;
    color: inherit;
    font-size: 0.85em;
    cursor: pointer;
  }
  .assistant-option[aria-pressed='true'] {
    background: var(--_on-primary);
    color: var(--_primary);
    font-weight: 600;
  }
  .assistant-option:focus-visible {
    outline-color: var(--_on-primary);
    outline-offset: 2px;
  }
  .assistant-status {
    margin: 0;
    padding: 8px 14px;
    border-top: 1px solid var(--_border);
    background: var(--_surface-2);
    color: var(--_text);
    font-size: 0.85em;
  }
  .assistant-status[data-status='error'] {
    color: var(--_danger);
  }
  .ai-label {
    padding: 0 5px;
    border: 1px solid var(--_primary);
    border-radius: 4px;
    color: var(--_primary);
    font-weight: 700;
  }
  .bubble.streaming::after {
    content: '▍';
    opacity: 0.6;
  }
  .stop,
  .handoff {
    padding: 2px 10px;
    border: 1px solid var(--_border);
    border-radius: 999px;
    background: var(--_surface);
    color: var(--_text);
    font-size: 1em;
    cursor: pointer;
  }
  .handoff {
    margin: 4px 6px 0;
    font-size: 0.8em;
  }

  /* Tabs (when the server has feeds): a second header row */
  .tabs {
    display: flex;
    gap: 4px;
    padding: 0 12px;
    background: var(--_primary);
    color: var(--_on-primary);
  }
  .tab {
    display: inline-flex;
    align-items: center;
    gap: 6px;
    padding: 8px 12px 10px;
    border: 0;
    border-bottom: 3px solid transparent;
    background: transparent;
    font-weight: 600;
    opacity: 0.8;
    cursor: pointer;
  }
  .tab[aria-selected='true'] {
    border-bottom-color: currentColor;
    opacity: 1;
  }
  .tab:focus-visible {
    outline-color: var(--_on-primary);
    outline-offset: -2px;
  }
  .tab-badge {
    min-width: 20px;
    padding: 0 6px;
    border-radius: 10px;
    background: var(--_on-primary);
    color: var(--_primary);
    font-size: 12px;
    line-height: 20px;
    text-align: center;
  }
  .pane {
    display: contents;
  }
  vitrine-feed {
    flex: 1;
    min-height: 0;
  }

  /* Messages */
  .messages {
    flex: 1;
    overflow-y: auto;
    overscroll-behavior: contain;
    padding: 12px 14px;
    display: flex;
    flex-direction: column;
    gap: 2px;
  }
  .empty {
    margin: auto 12px;
    color: var(--_muted);
    text-align: center;
  }
  .load-earlier {
    align-self: center;
    margin: 4px 0 8px;
    padding: 6px 12px;
    border: 1px solid var(--_border);
    border-radius: 999px;
    background: var(--_surface);
    color: var(--_muted);
    font-size: 0.85em;
    cursor: pointer;
  }
  .day {
    align-self: center;
    margin: 10px 0 6px;
    color: var(--_muted);
    font-size: 0.78em;
  }
  .message {
    display: flex;
    flex-direction: column;
    max-width: 82%;
    margin-top: 2px;
  }
  .message.group-start {
    margin-top: 10px;
  }
  .message.mine {
    align-self: flex-end;
    align-items: flex-end;
  }
  .message.theirs {
    align-self: flex-start;
    align-items: flex-start;
  }
  .author {
    margin: 0 6px 2px;
    color: var(--_muted);
    font-size: 0.78em;
  }
  .bubble {
    margin: 0;
    padding: 8px 12px;
    border-radius: var(--_radius);
    white-space: pre-wrap;
    overflow-wrap: anywhere;
  }
  .mine .bubble {
    background: var(--_bubble-mine);
    color: var(--_on-bubble-mine);
  }
  .theirs .bubble {
    background: var(--_bubble-theirs);
    color: var(--_on-bubble-theirs);
  }
  .mine:not(.group-end) .bubble {
    border-bottom-right-radius: 4px;
  }
  .theirs:not(.group-end) .bubble {
    border-bottom-left-radius: 4px;
  }
  .mine[data-status='sending'] .bubble {
    opacity: 0.7;
  }
  .mine[data-status='failed'] .bubble {
    outline: 1px solid var(--_danger);
  }
  .meta {
    display: flex;
    gap: 6px;
    align-items: center;
    margin: 2px 6px 0;
    color: var(--_muted);
    font-size: 0.72em;
  }
  .status[data-status='failed'] {
    color: var(--_danger);
  }
  .retry {
    padding: 0 4px;
    border: 0;
    background: transparent;
    color: var(--_danger);
    font-size: 1em;
    text-decoration: underline;
    cursor: pointer;
  }
  /* Products */
  .message.kind-product,
  .message.kind-products {
    gap: 4px;
  }
  .message.kind-products {
    align-self: stretch;
    max-width: 100%;
  }
  .message.kind-products.mine {
    align-items: stretch;
  }
  .message vitrine-product-card {
    width: var(--vitrine-chat-card-width, 220px);
    max-width: 100%;
  }
  .message vitrine-product-carousel {
    --vitrine-carousel-card-width: var(--vitrine-chat-card-width, 180px);
    width: 100%;
  }
  .product-pending {
    margin: 0;
    padding: 12px 14px;
    border: 1px dashed var(--_border);
    border-radius: var(--_radius);
    color: var(--_muted);
    font-size: 0.9em;
  }
  .message-context {
    max-width: 100%;
    margin: 0 0 3px;
    padding: 3px 10px;
    border: 1px solid var(--_border);
    border-radius: 999px;
    color: var(--_muted);
    font-size: 0.8em;
    overflow: hidden;
    text-overflow: ellipsis;
    white-space: nowrap;
  }
  .ask-context {
    display: flex;
    align-items: center;
    gap: 10px;
    margin: 0 12px 8px;
    padding: 6px 6px 6px 8px;
    border: 1px solid var(--_border);
    border-radius: 12px;
    background: var(--_surface-2);
  }
  .ask-image {
    flex: none;
    width: 40px;
    height: 40px;
    border-radius: 8px;
    object-fit: cover;
  }
  .ask-text {
    display: flex;
    flex: 1;
    flex-direction: column;
    min-width: 0;
    margin: 0;
  }
  .ask-label {
    color: var(--_muted);
    font-size: 0.75em;
  }
  .ask-title {
    overflow: hidden;
    text-overflow: ellipsis;
    white-space: nowrap;
    font-weight: 600;
  }
  .ask-remove {
    display: grid;
    flex: none;
    place-items: center;
    width: 32px;
    height: 32px;
    padding: 0;
    border: 0;
    border-radius: 50%;
    background: transparent;
    color: var(--_muted);
    cursor: pointer;
  }
  .ask-remove:hover {
    background: var(--_border);
  }
  .ask-remove:focus-visible {
    outline: 3px solid var(--_focus);
  }
  .ask-remove svg {
    width: 16px;
    height: 16px;
    fill: currentColor;
  }
  .typing {
    margin: 0;
    padding: 4px 14px 6px;
    color: var(--_muted);
    font-size: 0.8em;
    font-style: italic;
  }

  /* Composer */
  .composer {
    display: flex;
    align-items: flex-end;
    gap: 8px;
    padding: 10px 12px;
    border-top: 1px solid var(--_border);
    background: var(--_surface);
  }
  .field {
    flex: 1;
    display: flex;
    flex-direction: column;
  }
  .input {
    width: 100%;
    min-height: 40px;
    max-height: 120px;
    padding: 9px 12px;
    border: 1px solid var(--_border);
    border-radius: calc(var(--_radius) * 0.75);
    background: var(--_surface-2);
    color: var(--_text);
    resize: none;
  }
  .input::placeholder {
    color: var(--_muted);
  }
  .input:focus-visible {
    outline-offset: 0;
  }
  .too-long {
    margin: 4px 2px 0;
    color: var(--_danger);
    font-size: 0.75em;
  }
  .send {
    display: grid;
    place-items: center;
    width: 40px;
    height: 40px;
    flex: none;
    border: 0;
    border-radius: 50%;
    background: var(--_primary);
    color: var(--_on-primary);
    cursor: pointer;
  }
  .send:disabled {
    opacity: 0.45;
    cursor: default;
  }
  .send svg {
    width: 18px;
    height: 18px;
    fill: currentColor;
  }

  @media (prefers-reduced-motion: reduce) {
    .launcher {
      transition: none;
    }
  }
`;
