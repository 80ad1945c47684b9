/** The human summary printed after a run: key measures at the final round, median [p5–p95]. */
import { MEASURES } from '../model/observe.ts';
import { short } from '../documents/format.ts';
import type { Manifest } from '../experiments/run-summary.ts';
import { renderTable } from './table.ts';

/** The measures a policy reader looks at first (all of them are in summary.json). */
export const KEY_MEASURES = [
  'populationOutcome', 'lifeExpectancyGain', 'equity', 'orgPerformance', 'powerfulOrgPerformance', 'trustMean',
  'commitment', 'engagement', 'pooledShare', 'organisationalFocus', 'stage', 'netValue',
] as const;

export function summaryTable(manifest: Manifest): string {
  const labels = manifest.labels;
  const rows = KEY_MEASURES.map((name) => {
    const unit = MEASURES.find((m) => m.name === name)?.unit ?? '';
    const cells = labels.map((label) => {
      const s = manifest.measures[label][name];
      const f = (x: number | null) => (x === null ? 'NA' : short(x));
      return `${f(s.median)} [${f(s.p5)}–${f(s.p95)}]`;
    });
    return [name, unit, ...cells];
  });
  const scenarios = manifest.scenario ? [manifest.scenario] : Object.values(manifest.scenarios ?? {});
  const years = scenarios.length ? scenarios[0].rounds / scenarios[0].roundsPerYear : NaN;
  const rounds = typeof manifest.rounds === 'number'
    ? `${manifest.rounds} rounds${Number.isFinite(years) ? ` (${short(years)} year${years === 1 ? '' : 's'})` : ''}` : 'rounds per label';
  const title = `${labels.length === 1 ? labels[0] : `${labels.length} labels`} · seed ${manifest.seed} · ` +
    `${manifest.replicates} replicate${manifest.replicates === 1 ? '' : 's'} · ${rounds}`;
  return [
    title,
    'Whole system at the final round: median [5th–95th percentile] over replicates',
    '',
    renderTable(['measure', 'unit', ...labels], rows),
  ].join('\n');
}
