/**
 * `gm-2017`: a Greater Manchester–like system of ten localities (Local Care Organisations)
 * under devolution from 2016–17 (Thesis §4.1, §5.4.5). Localities are anonymised, as in the
 * thesis, and differ in exactly the factors §7.5.2 names: prior relationships or a history of
 * blame, effort lost to structure and legal form, partnerships forced across administrative
 * boundaries, and system-focused leadership. Three start with good relations and
 * system-focused leaders, two with a history of blame and structural wrangling (one of them
 * formed across administrative boundaries), five in between (§7.5: three high, two slow).
 * Budgets: about £6bn a year of health and social care for 2.8m people (Thesis §4.1.1),
 * split by population share. The regime is the built-in `devolved` one (pooled budgets and
 * the £450m transformation fund over five years, £275m to localities, paid only on collective
 * delivery) with one change: national regulators still assessed each organisation (Thesis
 * §5.8.1, §5.7.5, §6.1.6), so accountability leans towards organisations (0.4) rather than the
 * `devolved` regime's system weighting (0.7), which is the fuller counterfactual.
 */
/** Accountability in GM as the thesis describes it: devolved governance, organisational regulators. */
export const GM_ACCOUNTABILITY = 0.4;
import { defaultParameters } from '../model/parameters.ts';
import type { LocalitySpec, OrganisationSpec, Scenario } from '../model/types.ts';
import { standardOrganisations } from './places.ts';
import { applyRegime } from './regimes.ts';

/** System-focused leadership (§7.5.2 supporting factor 2): lower focus, more followership. */
const systemFocused = (orgs: OrganisationSpec[]): OrganisationSpec[] =>
  orgs.map((org) => ({ ...org, leader: { focus: org.kind === 'acute' ? 0.45 : 0.25, followership: 0.8, ambition: 0.85 } }));

type Group = 'high' | 'average' | 'slow';

const locality = (name: string, share: number, group: Group, extra: Partial<LocalitySpec> = {}): LocalitySpec => ({
  name,
  budget: Math.round(6000 * share),
  history: group === 'high' ? 0.6 : group === 'slow' ? -0.6 : 0.1,
  structuralFriction: group === 'high' ? 0.05 : group === 'slow' ? 0.5 : 0.2,
  baselineOutcome: 0.6,
  organisations: group === 'high' ? systemFocused(standardOrganisations()) : standardOrganisations(),
  ...extra,
});

export function gm2017(): Scenario {
  const base: Scenario = {
    name: 'gm-2017',
    description:
      'Ten heterogeneous localities under devolution (pooled budgets, a £450m transformation fund paid to localities ' +
      'only on collective delivery) while national regulators still assess each organisation (accountability 0.4). ' +
      'Teaches how history, structure, mandate and leadership spread localities into high, average and slow ' +
      'progress groups.',
    sources: ['Thesis §4.1', '§5.4.5', '§5.8.1', '§6.1.2', '§6.1.4', '§7.5', '§7.5.2'],
    ...defaultParameters(),
    localities: gmLocalities(),
  };
  const devolved = applyRegime(base, 'devolved');
  return { ...devolved, regime: { ...devolved.regime, accountability: GM_ACCOUNTABILITY } };
}

/** The ten anonymised localities (population shares approximate GM's ten boroughs, 2.8m people). */
export function gmLocalities(): LocalitySpec[] {
  return [
    locality('Locality A', 0.16, 'high'),
    locality('Locality B', 0.12, 'high'),
    locality('Locality C', 0.10, 'high'),
    locality('Locality D', 0.10, 'average'),
    locality('Locality E', 0.09, 'average'),
    locality('Locality F', 0.09, 'average'),
    locality('Locality G', 0.09, 'average'),
    locality('Locality H', 0.09, 'average'),
    locality('Locality I', 0.08, 'slow'),
    locality('Locality J', 0.08, 'slow', { forcedAcrossBoundaries: true }),
  ];
}
