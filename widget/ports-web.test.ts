import { sendKeys } from '@web/test-runner-commands';
import { chime, claimNotification, noteUserGesture } from './notify.js';
import { webLocks, webPorts, webStorage } from './ports-web.js';
import { afterEach, assert, describe, equal, it, waitFor } from './test-utils.js';

/** A second "tab" of this origin: a same-origin iframe (its storage writes fire `storage` events here). */
async function otherTab(): Promise<Window> {
  const frame = document.createElement('iframe');
  document.body.append(frame);
  cleanups.push(() => frame.remove());
  return frame.contentWindow!;
}

const cleanups: (() => void)[] = [];

describe('web ports', () => {
  afterEach(() => {
    for (const fn of cleanups.splice(0)) fn();
    localStorage.clear();
  });

  it('webStorage.watch hears another tab write, remove and clear its key, not other keys', async () => {
    const storage = webStorage('shop-a');
    const heard: (string | null)[] = [];
    const off = storage.watch!('outbox', (value) => heard.push(value));
    cleanups.push(off);
    const tab = await otherTab();
    tab.localStorage.setItem('vitrine:shop-b:outbox', 'other shop');
    tab.localStorage.setItem('vitrine:shop-a:session', 'other key');
    tab.localStorage.setItem('vitrine:shop-a:outbox', '[1]');
    await waitFor(() => heard.length === 1, 'one change heard');
    equal(heard[0], '[1]');
    equal(storage.get('outbox'), '[1]', 'the write is readable here');
    tab.localStorage.removeItem('vitrine:shop-a:outbox');
    await waitFor(() => heard.length === 2, 'removal heard');
    equal(heard[1], null);
    storage.set('outbox', 'own write'); // own writes are not reported
    tab.localStorage.clear();
    await waitFor(() => heard.length === 3, 'clear heard');
    off();
    tab.localStorage.setItem('vitrine:shop-a:outbox', 'after off');
    await new Promise((r) => setTimeout(r, 100));
    equal(heard.length, 3, 'nothing after unsubscribe');
  });

  it('webLocks: shared navigator.locks per shop; exclusive, FIFO, ifAvailable does not wait', async () => {
    const a = webLocks('shop-a');
    const b = webLocks('shop-a');
    equal(a.shared, true);
    equal(webPorts('shop-a').lock?.shared, true, 'webPorts uses it');
    const order: string[] = [];
    let release!: () => void;
    const held = a.withLock('outbox', async () => {
      order.push('a in');
      await new Promise<void>((r) => (release = r));
      order.push('a out');
    });
    await waitFor(() => order.length === 1, 'a holds');
    const names = (await navigator.locks.query()).held?.map((l) => l.name) ?? [];
    assert(names.includes('vitrine:shop-a:outbox'), `named per shop: ${names}`);
    equal(await b.withLock('outbox', (acquired) => acquired, { ifAvailable: true }), false, 'taken');
    equal(await webLocks('shop-b').withLock('outbox', (acquired) => acquired, { ifAvailable: true }), true, 'another shop is free');
    const waiting = b.withLock('outbox', () => order.push('b'));
    await new Promise((r) => setTimeout(r, 50));
    equal(order.length, 1, 'b waits');
    release();
    await Promise.all([held, waiting]);
    equal(order.join(','), 'a in,a out,b');
  });

  it('claimNotification: one claim wins across tabs, a late claim loses too', async () => {
    const tab1 = { lock: webLocks('shop-n'), storage: webStorage('shop-n') };
    const tab2 = { lock: webLocks('shop-n'), storage: webStorage('shop-n') };
    const results = await Promise.all([claimNotification(tab1, 'm_1', 100), claimNotification(tab2, 'm_1', 100)]);
    equal(results.filter(Boolean).length, 1, `one winner: ${results}`);
    await new Promise((r) => setTimeout(r, 150)); // the holder let go
    equal(await claimNotification(tab2, 'm_1', 10), false, 'recorded: a late claim loses');
    equal(await claimNotification(tab2, 'm_2', 10), true, 'another message');
  });

  it('chime plays only after a user gesture', async () => {
    const before = (navigator as Navigator & { userActivation?: { hasBeenActive: boolean } }).userActivation?.hasBeenActive;
    if (before === false) equal(chime(), false, 'no AudioContext before a gesture');
    await sendKeys({ press: 'Shift' });
    noteUserGesture();
    equal(chime(), true, 'plays after a gesture');
  });
});
