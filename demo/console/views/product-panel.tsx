import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { LIMITS, type ConversationHandle, type Product, type Translator, type VitrineClient } from '../../../src/index.js';
import { price, productTitle, safeImageSrc, stockLabel, totalStock, wasPrice } from '../lib/product.js';
import { useStore } from '../lib/use-store.js';
import { createProductPicker } from '../stores/products.js';

/**
 * Search the catalogue while replying (title in any language, tag, SKU, id), pick one or several
 * products, send them: one makes a card, 2 to 10 a carousel. Keyboard: type to search (Enter
 * searches at once; Enter that confirms an IME composition does not), ArrowDown moves into the
 * results, ArrowUp/ArrowDown between them, Space picks, Enter in the caption sends.
 */
export function ProductPanel({ client, handle, tr }: { client: VitrineClient; handle: ConversationHandle; tr: Translator }) {
  const picker = useMemo(() => createProductPicker(client, handle), [client, handle]);
  useEffect(() => () => picker.dispose(), [picker]);
  const search = useStore(picker.$search);
  const picked = useStore(picker.$picked);
  const connection = useStore(client.$connection);
  const [query, setQuery] = useState('');
  const [caption, setCaption] = useState('');
  const composing = useRef(false);
  const list = useRef<HTMLUListElement>(null);
  const searchInput = useRef<HTMLInputElement>(null);

  // First page once online (and again after a reconnect, so results are never stale).
  useEffect(() => {
    if (connection === 'online') picker.refresh();
  }, [picker, connection]);

  const full = picked.length >= LIMITS.carouselMax;
  const pickedIds = new Set(picked.map((p) => p.id));

  const onSearchInput = (e: Event) => {
    const value = (e.currentTarget as HTMLInputElement).value;
    setQuery(value);
    // While an IME composes (pinyin, kana…) the text is not final: search on compositionend.
    if (composing.current || (e as InputEvent).isComposing) return;
    picker.setQuery(value);
  };

  const focusResult = (index: number) => {
    const boxes = list.current?.querySelectorAll<HTMLInputElement>('input[type="checkbox"]');
    if (!boxes || boxes.length === 0) return;
    const i = Math.max(-1, Math.min(index, boxes.length - 1));
    if (i < 0) searchInput.current?.focus();
    else boxes[i].focus();
  };

  const onSearchKeyDown = (e: KeyboardEvent) => {
    if (e.isComposing || composing.current || e.keyCode === 229) return;
    if (e.key === 'Enter') {
      e.preventDefault();
      picker.setQuery(query, true);
    } else if (e.key === 'ArrowDown') {
      e.preventDefault();
      focusResult(0);
    }
  };

  const onResultKeyDown = (e: KeyboardEvent, index: number) => {
    if (e.key === 'ArrowDown') {
      e.preventDefault();
      focusResult(index + 1);
    } else if (e.key === 'ArrowUp') {
      e.preventDefault();
      focusResult(index - 1);
    } else if (e.key === 'Enter') {
      // Enter picks too (Space is the checkbox default).
      e.preventDefault();
      const product = search.items[index];
      if (product) picker.toggle(product);
    }
  };

  const send = () => {
    if (picked.length === 0) return;
    void picker.send(caption);
    setCaption('');
  };

  const status = search.loading
    ? tr.t('console.products.searching')
    : search.error
      ? tr.t(`error.${search.error}`)
      : search.done && search.items.length === 0
        ? tr.t('console.products.none')
        : search.done
          ? tr.t('console.products.results', { count: search.items.length })
          : '';

  return (
    <section class="side-section product-panel" aria-labelledby="product-panel-title" data-testid="product-panel">
      <h3 id="product-panel-title" class="side-section__title">
        {tr.t('console.products.title')}
      </h3>
      <label class="visually-hidden" for="product-search">
        {tr.t('console.products.search')}
      </label>
      <input
        ref={searchInput}
        id="product-search"
        class="product-panel__search"
        type="search"
        data-testid="product-search"
        autocomplete="off"
        maxLength={LIMITS.queryMaxLength}
        placeholder={tr.t('console.products.searchPlaceholder')}
        value={query}
        aria-controls="product-results"
        aria-describedby="product-search-status"
        onInput={onSearchInput}
        onKeyDown={onSearchKeyDown}
        onCompositionStart={() => {
          composing.current = true;
        }}
        onCompositionEnd={(e) => {
          composing.current = false;
          const value = (e.currentTarget as HTMLInputElement).value;
          setQuery(value);
          picker.setQuery(value);
        }}
      />
      <p id="product-search-status" class="product-panel__status" role="status" aria-live="polite" data-testid="product-search-status" data-loading={search.loading ? 'true' : 'false'}>
        {status}
      </p>
      <ul id="product-results" class="product-results" ref={list} data-testid="product-results" aria-busy={search.loading ? 'true' : 'false'}>
        {search.items.map((p, i) => (
          <ResultRow
            key={p.id}
            product={p}
            tr={tr}
            picked={pickedIds.has(p.id)}
            disabled={full && !pickedIds.has(p.id)}
            onToggle={() => picker.toggle(p)}
            onKeyDown={(e) => onResultKeyDown(e, i)}
          />
        ))}
      </ul>
      {search.hasMore && (
        <button type="button" class="btn btn--quiet btn--small product-panel__more" data-testid="product-more" disabled={search.loading} onClick={() => picker.loadMore()}>
          {tr.t('console.loadMore')}
        </button>
      )}
      <form
        class="product-panel__send"
        onSubmit={(e) => {
          e.preventDefault();
          send();
        }}
      >
        <p class="product-panel__picked" data-testid="product-picked" data-count={picked.length}>
          {tr.t('console.products.picked', { count: picked.length })}
          {full && <span class="product-panel__max"> · {tr.t('console.products.max', { max: LIMITS.carouselMax })}</span>}
        </p>
        <label class="visually-hidden" for="product-caption">
          {tr.t('console.products.caption')}
        </label>
        <input
          id="product-caption"
          class="product-panel__caption"
          type="text"
          data-testid="product-caption"
          maxLength={LIMITS.textMaxLength}
          placeholder={tr.t('console.products.caption')}
          value={caption}
          onInput={(e) => setCaption((e.currentTarget as HTMLInputElement).value)}
          onKeyDown={(e) => {
            // Enter that confirms an IME composition must not send.
            if (e.key === 'Enter' && (e.isComposing || e.keyCode === 229)) e.preventDefault();
          }}
        />
        <div class="product-panel__actions">
          <button type="button" class="btn btn--quiet btn--small" data-testid="product-clear" disabled={picked.length === 0} onClick={() => picker.clear()}>
            {tr.t('console.products.clear')}
          </button>
          <button type="submit" class="btn btn--primary btn--small" data-testid="product-send" data-count={picked.length} disabled={picked.length === 0}>
            {picked.length > 1 ? tr.t('console.products.sendMany', { count: picked.length }) : tr.t('console.products.sendOne')}
          </button>
        </div>
      </form>
    </section>
  );
}

