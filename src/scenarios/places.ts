/**
 * Building blocks for teaching scenarios: identical localities, so that the only differences
 * between runs are the ones a scenario sets on purpose.
 */
import type { LocalitySpec, OrganisationSpec } from '../model/types.ts';

/** The six organisation kinds of a Local Care Organisation (Thesis §5.4.2, §6.2). */
export const standardOrganisations = (): OrganisationSpec[] => [
  { kind: 'acute' },
  { kind: 'community' },
  { kind: 'commissioner' },
  { kind: 'council' },
  { kind: 'primaryCare' },
  { kind: 'voluntary' },
];

export interface UniformPlacesOptions {
  count: number;
  /** Annual budget of each locality, £m. */
  budget?: number;
  history?: number;
  structuralFriction?: number;
  baselineOutcome?: number;
  organisations?: () => OrganisationSpec[];
}

/** `count` identical localities named "Place 1", "Place 2", … */
export function uniformPlaces(options: UniformPlacesOptions): LocalitySpec[] {
  const { count, budget = 600, history = 0, structuralFriction = 0.2, baselineOutcome = 0.6 } = options;
  const organisations = options.organisations ?? standardOrganisations;
  return Array.from({ length: count }, (_, k) => ({
    name: `Place ${k + 1}`,
    budget,
    history,
    structuralFriction,
    baselineOutcome,
    organisations: organisations(),
  }));
}
