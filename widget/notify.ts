/**
 * Notifications of new shop messages: exactly one tab per message rings (a cross-tab claim), with a
 * short, quiet WebAudio tone (no audio files) that only starts once the visitor interacted with the
 * page (browsers' autoplay rule: no AudioContext is created before that).
 */
import type { LockPort, StoragePort } from '../src/index.js';

/** Storage key of the message ids some tab already notified about (most recent last). */
const NOTIFIED_KEY = 'notified';
const NOTIFIED_KEEP = 50;
/** How long the claiming tab keeps the message's lock after recording it (storage settles meanwhile). */
const CLAIM_HOLD_MS = 2000;

/**
 * Claims the right to notify about message `id`, once across every tab of the shop: the first tab to
 * ask gets `true`; a tab asking while the claim is held, or later (the id is recorded), gets `false`.
 */
export function claimNotification(ports: { lock: LockPort; storage: StoragePort }, id: string, holdMs = CLAIM_HOLD_MS): Promise<boolean> {
  return new Promise<boolean>((resolve) => {
    ports.lock
      .withLock(
        `notify:${id}`,
        async (acquired) => {
          if (!acquired) return resolve(false);
          let seen: string[] = [];
          try {
            const parsed: unknown = JSON.parse(ports.storage.get(NOTIFIED_KEY) ?? '[]');
            if (Array.isArray(parsed)) seen = parsed.filter((x): x is string => typeof x === 'string');
          } catch {
            /* corrupt: start over */
          }
          if (seen.includes(id)) return resolve(false);
          ports.storage.set(NOTIFIED_KEY, JSON.stringify([...seen, id].slice(-NOTIFIED_KEEP)));
          resolve(true);
          await new Promise((r) => setTimeout(r, holdMs));
        },
        { ifAvailable: true },
      )
      .catch(() => resolve(false));
  });
}

let audio: AudioContext | null = null;
let gestured = false;

/** Call from a user gesture handler: the page may make sounds from now on. */
export function noteUserGesture(): void {
  gestured = true;
}

/** Whether the page had a user gesture (sticky user activation), so audio may start. */
function mayPlay(): boolean {
  const activation = (navigator as Navigator & { userActivation?: { hasBeenActive: boolean } }).userActivation;
  return gestured || Boolean(activation?.hasBeenActive);
}

/**
 * Plays a short, quiet two-tone chime. Returns `false` (silently) before any user gesture or where
 * WebAudio is unavailable.
 */
export function chime(): boolean {
  if (!mayPlay() || typeof AudioContext === 'undefined') return false;
  try {
    audio ??= new AudioContext();
    if (audio.state === 'suspended') audio.resume().catch(() => {});
    const t = audio.currentTime;
    const osc = audio.createOscillator();
    const gain = audio.createGain();
    osc.type = 'sine';
    osc.frequency.setValueAtTime(880, t);
    osc.frequency.setValueAtTime(1320, t + 0.09);
    gain.gain.setValueAtTime(0.0001, t);
    gain.gain.exponentialRampToValueAtTime(0.06, t + 0.015);
    gain.gain.exponentialRampToValueAtTime(0.0001, t + 0.28);
    osc.connect(gain).connect(audio.destination);
    osc.start(t);
    osc.stop(t + 0.3);
    return true;
  } catch {
    return false;
  }
}
