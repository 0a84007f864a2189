/** The catalogue page: search the shop's products, create or edit one, import a CSV / JSON file. */
import { useEffect, useState } from 'preact/hooks';
import { errorText } from '../lib/errors.js';
import { emptyProductDraft, productDraft, type ProductDraft } from '../lib/product-form.js';
import { price, productTitle, totalStock, stockLabel } from '../lib/product.js';
import { useStore } from '../lib/use-store.js';
import { $catalogue, loadProduct, searchCatalogue } from '../stores/catalogue.js';
import { $tr } from '../stores/locale.js';
import { codeOf } from '../stores/rest.js';
import { ProductForm } from './product-form.js';
import { ProductImport } from './product-import.js';

type Editing = { key: number; draft: ProductDraft; isNew: boolean } | null;

let editKey = 0;

export function CataloguePage() {
  const tr = useStore($tr);
  const list = useStore($catalogue);
  const [query, setQuery] = useState(list.query);
  const [editing, setEditing] = useState<Editing>(null);
  const [loadError, setLoadError] = useState<string | null>(null);

  useEffect(() => {
    void searchCatalogue(list.query);
  }, []);

  // Debounced search while typing.
  useEffect(() => {
    if (query === list.query) return;
    const timer = setTimeout(() => void searchCatalogue(query), 250);
    return () => clearTimeout(timer);
  }, [query]);

  const open = async (id: string) => {
    setLoadError(null);
    try {
      const product = await loadProduct(id);
      setEditing({ key: ++editKey, draft: productDraft(product), isNew: false });
    } catch (e) {
      setLoadError(errorText(codeOf(e), tr));
    }
  };

  return (
    <main class="page catalogue" id="main" data-testid="catalogue-page">
      <div class="page__head">
        <h1 class="page__title">{tr.t('console.nav.catalogue')}</h1>
        <button type="button" class="btn btn--primary" data-testid="product-new" onClick={() => setEditing({ key: ++editKey, draft: emptyProductDraft(), isNew: true })}>
          {tr.t('console.catalogue.new')}
        </button>
      </div>
      <div class="page__cols">
        <div class="page__col">
          <ProductImport tr={tr} />
          <section class="card" aria-labelledby="catalogue-list-title">
            <h2 id="catalogue-list-title" class="card__title">
              {tr.t('console.catalogue.products')}
            </h2>
            <label class="visually-hidden" for="catalogue-search">
              {tr.t('console.products.search')}
            </label>
            <input
              id="catalogue-search"
              class="search-input"
              type="search"
              data-testid="catalogue-search"
              placeholder={tr.t('console.products.searchPlaceholder')}
              value={query}
              onInput={(e) => setQuery((e.currentTarget as HTMLInputElement).value)}
              onKeyDown={(e) => {
                if (e.key === 'Enter' && !e.isComposing) void searchCatalogue(query);
              }}
            />
            <p class="product-panel__status" data-testid="catalogue-status" data-loading={list.loading ? 'true' : 'false'}>
              {list.loading ? tr.t('console.products.searching') : list.error ? tr.t('console.load.failed') : list.loaded && list.items.length === 0 ? tr.t('console.products.none') : ''}
            </p>
            {loadError && <p class="form-error">{loadError}</p>}
            <ul class="list" data-testid="catalogue-list">
              {list.items.map((p) => (
                <li key={p.id}>
                  <button type="button" class="list__row" data-testid="catalogue-item" data-product-id={p.id} onClick={() => void open(p.id)}>
                    <span class="list__main">{productTitle(p.title, tr)}</span>
                    <span class="list__meta">
                      {price(p.price, tr)} · {stockLabel(totalStock(p.variants), tr)} · <code>{p.id}</code>
                    </span>
                  </button>
                </li>
              ))}
            </ul>
            {list.hasMore && (
              <button type="button" class="btn btn--quiet btn--small" data-testid="catalogue-more" disabled={list.loading} onClick={() => void searchCatalogue(list.query, true)}>
                {tr.t('console.loadMore')}
              </button>
            )}
          </section>
        </div>
        <div class="page__col page__col--wide">
          {editing ? (
            <ProductForm
              key={editing.key}
              initial={editing.draft}
              isNew={editing.isNew}
              tr={tr}
              onSaved={() => setEditing((e) => e && { ...e, isNew: false })}
              onCancel={() => setEditing(null)}
            />
          ) : (
            <p class="page__empty">{tr.t('console.catalogue.pick')}</p>
          )}
        </div>
      </div>
    </main>
  );
}
