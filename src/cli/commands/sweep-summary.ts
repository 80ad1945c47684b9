/** The terminal summary a sweep ends with: which factor moves which output, and policies across scenarios. */
import { short } from '../../documents/format.ts';
import { measureOf } from '../../analysis/sweep-table.ts';
import type { SweepAnalysis } from '../../experiments/sweep-analysis.ts';
import { renderTable } from '../table.ts';

const signed = (x: number) => (x > 0 ? `+${short(x)}` : short(x));
const outputName = (column: string) => (column.endsWith('_mean') ? `${measureOf(column)}:mean` : measureOf(column));

export function sweepSummary(analysis: SweepAnalysis, dir: string): string {
  const out: string[] = [];
  const factors = [...new Set(analysis.effects.map((e) => e.factor))];
  if (factors.length > 0) {
    // Roles matter only when the sweep compares policies; a plain sweep's factors are just factors.
    const roles = analysis.effects.some((e) => e.role === 'policy');
    const rows = factors.map((factor) => {
      const effects = analysis.effects.filter((e) => e.factor === factor);
      return [factor, ...(roles ? [effects[0].role] : []), ...analysis.outputs.map((output) => {
        const e = effects.find((x) => x.output === output)!;
        const stat = e.value === null ? 'constant' : e.statistic === 'spearman' ? `ρ ${signed(e.value)}` : `η² ${short(e.value)}`;
        return `${stat}  (${short(e.spread)})`;
      })];
    });
    out.push(`Which factor moves which output, over ${analysis.points} design points (each the mean of ${analysis.replicates} ` +
      `replicate${analysis.replicates === 1 ? '' : 's'}): ρ Spearman rank correlation (numeric factors), η² share of variance ` +
      'between levels (categories); in brackets the spread, largest minus smallest mean over the factor\'s levels:',
    renderTable(['factor', ...(roles ? ['role'] : []), ...analysis.outputs.map(outputName)], rows));
  }
  const p = analysis.policies;
  if (p) {
    const rows = p.summary.map((s) => [s.policy, short(s.mean), `${short(s.p5)}–${short(s.p95)}`, short(s.meanRegret), short(s.p90Regret),
      short(s.maxRegret), `${short(s.wins)} of ${p.scenarios} (${Math.round(100 * s.winShare)}%)`]);
    out.push(`Policies across ${p.scenarios} scenario${p.scenarios === 1 ? '' : 's'}` +
      `${p.uncertainties.length ? ` (uncertainties: ${p.uncertainties.join(', ')})` : ''} on ${outputName(p.output)}, ${p.better} is better. ` +
      'Regret: how far the policy falls short of the best policy in the same scenario (same seeds, so paired):',
    renderTable(['policy', 'mean', '5%–95%', 'mean regret', '90% regret', 'max regret', 'best in'], rows, { right: [1, 3, 4, 5] }));
    const leader = [...p.summary].sort((a, b) => b.wins - a.wins)[0];
    out.push(leader.maxRegret > 0
      ? `Where does the most often best policy lose? partnersim discover ${dir} --policy ${leader.policy} --where "regret > 0"`
      : `${leader.policy} is best in every scenario (its regret is 0 throughout). Where does it do worst? ` +
        `partnersim discover ${dir} --policy ${leader.policy} --where "${outputName(p.output)} < ${short(leader.median)}"`);
  }
  out.push(`Charts (main effects, interactions, regime facets): partnersim chart ${dir}`);
  return `\n${out.join('\n\n')}\n`;
}
