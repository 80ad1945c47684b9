/**
 * A fresh isolate's warm-up (issue #15, cold start): runs N gm-2017 replicates in a new process,
 * as a fresh sweep worker would, and prints the process's CPU time and how often V8
 * deoptimised (from `--trace-deopt`), with the functions deoptimised and why. With `--against
 * DIR` (another build's dist/ folder, e.g. one of main) the two builds run in turn, A B A B …,
 * so a change in the machine's load hits both alike; medians are printed.
 *   node dist/scripts/warmup.js [--runs 200] [--reps 3] [--against /path/to/other/dist] [--list]
 * One measured process by hand (e.g. with other V8 trace flags), `--mark` printing a line after each run:
 *   node --trace-deopt dist/scripts/warmup.js --child dist [--runs 200] [--mark]
 */
import { execFileSync } from 'node:child_process';
import { loadavg } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const args = process.argv.slice(2);
const option = (name: string) => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined);
const here = resolve(dirname(fileURLToPath(import.meta.url)), '..');

if (option('--child')) await child(option('--child')!, Number(option('--runs') ?? 200));
else parent();

/** The measured process: N fresh replicates, then its CPU time on the last line. */
async function child(dist: string, runs: number): Promise<void> {
  const { runReplicate } = await import(pathToFileURL(join(dist, 'src', 'model', 'engine.js')).href);
  const { builtInScenario } = await import(pathToFileURL(join(dist, 'src', 'scenarios', 'index.js')).href);
  const scenario = builtInScenario('gm-2017');
  const t0 = process.cpuUsage();
  const mark = args.includes('--mark');
  for (let k = 0; k < runs; k++) {
    runReplicate(scenario, { seed: 1, replicate: k });
    if (mark) console.log(`--- run ${k} done`);
  }
  const used = process.cpuUsage(t0);
  console.log(`CPU ${(used.user + used.system) / 1e6}`);
}

interface Measure { cpu: number; deopts: number; reasons: Map<string, number> }

function measure(dist: string, runs: number): Measure {
  const out = execFileSync(process.execPath, ['--trace-deopt', fileURLToPath(import.meta.url), '--child', dist, '--runs', String(runs)], {
    encoding: 'utf8', maxBuffer: 1 << 28,
  });
  const reasons = new Map<string, number>();
  let deopts = 0;
  for (const line of out.split('\n')) {
    // e.g. [bailout (kind: deopt-eager, reason: wrong map): begin. deoptimizing 0x… <JSFunction initialise (sfi = …)>, …
    const hit = /\[bailout \(kind: ([^,]+), reason: ([^)]*)\): begin\. deoptimizing \S+ <JSFunction ([^(>]*)/.exec(line);
    if (!hit) continue;
    deopts++;
    const key = `${hit[3].trim() || '(anonymous)'}: ${hit[2]} (${hit[1]})`;
    reasons.set(key, (reasons.get(key) ?? 0) + 1);
  }
  const cpu = Number(/CPU ([\d.]+)/.exec(out)?.[1]);
  return { cpu, deopts, reasons };
}

function parent(): void {
  const runs = Number(option('--runs') ?? 200);
  const reps = Number(option('--reps') ?? 3);
  const builds = [{ name: 'this build', dist: here, results: [] as Measure[] }];
  if (option('--against')) builds.unshift({ name: `against ${option('--against')}`, dist: resolve(option('--against')!), results: [] });
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  console.log(`${runs} fresh gm-2017 runs per process, ${reps} processes per build; load ${loadavg()[0].toFixed(2)}`);
  for (let r = 0; r < reps; r++) for (const build of builds) build.results.push(measure(build.dist, runs));
  for (const build of builds) {
    const cpus = build.results.map((m) => m.cpu);
    const deopts = build.results.map((m) => m.deopts);
    console.log(`${build.name}: CPU median ${median(cpus).toFixed(3)} s [${cpus.map((x) => x.toFixed(3)).join(', ')}], deopts median ${median(deopts)} [${deopts.join(', ')}]`);
    if (args.includes('--list')) {
      for (const [key, count] of [...build.results[0].reasons].sort((a, b) => b[1] - a[1])) console.log(`  ${count} × ${key}`);
    }
  }
  console.log(`load at the end ${loadavg()[0].toFixed(2)}`);
}
