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

const signed = (x: number) => (x > 0 ? `+${short(x)}` : short(x));

/**
 * What `compare` leads with: each label minus the baseline, paired replicate by replicate on
 * common random numbers, for the key measures (summary.json holds every measure).
 */
export function pairedTable(manifest: Manifest): string {
  const paired = manifest.paired;
  if (!paired) return '';
  const blocks = Object.entries(paired.comparisons).map(([label, byMeasure]) => {
    const rows = KEY_MEASURES.map((name) => {
      const s = byMeasure[name];
      const unit = MEASURES.find((m) => m.name === name)?.unit ?? '';
      const same = s.sd === 0 && s.mean === 0;
      return [name, unit, same ? '0 (identical)' : signed(s.mean), same ? '' : `[${signed(s.lower)}, ${signed(s.upper)}]`,
        s.dz === null ? 'all pairs equal' : short(s.dz), `${label} ${s.better ? 'better' : 'higher'} in ${s.wins} of ${s.n}${s.ties ? ` (${s.ties} tied)` : ''}`];
    });
    return `${label} − ${paired.baseline}:\n${renderTable(['measure', 'unit', 'mean difference', `${paired.confidence * 100}% interval (t)`, 'd_z', 'pairs'], rows, { right: [2, 4] })}`;
  });
  return [
    `Paired differences on common random numbers: ${paired.pairs} pair${paired.pairs === 1 ? '' : 's'} (replicate k of every label ` +
      'runs on the same random stream), final round, whole system. "better" follows each measure\'s direction; ' +
      '"higher" where a measure has none.',
    '',
    blocks.join('\n\n'),
  ].join('\n');
}

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