function ResultRow({
  product,
  tr,
  picked,
  disabled,
  onToggle,
  onKeyDown,
}: {
  product: Product;
  tr: Translator;
  picked: boolean;
  disabled: boolean;
  onToggle: () => void;
  onKeyDown: (e: KeyboardEvent) => void;
}) {
  const title = productTitle(product.title, tr);
  const src = safeImageSrc(product.images[0]);
  const was = wasPrice(product.price, product.compareAt);
  const stock = totalStock(product.variants);
  const id = `product-pick-${product.id.replace(/[^a-zA-Z0-9_-]/g, '_')}`;
  return (
    <li class={`product-result${picked ? ' product-result--picked' : ''}`} data-testid="product-result" data-product-id={product.id}>
      <input
        id={id}
        type="checkbox"
        class="product-result__pick"
        data-testid="product-pick"
        checked={picked}
        disabled={disabled}
        aria-label={tr.t('console.products.pick', { title })}
        onChange={onToggle}
        onKeyDown={onKeyDown}
      />
      <label class="product-result__label" for={id}>
        <span class="product-result__media">{src ? <img src={src} alt="" loading="lazy" decoding="async" referrerpolicy="no-referrer" /> : null}</span>
        <span class="product-result__body">
          <span class="product-result__title" data-testid="product-result-title">
            {title}
          </span>
          <span class="product-result__meta">
            <span class="product-result__price">{price(product.price, tr)}</span>
            {was && (
              <s class="pcard__was" aria-hidden="true">
                {price(was, tr)}
              </s>
            )}
            <span class={`product-result__stock${stock === 0 ? ' product-result__stock--out' : ''}`} data-testid="product-result-stock">
              {stockLabel(stock, tr)}
            </span>
          </span>
          <span class="product-result__id">{product.id}</span>
        </span>
      </label>
    </li>
  );
}
