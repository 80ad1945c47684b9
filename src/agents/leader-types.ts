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

// The types' responses as module constants: `respond` below calls them directly, so the engine
// inlines them without loading them from the type objects (a map and an identity check per
// leader each round).
const conditionalResponse = (expectation: number, slope: number): number => slope * expectation;
const noResponse = (): number => 0;
const humpResponse = (expectation: number, slope: number): number => slope * Math.min(expectation, 1 - expectation);
const fullResponse = (): number => 1;

export const CONDITIONAL: LeaderType = {
  code: 0,
  name: 'conditional',
  description: 'Gives a little less than it expects others to give (slope below 1).',
  respond: conditionalResponse,
};

export const FREE_RIDER: LeaderType = {
  code: 1,
  name: 'freeRider',
  description: 'Ignores what others give; contributes only from altruism (usually little).',
  respond: noResponse,
};

export const HUMP_SHAPED: LeaderType = {
  code: 2,
  name: 'humpShaped',
  description: 'Matches others up to half, then gives less the more others give.',
  respond: humpResponse,
};

export const ALTRUIST: LeaderType = {
  code: 3,
  name: 'altruist',
  description: 'Unconditional contributor: gives fully whatever others do.',
  respond: fullResponse,
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
    case 0: return conditionalResponse(expectation, conditionalSlope);
    case 1: return noResponse();
    case 2: return humpResponse(expectation, conditionalSlope);
    default: return fullResponse();
  }
}
