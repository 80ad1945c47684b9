/** Reading results: one measure's trajectory for one column, copied out of the columnar store. */
import type { ReplicateResult } from './engine.ts';

export function measure(result: ReplicateResult, name: string, column = 'system'): Float64Array {
  const { trajectories } = result;
  const data = trajectories.data[name];
  if (!data) throw new RangeError(`unknown measure "${name}"; measures: ${trajectories.measures.join(', ')}`);
  const c = trajectories.columns.indexOf(column);
  if (c < 0) throw new RangeError(`unknown column "${column}"; columns: ${trajectories.columns.join(', ')}`);
  const width = trajectories.columns.length;
  const out = new Float64Array(trajectories.rounds);
  for (let r = 0; r < trajectories.rounds; r++) out[r] = data[r * width + c];
  return out;
}
