import { css } from 'lit';
import { baseStyles } from '../commerce-shared.js';

export const styles = [
  baseStyles,
  css`
    :host {
      width: var(--vitrine-chat-card-width, 240px);
      max-width: 100%;
      --_accent: var(--vitrine-color-coupon-accent, #c2410c);
      --_on-accent: var(--vitrine-color-on-coupon-accent, #ffffff);
    }
    @supports (color: light-dark(#000, #fff)) {
      :host {
        --_accent: var(--vitrine-color-coupon-accent, light-dark(#c2410c, #ffb68a));
        --_on-accent: var(--vitrine-color-on-coupon-accent, light-dark(#ffffff, #1d1b1c));
      }
    }
    .card {
      display: flex;
      flex-direction: column;
      gap: 4px;
      padding: 10px 12px 12px 16px;
      border: 1px solid var(--_k-border);
      border-left: 6px solid var(--_accent);
      border-radius: var(--vitrine-card-radius, 12px);
      background: var(--_k-surface);
    }
    .card[data-state='expired'] {
      border-left-style: dashed;
      border-left-color: var(--_k-muted);
    }
    .label {
      color: var(--_k-muted);
      font-size: 0.78em;
      font-weight: 600;
      letter-spacing: 0.04em;
      text-transform: uppercase;
    }
    .value {
      color: var(--_accent);
      font-size: 1.3em;
      font-weight: 700;
    }
    .card[data-state='expired'] .value {
      color: var(--_k-muted);
    }
    .title {
      font-weight: 600;
      overflow-wrap: anywhere;
    }
    .conditions {
      overflow-wrap: anywhere;
      white-space: pre-wrap;
    }
    .status {
      align-self: flex-start;
      font-size: 0.87em;
      font-weight: 600;
    }
    .status[data-state='expired'] {
      color: var(--_k-muted);
    }
    .claim {
      margin-top: 6px;
      border-color: var(--_accent);
      background: var(--_accent);
      color: var(--_on-accent);
    }
    .claimed {
      display: flex;
      flex-direction: column;
      gap: 4px;
      margin-top: 4px;
    }
    .code-row {
      display: flex;
      flex-wrap: wrap;
      align-items: center;
      gap: 8px;
    }
    .code {
      padding: 3px 8px;
      border: 1px dashed var(--_accent);
      border-radius: 6px;
      font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace;
      font-size: 0.95em;
      font-weight: 700;
      letter-spacing: 0.05em;
      overflow-wrap: anywhere;
      user-select: all;
    }
    .copy {
      min-height: 30px;
      padding: 3px 12px;
    }
    .receipt {
      display: flex;
      flex-wrap: wrap;
      align-items: center;
      gap: 6px;
      padding: 8px 12px;
      border: 1px solid var(--_k-border);
      border-radius: var(--vitrine-card-radius, 12px);
      background: var(--_k-surface);
      font-size: 0.92em;
      overflow-wrap: anywhere;
    }
    .receipt.pending {
      border-style: dashed;
      color: var(--_k-muted);
    }
  `,
];
