/**
 * Behavioural types of leaders, after the laboratory typology of Fischbacher, Gächter & Fehr
 * (2001). Each type is a small documented response: given what a leader expects its partners
 * to put in (share of their ambition, [0,1]), how much of the conditional part does it add?
 * The full disposition rule (altruism, focus, noise, caps) lives in `src/model/decisions.ts`.
 */

export interface LeaderType {
  code: number;
  name: 'conditional' | 'freeRider' | 'humpShaped' | 'altruist';
  description: string;
  /** Conditional part of the disposition, before organisational focus scales it. */
  respond(expectation: number, conditionalSlope: number): number;
}

export const CONDITIONAL: LeaderType = {
  code: 0,
  name: 'conditional',
  description: 'Gives a little less than it expects others to give (slope below 1).',
  respond: (expectation, slope) => slope * expectation,
};

export const FREE_RIDER: LeaderType = {
  code: 1,
  name: 'freeRider',
  description: 'Ignores what others give; contributes only from altruism (usually little).',
  respond: () => 0,
};

export const HUMP_SHAPED: LeaderType = {
  code: 2,
  name: 'humpShaped',
  description: 'Matches others up to half, then gives less the more others give.',
  respond: (expectation, slope) => slope * Math.min(expectation, 1 - expectation),
};

export const ALTRUIST: LeaderType = {
  code: 3,
  name: 'altruist',
  description: 'Unconditional contributor: gives fully whatever others do.',
  respond: () => 1,
};

/** Indexed by type code: each leader stores a code, and the type is looked up here. */
export const LEADER_TYPES: readonly LeaderType[] = [CONDITIONAL, FREE_RIDER, HUMP_SHAPED, ALTRUIST];

/**
 * The response of the type with `code`. A switch with one fixed call per type (rather than
 * `LEADER_TYPES[code].respond`) lets the engine inline every response, so the per-leader loop
 * allocates nothing.
 */
export function respond(code: number, expectation: number, conditionalSlope: number): number {
  switch (code) {
    case 0: return CONDITIONAL.respond(expectation, conditionalSlope);
    case 1: return FREE_RIDER.respond(expectation, conditionalSlope);
    case 2: return HUMP_SHAPED.respond(expectation, conditionalSlope);
    default: return ALTRUIST.respond(expectation, conditionalSlope);
  }
}
