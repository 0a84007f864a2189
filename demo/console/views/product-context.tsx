import { useEffect, useMemo } from 'preact/hooks';
import type { ConversationHandle, Translator, VitrineClient } from '../../../src/index.js';
import { totalStock } from '../lib/product.js';
import { useStore } from '../lib/use-store.js';
import { createProductContext } from '../stores/product-context.js';
import { ProductCard } from './product-card.js';

/** Beside the conversation: what this customer asked about or sent, newest first, with live stock. */
export function ProductContextPanel({ client, handle, tr }: { client: VitrineClient; handle: ConversationHandle; tr: Translator }) {
  const context = useMemo(() => createProductContext(client, handle), [client, handle]);
  useEffect(() => () => context.dispose(), [context]);
  const entries = useStore(context.$entries);
  const live = useStore(context.$live);
  const checked = useStore(context.$checked);

  return (
    <section class="side-section product-context" aria-labelledby="product-context-title" data-testid="product-context">
      <h3 id="product-context-title" class="side-section__title">
        {tr.t('console.context.title')}
      </h3>
      {entries.length === 0 ? (
        <p class="side-section__empty">{tr.t('console.context.empty')}</p>
      ) : (
        <ul class="product-context__list">
          {entries.map(({ product, at }) => {
            const current = live.get(product.id);
            let line: string | null = null;
            if (current) {
              const stock = totalStock(current.variants);
              if (stock !== null) line = stock > 0 ? tr.t('console.context.live', { count: stock }) : tr.t('console.context.liveOut');
            } else if (checked.has(product.id) && product.source === 'catalogue') {
              line = tr.t('console.context.gone');
            }
            return (
              <li key={product.id} class="product-context__item" data-testid="product-context-item" data-product-id={product.id}>
                <ProductCard product={current ? { ...product, title: current.title, price: current.price, compareAt: current.compareAt } : product} tr={tr} stock={line} testId="product-context-card" />
                <time class="product-context__when" dateTime={at}>
                  {tr.day(at) === tr.t('day.today') ? tr.time(at) : `${tr.day(at)} ${tr.time(at)}`}
                </time>
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}
