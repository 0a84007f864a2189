/**
 * A lit reactive controller for nanostores 1.x: subscribes while the host is connected, asks the
 * host to update on every change, and can be pointed at another store (or none) at any time.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { ReadableAtom } from 'nanostores';

export class StoreController<T> implements ReactiveController {
  private readonly host: ReactiveControllerHost;
  private readonly fallback: T;
  private current: ReadableAtom<T> | null = null;
  private unsubscribe: (() => void) | null = null;
  private connected = false;
  /** The store's latest value (`fallback` while no store is set). */
  value: T;

  constructor(host: ReactiveControllerHost, fallback: T, store: ReadableAtom<T> | null = null) {
    this.host = host;
    this.fallback = fallback;
    this.value = fallback;
    host.addController(this);
    if (store) this.store = store;
  }

  get store(): ReadableAtom<T> | null {
    return this.current;
  }

  /** Switches to another store. Reads its value synchronously (safe inside `willUpdate`). */
  set store(store: ReadableAtom<T> | null) {
    if (store === this.current) return;
    this.stop();
    this.current = store;
    if (this.connected) this.start();
    else this.value = store ? store.get() : this.fallback;
  }

  hostConnected(): void {
    this.connected = true;
    const before = this.value;
    this.start();
    if (this.value !== before) this.host.requestUpdate();
  }

  hostDisconnected(): void {
    this.connected = false;
    this.stop();
  }

  private start(): void {
    const store = this.current;
    if (!store || this.unsubscribe) {
      if (!store) this.value = this.fallback;
      return;
    }
    // listen() first so lazy stores mount, then read: no extra update for the initial value.
    this.unsubscribe = store.listen((value) => {
      this.value = value;
      this.host.requestUpdate();
    });
    this.value = store.get();
  }

  private stop(): void {
    this.unsubscribe?.();
    this.unsubscribe = null;
  }
}
