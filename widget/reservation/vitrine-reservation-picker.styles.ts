import { css } from 'lit';
import { baseStyles } from '../commerce-shared.js';

/** Inside `<vitrine-chat>` the picker covers the chat panel (its positioned ancestor). */
export const styles = [
  baseStyles,
  css`
    :host {
      position: absolute;
      inset: 0;
      z-index: 3;
      display: flex;
    }
    .picker {
      display: flex;
      flex: 1;
      flex-direction: column;
      min-height: 0;
      background: var(--_k-surface);
      color: var(--_k-text);
    }
    .picker:focus {
      outline: none;
    }
    .header {
      display: flex;
      align-items: center;
      gap: 8px;
      padding: 12px 12px 8px 16px;
      border-bottom: 1px solid var(--_k-border);
    }
    .title {
      flex: 1;
      font-size: 1.05em;
      font-weight: 600;
    }
    .close {
      display: inline-flex;
      align-items: center;
      justify-content: center;
      width: 36px;
      height: 36px;
      padding: 0;
      border: 0;
      border-radius: 50%;
      background: transparent;
      color: inherit;
      cursor: pointer;
    }
    .close svg {
      width: 20px;
      height: 20px;
      fill: currentColor;
    }
    .body {
      display: flex;
      flex: 1;
      flex-direction: column;
      gap: 10px;
      min-height: 0;
      padding: 12px 16px;
      overflow-y: auto;
    }
    .product {
      font-weight: 600;
      overflow-wrap: anywhere;
    }
    .chips,
    .slots {
      display: flex;
      flex-wrap: wrap;
      gap: 6px;
    }
    .days {
      flex-wrap: nowrap;
      overflow-x: auto;
      padding-bottom: 2px;
    }
    .slots {
      display: grid;
      grid-template-columns: repeat(auto-fill, minmax(72px, 1fr));
    }
    .chip {
      min-height: 34px;
      padding: 4px 10px;
      border: 1px solid var(--_k-border);
      border-radius: 999px;
      background: var(--_k-surface-2);
      color: var(--_k-text);
      font-size: 0.87em;
      white-space: nowrap;
      cursor: pointer;
    }
    .slot {
      border-radius: 8px;
      font-variant-numeric: tabular-nums;
    }
    .chip[aria-pressed='true'] {
      border-color: var(--_k-primary);
      background: var(--_k-primary);
      color: var(--_k-on-primary);
    }
    .chip:disabled {
      cursor: not-allowed;
      opacity: 0.45;
      text-decoration: line-through;
    }
    .status {
      display: flex;
      flex-direction: column;
      align-items: flex-start;
      gap: 8px;
      padding: 12px 0;
      color: var(--_k-muted);
    }
    .status[data-state='error'] {
      color: var(--_k-danger);
    }
    .note-label {
      font-size: 0.87em;
      font-weight: 600;
    }
    .note {
      width: 100%;
      min-height: 56px;
      padding: 8px 10px;
      border: 1px solid var(--_k-border);
      border-radius: 10px;
      background: var(--_k-surface-2);
      color: inherit;
      font: inherit;
      resize: vertical;
    }
    .footer {
      display: flex;
      flex-direction: column;
      gap: 6px;
      padding: 10px 16px 14px;
      border-top: 1px solid var(--_k-border);
    }
    .submit {
      width: 100%;
    }
    @media (forced-colors: active) {
      .chip[aria-pressed='true'] {
        outline: 2px solid CanvasText;
      }
    }
  `,
];
