/**
 * `speed-of-trust`: one partnership design, five identical localities, where the only lever is
 * the trust leaders start with. Base at medium trust (0.5); compare levels with `--vary`.
 */
import { defaultParameters } from '../model/parameters.ts';
import type { Scenario } from '../model/types.ts';
import { uniformPlaces } from './places.ts';

export function speedOfTrust(): Scenario {
  const defaults = defaultParameters();
  return {
    name: 'speed-of-trust',
    description:
      'Five identical localities with no prior history, differing only in the trust leaders start with (here medium, ' +
      '0.5). Teaches that progress occurs at the speed of trust: higher initial trust reaches the norming and ' +
      'performing stages and outcome gains sooner. Compare low, medium and high trust on common random numbers with ' +
      '`partnersim compare speed-of-trust --vary trust.initial=0.3,0.5,0.7`, or run one level with ' +
      '`--set trust.initial=0.3`.',
    sources: ['Thesis §6.1.4', '§5.6.1', '§7.5.1', 'Brief §6.1'],
    ...defaults,
    localities: uniformPlaces({ count: 5 }),
    trust: { ...defaults.trust, initial: 0.5 },
  };
}
