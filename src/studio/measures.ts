/**
 * What the studio summarises each round, shared by the worker and the page. Kept in a module of
 * its own, with no imports, so the page's bundle does not pull in the engine.
 */

/** Measures the page can chart (system column). */
export const STUDIO_MEASURES: readonly string[] = [
  'populationOutcome', 'lifeExpectancyGain', 'trustMean', 'pooledShare', 'commitment', 'orgPerformance',
  'powerfulOrgPerformance', 'equity', 'netValue', 'organisationalFocus', 'stage', 'engagement',
];

/** Quantiles over replicates: the 90% band, the 50% band and the median. */
export const QUANTILES = [0.05, 0.25, 0.5, 0.75, 0.95] as const;
