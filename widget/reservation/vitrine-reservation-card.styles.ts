import { css } from 'lit';
import { baseStyles } from '../commerce-shared.js';

export const styles = [
  baseStyles,
  css`
    :host {
      width: var(--vitrine-chat-card-width, 240px);
      max-width: 100%;
      --_r-requested: var(--vitrine-color-reservation-requested, #8a5a00);
      --_r-proposed: var(--vitrine-color-reservation-proposed, #1a5fb4);
      --_r-confirmed: var(--vitrine-color-reservation-confirmed, #1e7e4a);
      --_r-declined: var(--vitrine-color-reservation-declined, #b3261e);
      --_r-cancelled: var(--vitrine-color-reservation-cancelled, #6b6469);
    }
    @supports (color: light-dark(#000, #fff)) {
      :host {
        --_r-requested: var(--vitrine-color-reservation-requested, light-dark(#8a5a00, #f2c46d));
        --_r-proposed: var(--vitrine-color-reservation-proposed, light-dark(#1a5fb4, #9cc3ff));
        --_r-confirmed: var(--vitrine-color-reservation-confirmed, light-dark(#1e7e4a, #7fd6a0));
        --_r-declined: var(--vitrine-color-reservation-declined, light-dark(#b3261e, #f2b8b5));
        --_r-cancelled: var(--vitrine-color-reservation-cancelled, light-dark(#6b6469, #b1a9ae));
      }
    }
    .card {
      display: flex;
      flex-direction: column;
      gap: 6px;
      padding: 10px 12px 12px;
      border: 1px solid var(--_k-border);
      border-radius: var(--vitrine-card-radius, 12px);
      background: var(--_k-surface);
    }
    .top {
      display: flex;
      gap: 10px;
      align-items: center;
    }
    .image {
      flex: none;
      width: 48px;
      height: 48px;
      border-radius: 8px;
      object-fit: cover;
      background: var(--_k-surface-2);
    }
    .text {
      min-width: 0;
    }
    .title {
      font-weight: 600;
      overflow-wrap: anywhere;
    }
    .state {
      --_r: var(--_r-requested);
      display: inline-flex;
      align-self: flex-start;
      align-items: center;
      gap: 4px;
      padding: 2px 10px;
      border: 1px solid var(--_r);
      border-radius: 999px;
      color: var(--_r);
      font-size: 0.82em;
      font-weight: 600;
    }
    .state[data-state='proposed'] {
      --_r: var(--_r-proposed);
    }
    .state[data-state='confirmed'] {
      --_r: var(--_r-confirmed);
    }
    .state[data-state='declined'] {
      --_r: var(--_r-declined);
    }
    .state[data-state='cancelled'] {
      --_r: var(--_r-cancelled);
    }
    .card[data-state='declined'] .slot,
    .card[data-state='cancelled'] .slot {
      text-decoration: line-through;
      color: var(--_k-muted);
    }
    .slot {
      font-weight: 600;
      font-variant-numeric: tabular-nums;
    }
    .note {
      overflow-wrap: anywhere;
      white-space: pre-wrap;
      font-size: 0.92em;
    }
    .actions {
      display: flex;
      flex-wrap: wrap;
      gap: 6px;
      padding-top: 4px;
    }
    .actions .button {
      flex: 1 1 auto;
    }
    .superseded {
      font-style: italic;
    }
    .pending {
      padding: 12px 14px;
      border: 1px dashed var(--_k-border);
      border-radius: var(--vitrine-card-radius, 12px);
      color: var(--_k-muted);
      font-size: 0.9em;
    }
  `,
];
