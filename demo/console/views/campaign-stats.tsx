/**
 * Statistics of a sent campaign (`GET /api/campaigns/:id/stats`), refreshed every 5 s while shown:
 * targeted, capped, delivered, read, clicked, rates, and the hourly timeline as bars with a table
 * of the same numbers for screen readers.
 */
import { useEffect, useMemo } from 'preact/hooks';
import type { CampaignStats, Translator } from '../../../src/index.js';
import { hourInZone, percent } from '../lib/broadcast.js';
import { errorText } from '../lib/errors.js';
import { useStore } from '../lib/use-store.js';
import { pollStats } from '../stores/broadcasts.js';

export function CampaignStatsView({ id, timeZone, tr, every = 5000 }: { id: string; timeZone: string; tr: Translator; every?: number }) {
  const poller = useMemo(() => pollStats(id, every), [id, every]);
  useEffect(() => () => poller.stop(), [poller]);
  const { stats, error, at } = useStore(poller.$stats);
  return (
    <section class="stats" aria-labelledby={`stats-${id}`} data-testid="campaign-stats" data-campaign-id={id} data-updated={at ?? undefined}>
      <div class="stats__head">
        <h3 id={`stats-${id}`} class="card__title">
          {tr.t('console.stats.title')}
        </h3>
        <button type="button" class="btn btn--quiet btn--tiny" data-testid="campaign-stats-refresh" onClick={() => void poller.refresh()}>
          {tr.t('console.reservations.refresh')}
        </button>
      </div>
      {error && (
        <p class="form-error" role="alert" data-testid="campaign-stats-error">
          {errorText(error, tr)}
        </p>
      )}
      {!stats && !error && <p class="muted">{tr.t('console.load.loading')}</p>}
      {stats && <StatsBody stats={stats} timeZone={timeZone} tr={tr} />}
      {at && (
        <p class="muted stats__at">
          {tr.t('console.stats.updated', { time: tr.time(at) })}
        </p>
      )}
    </section>
  );
}

function StatsBody({ stats, timeZone, tr }: { stats: CampaignStats; timeZone: string; tr: Translator }) {
  const n = (x: number) => new Intl.NumberFormat(tr.locale).format(x);
  const counts: { key: 'targeted' | 'capped' | 'delivered' | 'read' | 'clicked'; rate?: { kind: 'delivered' | 'read' | 'clicked'; value: number } }[] = [
    { key: 'targeted' },
    { key: 'capped' },
    { key: 'delivered', rate: { kind: 'delivered', value: stats.rates.delivered } },
    { key: 'read', rate: { kind: 'read', value: stats.rates.read } },
    { key: 'clicked', rate: { kind: 'clicked', value: stats.rates.clicked } },
  ];
  return (
    <>
      <dl class="stats__grid">
        {counts.map(({ key, rate }) => (
          <div key={key} class="stats__cell">
            <dt>{tr.t(`console.stats.${key}`)}</dt>
            <dd data-testid={`stats-${key}`} data-value={stats[key]}>
              {n(stats[key])}
            </dd>
            {rate && (
              <dd class="stats__rate" data-testid={`stats-rate-${key}`} data-value={rate.value}>
                {tr.t(`console.stats.rate.${rate.kind}`, { rate: percent(rate.value, tr.locale) })}
              </dd>
            )}
          </div>
        ))}
      </dl>
      <Timeline stats={stats} timeZone={timeZone} tr={tr} />
    </>
  );
}

const BAR_W = 10;
const GAP = 4;
const H = 60;

function Timeline({ stats, timeZone, tr }: { stats: CampaignStats; timeZone: string; tr: Translator }) {
  const rows = stats.timeline.slice(-48);
  if (rows.length === 0) return <p class="muted">{tr.t('console.stats.noTimeline')}</p>;
  const max = Math.max(1, ...rows.map((r) => Math.max(r.delivered, r.read, r.clicked)));
  const group = BAR_W * 3 + GAP * 2;
  // At least 240 units wide so a few hours do not make a sliver; bars keep their width.
  const width = Math.max(240, rows.length * group);
  const h = (v: number) => Math.round((v / max) * H);
  return (
    <div class="timeline">
      <svg class="timeline__chart" viewBox={`0 0 ${width} ${H}`} width={Math.min(width, 720)} height={H} role="img" aria-label={tr.t('console.stats.chartLabel')} data-testid="campaign-stats-chart" preserveAspectRatio="none">
        {rows.map((r, i) => (
          <g key={r.at} transform={`translate(${i * group},0)`}>
            <rect class="bar bar--delivered" x={0} y={H - h(r.delivered)} width={BAR_W} height={h(r.delivered)} />
            <rect class="bar bar--read" x={BAR_W} y={H - h(r.read)} width={BAR_W} height={h(r.read)} />
            <rect class="bar bar--clicked" x={BAR_W * 2} y={H - h(r.clicked)} width={BAR_W} height={h(r.clicked)} />
          </g>
        ))}
      </svg>
      <p class="timeline__legend" aria-hidden="true">
        <span class="legend legend--delivered">{tr.t('console.stats.delivered')}</span> <span class="legend legend--read">{tr.t('console.stats.read')}</span>{' '}
        <span class="legend legend--clicked">{tr.t('console.stats.clicked')}</span>
      </p>
      <table class="table table--compact" data-testid="campaign-stats-timeline">
        <caption class="visually-hidden">{tr.t('console.stats.timelineCaption', { zone: timeZone })}</caption>
        <thead>
          <tr>
            <th scope="col">{tr.t('console.stats.hour', { zone: timeZone })}</th>
            <th scope="col">{tr.t('console.stats.delivered')}</th>
            <th scope="col">{tr.t('console.stats.read')}</th>
            <th scope="col">{tr.t('console.stats.clicked')}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.at}>
              <th scope="row">{hourInZone(r.at, timeZone, tr.locale)}</th>
              <td>{r.delivered}</td>
              <td>{r.read}</td>
              <td>{r.clicked}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
