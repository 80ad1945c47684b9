/**
 * `regime-comparison`: the Greater Manchester–like localities of gm-2017 under a neutral regime
 * (registry defaults), the base that `partnersim compare` applies regimes to.
 */
import { defaultParameters } from '../model/parameters.ts';
import type { Scenario } from '../model/types.ts';
import { gmLocalities } from './gm-2017.ts';

export function regimeComparison(): Scenario {
  return {
    name: 'regime-comparison',
    description:
      'The ten Greater Manchester–like localities of gm-2017 with a neutral regime (registry defaults: mixed ' +
      'assessment, pooled budgets up to 30%, no transformation fund). It is the base `partnersim compare` applies ' +
      'regimes to, so that differences between labels come from the regime alone, on common random numbers. Try ' +
      '`partnersim compare organisational mixed system devolved mandated laissez-faire`.',
    sources: ['Thesis §2.10.2', '§4.1', '§5.8.1', '§7.5.2', '§7.6.2', 'Brief §4'],
    ...defaultParameters(),
    localities: gmLocalities(),
  };
}
