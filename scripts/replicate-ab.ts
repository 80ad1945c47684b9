/**
 * gm-2017 ms per replicate, this build against another, in interleaved processes (A B A B …) so
 * a change in the machine's load hits both alike: each process runs 300 warm-up replicates, then
 * times 300 fresh ones and reports their median (the steady state `bench.js` measures).
 *   node dist/scripts/replicate-ab.js --against /path/to/other/dist [--procs 4] [--scenario gm-2017]
 */
import { execFileSync } from 'node:child_process';
import { loadavg } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const args = process.argv.slice(2);
const option = (name: string) => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

if (option('--child')) await child(option('--child')!, option('--scenario') ?? 'gm-2017');
else parent();

/** One measured process: the median ms of 300 fresh replicates after 300 warm-up ones. */
async function child(dist: string, name: string): Promise<void> {
  const { runReplicate } = await import(pathToFileURL(join(dist, 'src', 'model', 'engine.js')).href);
  const { builtInScenario } = await import(pathToFileURL(join(dist, 'src', 'scenarios', 'index.js')).href);
  const scenario = builtInScenario(name);
  for (let k = 0; k < 300; k++) runReplicate(scenario, { seed: 1, replicate: 100_000 + k });
  const times: number[] = [];
  for (let k = 0; k < 300; k++) {
    const t0 = performance.now();
    runReplicate(scenario, { seed: 1, replicate: k });
    times.push(performance.now() - t0);
  }
  console.log(median(times));
}

function parent(): void {
  const other = option('--against');
  if (!other) {
    console.error('usage: node dist/scripts/replicate-ab.js --against /path/to/other/dist [--procs 4] [--scenario gm-2017]');
    process.exit(2);
  }
  const here = resolve(dirname(fileURLToPath(import.meta.url)), '..');
  const procs = Number(option('--procs') ?? 4);
  const scenario = option('--scenario') ?? 'gm-2017';
  const builds = [{ name: 'this build', dist: here, ms: [] as number[] }, { name: resolve(other), dist: resolve(other), ms: [] as number[] }];
  console.log(`${scenario}, ${procs} processes per build, interleaved; load ${loadavg()[0].toFixed(2)}`);
  for (let p = 0; p < procs; p++) {
    for (const build of builds) {
      const out = execFileSync(process.execPath, [fileURLToPath(import.meta.url), '--child', build.dist, '--scenario', scenario], { encoding: 'utf8' });
      build.ms.push(Number(out.trim()));
    }
  }
  for (const build of builds) {
    console.log(`${build.name}: ${median(build.ms).toFixed(3)} ms per replicate (processes: ${build.ms.map((x) => x.toFixed(3)).join(', ')})`);
  }
  console.log(`load at the end ${loadavg()[0].toFixed(2)}`);
}
