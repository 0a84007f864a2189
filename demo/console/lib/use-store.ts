/** A tiny `useStore` for nanostores 1.x under preact (no @nanostores/preact needed). */
import { useEffect, useReducer, useRef } from 'preact/hooks';
import type { ReadableAtom } from 'nanostores';

/** Renders with the store's current value and re-renders whenever it changes. */
export function useStore<T>(store: ReadableAtom<T>): T {
  const [, rerender] = useReducer((n: number) => n + 1, 0);
  const value = store.get();
  const rendered = useRef(value);
  rendered.current = value;
  useEffect(() => {
    const off = store.listen(() => rerender(0));
    // A change between render and subscription would otherwise be missed.
    if (store.get() !== rendered.current) rerender(0);
    return off;
  }, [store]);
  return value;
}
