import { useEffect, useState } from 'preact/hooks';
import type { VitrineClient } from '../../../src/index.js';
import { useStore } from '../lib/use-store.js';
import { $tr } from '../stores/locale.js';

/** Shows connecting / reconnecting / refused. "Connecting" only after a moment, so a fast start does not flash. */
export function ConnectionBanner({ client }: { client: VitrineClient }) {
  const tr = useStore($tr);
  const state = useStore(client.$connection);
  const error = useStore(client.$error);
  const [slow, setSlow] = useState(false);
  useEffect(() => {
    setSlow(false);
    if (state !== 'connecting') return;
    const timer = setTimeout(() => setSlow(true), 800);
    return () => clearTimeout(timer);
  }, [state]);

  let text: string | null = null;
  let tone = 'info';
  if (state === 'connecting' && slow) text = tr.t('connection.connecting');
  else if (state === 'reconnecting') {
    text = tr.t('connection.reconnecting');
    tone = 'warn';
  } else if (state === 'refused') {
    text = error ? `${tr.t('connection.refused')} — ${tr.t(`error.${error.code}`)}` : tr.t('connection.refused');
    tone = 'error';
  }
  return (
    <div class="banner-slot" role="status" aria-live="polite">
      {text && (
        <p class={`banner banner--${tone}`} data-testid="connection-banner" data-state={state}>
          {text}
        </p>
      )}
    </div>
  );
}
