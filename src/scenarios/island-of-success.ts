/**
 * `island-of-success`: localities dominated by a powerful, organisation-focused acute trust,
 * under organisation-by-organisation assessment (the built-in `organisational` regime).
 */
import { defaultParameters } from '../model/parameters.ts';
import type { OrganisationSpec, Scenario } from '../model/types.ts';
import { standardOrganisations, uniformPlaces } from './places.ts';
import { applyRegime } from './regimes.ts';

/** The acute foundation trust "holds sway" and its leader puts its own organisation first. */
const dominantAcute = (): OrganisationSpec[] =>
  standardOrganisations().map((org) =>
    org.kind === 'acute'
      ? { ...org, power: 0.95, leader: { focus: 0.9, control: 0.95, altruism: 0.05 } }
      : org);

export function islandOfSuccess(): Scenario {
  const base: Scenario = {
    name: 'island-of-success',
    description:
      'Four localities, each dominated by a powerful acute foundation trust (power 0.95) whose leader puts its own ' +
      'organisation first (organisational focus 0.9), assessed organisation by organisation (accountability 0). ' +
      'Teaches the island of success in a sea of failure: the acute trust\'s own performance (powerfulOrgPerformance) ' +
      'holds up while pooling and population outcomes lag. Compare with system assessment: ' +
      '`partnersim compare island-of-success --regimes organisational,system`.',
    sources: ['Thesis §6.1.2.3', '§5.4.2', '§5.7.5', '§5.8.1', 'Brief §6.3'],
    ...defaultParameters(),
    lessonMeasures: ['powerfulOrgPerformance', 'orgPerformance', 'pooledShare', 'populationOutcome'],
    localities: uniformPlaces({ count: 4, organisations: dominantAcute }),
  };
  return applyRegime(base, 'organisational');
}
