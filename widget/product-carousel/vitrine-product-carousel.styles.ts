import { css } from 'lit';

/** Tokens as in `<vitrine-product-card>`; inside `<vitrine-chat>` the chat's theme values are inherited. */
export const styles = css`
  :host {
    --_k-surface: var(--vitrine-color-surface, var(--_surface, #ffffff));
    --_k-text: var(--vitrine-color-text, var(--_text, #1d1b1c));
    --_k-border: var(--vitrine-color-border, var(--_border, rgba(0, 0, 0, 0.12)));
    --_k-focus: var(--vitrine-color-focus, var(--_focus, #1a73e8));
    --_k-button: var(--vitrine-carousel-button-size, 32px);
    display: block;
    min-width: 0;
    max-width: 100%;
  }
  :host([hidden]) {
    display: none;
  }
  .carousel {
    position: relative;
  }
  .track {
    display: flex;
    gap: var(--vitrine-carousel-gap, 10px);
    overflow-x: auto;
    overscroll-behavior-x: contain;
    scroll-snap-type: x mandatory;
    scroll-padding-inline: 2px;
    padding: 2px 2px 6px;
    scrollbar-width: thin;
  }
  .item {
    flex: none;
    width: var(--vitrine-carousel-card-width, 200px);
    scroll-snap-align: start;
    border-radius: var(--vitrine-card-radius, 12px);
    outline: none;
  }
  .item:focus-visible {
    outline: 3px solid var(--_k-focus);
    outline-offset: 2px;
  }
  vitrine-product-card {
    height: 100%;
  }
  .nav {
    position: absolute;
    top: calc(var(--vitrine-carousel-card-width, 200px) / 2 - var(--_k-button) / 2);
    z-index: 1;
    display: grid;
    place-items: center;
    width: var(--_k-button);
    height: var(--_k-button);
    padding: 0;
    border: 1px solid var(--_k-border);
    border-radius: 50%;
    background: var(--_k-surface);
    color: var(--_k-text);
    box-shadow: 0 2px 8px rgba(0, 0, 0, 0.15);
    cursor: pointer;
  }
  .nav.previous {
    left: 4px;
  }
  .nav.next {
    right: 4px;
  }
  .nav:disabled {
    display: none;
  }
  .nav:focus-visible {
    outline: 3px solid var(--_k-focus);
    outline-offset: 2px;
  }
  .nav svg {
    width: 60%;
    height: 60%;
    fill: currentColor;
  }
  @media (prefers-reduced-motion: no-preference) {
    .track {
      scroll-behavior: smooth;
    }
  }
`;
