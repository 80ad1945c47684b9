/**
 * Organisation kinds and their defaults. Each row is a small, documented profile: who holds
 * power, how much of the locality's money it controls, how hard its regulator bites, and the
 * culture its leaders start from. Sources: Thesis §5.4.2 and §6.2 (kinds and their power),
 * §5.7.1 and §5.7.5 (organisational focus under regulation), §5.5.5 (altruism).
 */
import type { LeaderAttributes, OrganisationKind } from '../model/types.ts';

export interface OrganisationKindProfile {
  kind: OrganisationKind;
  label: string;
  /** Share of the locality budget held by one organisation of this kind (renormalised per locality). */
  budgetWeight: number;
  /** Positional power in [0,1]. */
  power: number;
  /** How strongly organisational assessment bites on this kind, [0,1] (its regulator's reach). */
  regulatorExposure: number;
  /** Performance an organisation of this kind reaches with the resources it needs, [0,1]. */
  performanceBase: number;
  /** Performance target its regulator assesses it against, [0,1]. */
  performanceTarget: number;
  /** Leader attribute means for this kind; leaders are drawn around them. */
  leader: LeaderAttributes;
  why: string;
}

const profile = (p: OrganisationKindProfile) => p;

export const ORGANISATION_KINDS: Record<OrganisationKind, OrganisationKindProfile> = {
  acute: profile({
    kind: 'acute', label: 'Acute foundation trust', budgetWeight: 0.4, power: 0.9, regulatorExposure: 1,
    performanceBase: 0.9, performanceTarget: 0.85,
    leader: { control: 0.9, focus: 0.7, altruism: 0.15, ambition: 0.6, followership: 0.6, riskAppetite: 0.3 },
    why: 'Largest budget and own regulator: FTs "can always go back and say, \'this is all interesting\', but actually, their regulators: \'we do what they say and that\'s where we are\'" (Thesis §5.4.2); "holding sway over decisions" (§5.4.2); they "received the largest share of health funding" (§6.1.8.8).',
  }),
  community: profile({
    kind: 'community', label: 'Community / mental health trust', budgetWeight: 0.12, power: 0.5, regulatorExposure: 0.8,
    performanceBase: 0.9, performanceTarget: 0.8,
    leader: { control: 0.8, focus: 0.5, altruism: 0.25, ambition: 0.7, followership: 0.6, riskAppetite: 0.5 },
    why: 'NHS provider with its own regulator but a place-based service model (Thesis §5.4.2, §6.2).',
  }),
  commissioner: profile({
    kind: 'commissioner', label: 'Commissioner (CCG)', budgetWeight: 0.15, power: 0.3, regulatorExposure: 0.6,
    performanceBase: 0.9, performanceTarget: 0.8,
    leader: { control: 0.7, focus: 0.4, altruism: 0.3, ambition: 0.7, followership: 0.5, riskAppetite: 0.5 },
    why: '"Commissioners are essentially weak" (Thesis §6.2); "our providers have a really strong hold on us" (§6.2.2).',
  }),
  council: profile({
    kind: 'council', label: 'Local authority (council)', budgetWeight: 0.2, power: 0.7, regulatorExposure: 0.5,
    performanceBase: 0.9, performanceTarget: 0.8,
    leader: { control: 0.8, focus: 0.4, altruism: 0.35, ambition: 0.8, followership: 0.7, riskAppetite: 0.5 },
    why: 'Political power that can "prevent some \'scale\' decisions around health" (Thesis §5.4.2) and the social care budget; must balance its budget each year (§6.2.3). Democratic accountability is inferred from a council manager contrasting FTs\' lack of it (§5.4.2).',
  }),
  primaryCare: profile({
    kind: 'primaryCare', label: 'Primary care (GP federation)', budgetWeight: 0.1, power: 0.6, regulatorExposure: 0.4,
    performanceBase: 0.9, performanceTarget: 0.8,
    leader: { control: 0.6, focus: 0.6, altruism: 0.2, ambition: 0.5, followership: 0.5, riskAppetite: 0.4 },
    why: 'Clinical power; decisions risk "being influenced by their own needs as business owners" (Thesis §7.6.1). Modelled as one primary-care provider per locality (the thesis names no GP federations).',
  }),
  voluntary: profile({
    kind: 'voluntary', label: 'Voluntary and community sector', budgetWeight: 0.03, power: 0.2, regulatorExposure: 0.1,
    performanceBase: 0.9, performanceTarget: 0.7,
    leader: { control: 1, focus: 0.3, altruism: 0.5, ambition: 0.8, followership: 0.7, riskAppetite: 0.6 },
    why: 'Brings community assets rather than money ("the latent and specific assets that exist outside of public service provision", Thesis §6.1.8.2); the small budget and light regulation are modelling assumptions.',
  }),
  participant: profile({
    kind: 'participant', label: 'Laboratory participant', budgetWeight: 1, power: 0.5, regulatorExposure: 0,
    performanceBase: 1, performanceTarget: 0,
    leader: { control: 1, focus: 0, altruism: 0.15, ambition: 1, followership: 0.5, riskAppetite: 0.5 },
    why: 'Symmetric agent of a repeated public-goods game (Fehr & Gächter 2000): no organisation, no regulator.',
  }),
};

export const ORGANISATION_KIND_NAMES = Object.keys(ORGANISATION_KINDS) as OrganisationKind[];
