/**
 * Synthetic systems for scaling: `leaders` leaders in localities of `localitySize`, one leader
 * per organisation, kinds cycling through the six organisation kinds. With the defaults each
 * leader has localitySize − 1 locality ties plus 2 system ties (~25 ties per leader).
 */
import { ORGANISATION_KINDS } from '../agents/organisation-kinds.ts';
import { defaultParameters } from '../model/parameters.ts';
import type { LocalitySpec, OrganisationKind, Scenario } from '../model/types.ts';

const KINDS: OrganisationKind[] = ['acute', 'community', 'commissioner', 'council', 'primaryCare', 'voluntary'];

export interface SyntheticOptions {
  leaders: number;
  localitySize?: number;
  rounds?: number;
}

export function syntheticSystem({ leaders, localitySize = 24, rounds = 120 }: SyntheticOptions): Scenario {
  const defaults = defaultParameters();
  const nLocalities = Math.max(1, Math.ceil(leaders / localitySize));
  const localities: LocalitySpec[] = [];
  let remaining = leaders;
  for (let c = 0; c < nLocalities; c++) {
    const size = Math.min(localitySize, remaining);
    remaining -= size;
    const organisations = Array.from({ length: size }, (_, k) => {
      const kind = KINDS[k % KINDS.length];
      return { name: `${kind}-${String(k).padStart(3, '0')}`, kind, budget: 100 * ORGANISATION_KINDS[kind].budgetWeight };
    });
    localities.push({
      name: `L${String(c).padStart(6, '0')}`,
      budget: 0,
      history: ((c % 5) - 2) / 4,
      structuralFriction: 0.2,
      baselineOutcome: 0.6,
      organisations,
    });
  }
  return {
    name: `synthetic-${leaders}`,
    description: `Synthetic system of ${leaders} leaders in localities of ${localitySize}, for benchmarks.`,
    sources: [],
    ...defaults,
    rounds,
    localities,
  };
}
