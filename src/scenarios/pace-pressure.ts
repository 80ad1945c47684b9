/**
 * `pace-pressure`: high pace pressure against modest trust, in identical localities.
 */
import { defaultParameters } from '../model/parameters.ts';
import type { Scenario } from '../model/types.ts';
import { uniformPlaces } from './places.ts';

export function pacePressure(): Scenario {
  const defaults = defaultParameters();
  return {
    name: 'pace-pressure',
    description:
      'Five identical localities whose leaders start with modest trust (0.35) under high pace pressure (19.3 a year, 0.8 a ' +
      'month: most decisions the board cannot agree are forced through). Teaches that pace beyond the speed of trust erodes trust ' +
      'and pooling. Compare pressure levels with `partnersim compare pace-pressure --vary regime.pacePressure=0,6,19`.',
    sources: ['Thesis §6.1.4', '§5.6.1', 'Brief §6.5'],
    ...defaults,
    localities: uniformPlaces({ count: 5 }),
    regime: { ...defaults.regime, pacePressure: 19.3 }, // 0.8 a month
    trust: { ...defaults.trust, initial: 0.35 },
  };
}
