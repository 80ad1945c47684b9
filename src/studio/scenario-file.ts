/**
 * The scenario file the studio downloads: for a built-in scenario, `extends: NAME` and every
 * registry parameter whose value differs from it, plus the intervention schedule; for a dropped
 * file, the whole scenario as run. Either way `partnersim run FILE --seed S --replicates N`
 * replays exactly what the studio showed (tests/studio-session.test.ts checks it).
 */
import YAML from 'yaml';
import { getPath, PARAMETERS, setPath } from '../model/parameters.ts';
import type { Scenario } from '../model/types.ts';

export function scenarioYaml(scenario: Scenario, options: { builtIn?: string; base?: Scenario; seed: number; replicates: number; label: string }): string {
  const header = `# ${options.label}, saved by the partnersim studio.\n` +
    `# Reproduce what the studio showed: partnersim run FILE --seed ${options.seed} --replicates ${options.replicates}\n`;
  if (!options.builtIn || !options.base) {
    const { interventions, ...rest } = scenario;
    return header + YAML.stringify(interventions?.length ? { ...rest, interventions } : rest);
  }
  const doc: Record<string, unknown> = { extends: options.builtIn, name: scenario.name };
  for (const spec of PARAMETERS) {
    const value = getPath(scenario, spec.path);
    if (value !== getPath(options.base, spec.path) && value !== undefined) setPath(doc, spec.path, value);
  }
  if (scenario.interventions?.length) doc.interventions = scenario.interventions;
  return header + YAML.stringify(doc);
}
