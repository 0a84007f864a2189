/**
 * The broadcast scheduler (issue 5). Every server process runs one; they coordinate only through
 * the database:
 *
 * 1. each tick (every `tickMs`, at once when a campaign is scheduled in this process, and at the
 *    due time of a campaign that falls due before the next interval tick)
 *    finishes campaigns left in `sending` by a dead process, then claims due campaigns one at a
 *    time with `BroadcastStore.claimDue` — one transaction that locks the campaign (`FOR UPDATE
 *    SKIP LOCKED`: two processes never take the same one), snapshots its products and coupon,
 *    stores its recipients (segment minus frequency cap) and marks it `sending`;
 * 2. after that commit, one `feed:new` packet goes to every recipient's room (through the Redis
 *    adapter it reaches sockets on every process), in emits to chunks of rooms with a short timer
 *    between them so the event loop keeps serving chat meanwhile;
 * 3. once the last chunk is out, the campaign is marked `sent`.
 *
 * A crash before the commit leaves the campaign `scheduled` (sent after a restart, by any process);
 * a crash after it leaves it `sending` with its recipients stored (they see it on their next
 * `feed:get`), and the next tick anywhere finishes it as `sent` once the claim is 60 s old.
 */
import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import type { Logger } from './log.js';
import type { ClaimedBroadcast } from './storage/broadcasts.js';
import type { Store } from './storage/store.js';

/** Default interval between scheduler ticks. */
export const DEFAULT_BROADCAST_TICK_MS = 5000;

/** Campaigns one tick sends at most (the next tick continues). */
export const CLAIMS_PER_TICK = 50;

export interface SchedulerOptions {
  store: Store;
  log: Logger;
  /** Interval between ticks (ms). */
  tickMs?: number;
  /**
   * Live delivery of a claimed campaign (the app emits `feed:new` to the recipients' rooms, in paced
   * chunks). The scheduler waits for the returned promise before marking the campaign sent; `stop()`
   * waits for a delivery under way.
   */
  deliver: (claim: ClaimedBroadcast) => void | Promise<void>;
  /** Names this process in `campaigns.claimed_by`. */
  processId?: string;
}

/** A running scheduler. */
export interface BroadcastScheduler {
  /** Runs a tick now (or once more right after the one under way); resolves when it is done. */
  tick(): Promise<void>;
  /** Stops the interval and waits for a tick under way (including its live delivery). */
  stop(): Promise<void>;
  readonly processId: string;
}

/** Starts the scheduler of this process. */
export function startBroadcastScheduler(opts: SchedulerOptions): BroadcastScheduler {
  const { store, log } = opts;
  const processId = opts.processId ?? `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`;
  const tickMs = opts.tickMs ?? DEFAULT_BROADCAST_TICK_MS;
  let running: Promise<void> | null = null;
  let again = false;
  let stopped = false;

  /** Finishes stale campaigns and sends due ones; true when it stopped at CLAIMS_PER_TICK (more may be due). */
  async function runOnce(): Promise<boolean> {
    const finished = await store.broadcasts.finishStale();
    for (const id of finished) log.warn(`campaign ${id} was left sending by a stopped process: finished as sent (recipients see it on their next feed:get)`);
    for (let i = 0; i < CLAIMS_PER_TICK && !stopped; i++) {
      const claim = await store.broadcasts.claimDue(processId);
      if (!claim) return false;
      log.info(
        `campaign ${claim.campaignId} shop=${claim.shop}: ${claim.visitorIds.length} recipient(s) stored (targeted ${claim.targeted}, capped ${claim.capped})`,
      );
      try {
        // An empty room list would mean "everyone": only emit to actual recipients.
        if (claim.visitorIds.length > 0) await opts.deliver(claim);
      } catch (err) {
        // Recipients are stored: they see it on their next feed:get.
        log.error(`live delivery of campaign ${claim.campaignId} failed`, err);
      }
      await store.broadcasts.markSent(claim.shop, claim.campaignId);
    }
    return !stopped;
  }

  let nextTimer: NodeJS.Timeout | null = null;
  /** A campaign due before the next interval tick gets a timer of its own (no waiting up to tickMs). */
  async function armNext(): Promise<void> {
    const ms = await store.broadcasts.msUntilNextDue();
    if (nextTimer) clearTimeout(nextTimer);
    nextTimer = null;
    // Due already (another process holds it, or it is being claimed): the interval retries.
    if (stopped || ms === null || ms <= 0 || ms >= tickMs) return;
    nextTimer = setTimeout(() => {
      nextTimer = null;
      void tick();
    }, Math.ceil(ms) + 5);
    nextTimer.unref();
  }

  function tick(): Promise<void> {
    if (stopped) return Promise.resolve();
    if (running) {
      again = true;
      return running;
    }
    running = (async () => {
      try {
        do {
          again = false;
          if (await runOnce()) again = true;
        } while (again && !stopped);
        if (!stopped) await armNext();
      } catch (err) {
        if (!stopped) log.error('broadcast scheduler tick failed', err);
      } finally {
        running = null;
      }
    })();
    return running;
  }

  const timer = setInterval(() => void tick(), tickMs);
  timer.unref();
  const unsubscribe = store.broadcasts.onDue(() => void tick());
  // Campaigns that fell due while no process was running go out right away.
  void tick();

  return {
    processId,
    tick,
    async stop() {
      stopped = true;
      clearInterval(timer);
      if (nextTimer) clearTimeout(nextTimer);
      unsubscribe();
      await running;
    },
  };
}
