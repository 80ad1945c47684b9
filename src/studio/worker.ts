/**
 * The Web Worker entry: the model runs here, so the page never freezes. It owns one Session,
 * plays it at the requested speed and posts frames (new rounds' bands, stages, trust). At full
 * speed it runs rounds for about one display frame, posts, then yields so messages (pause, an
 * intervention) are handled between rounds.
 */
import { formatUserError } from '../documents/errors.ts';
import { parseScenarioDocument } from '../documents/document.ts';
import { getPath } from '../model/parameters.ts';
import { builtInScenario, builtInScenarioNames, REGIMES } from '../scenarios/index.ts';
import { LEVERS, type LeverValue } from './config.ts';
import type { FromWorker, ToWorker } from './protocol.ts';
import { Session } from './session.ts';
import type { Scenario } from '../model/types.ts';
import { scenarioYaml } from './scenario-file.ts';

const post = (message: FromWorker) => (self as unknown as Worker).postMessage(message);

let session: Session | undefined;
let playing = false;
let speed = 12;
let timer: ReturnType<typeof setTimeout> | undefined;
/** For paced play: when the current pace started and how many rounds had run then. */
let paceStart = 0;
let paceRounds = 0;

const FRAME_MS = 16;

function levers(scenario: Scenario): Record<string, LeverValue> {
  return Object.fromEntries(LEVERS.map((lever) => [lever.path, getPath(scenario, lever.path) as LeverValue]));
}

/** A regime's nested settings as registry paths (what an intervention sets). */
function flatten(value: unknown, prefix = '', out: Record<string, LeverValue> = {}): Record<string, LeverValue> {
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
    for (const [key, inner] of Object.entries(value)) flatten(inner, prefix ? `${prefix}.${key}` : key, out);
  } else out[prefix] = value as LeverValue;
  return out;
}

function stop(): void {
  playing = false;
  if (timer !== undefined) clearTimeout(timer);
  timer = undefined;
}

function resetPace(): void {
  paceStart = performance.now();
  paceRounds = session?.round ?? 0;
}

function tick(): void {
  timer = undefined;
  if (!session || !playing) return;
  const started = performance.now();
  if (speed <= 0) {
    do session.step(); while (!session.done && performance.now() - started < FRAME_MS);
  } else {
    const due = paceRounds + Math.floor(((started - paceStart) * speed) / 1000);
    while (session.round < due && !session.done) session.step();
  }
  if (session.done) playing = false;
  post({ type: 'frame', frame: session.frame(), playing });
  if (playing) timer = setTimeout(tick, speed <= 0 ? 0 : Math.max(1, Math.min(FRAME_MS, 1000 / speed / 2)));
}

function handle(message: ToWorker): void {
  switch (message.type) {
    case 'setup': {
      stop();
      const next = new Session(message.config);
      session = next;
      post({
        type: 'ready',
        info: {
          config: next.config, scenarioName: next.base.name, description: next.base.description,
          rounds: next.rounds, roundsPerYear: next.roundsPerYear,
          levers: { a: levers(next.scenarioOf('a')), b: next.config.b ? levers(next.scenarioOf('b')) : undefined },
          network: next.network,
        },
        frame: next.frame(true),
      });
      return;
    }
    case 'check': {
      try {
        const { scenario } = parseScenarioDocument(message.text, message.name);
        post({ type: 'checked', name: message.name, text: message.text, ok: true, scenarioName: scenario.name });
      } catch (error) {
        post({ type: 'checked', name: message.name, ok: false, message: formatUserError(error) });
      }
      return;
    }
    case 'play':
      if (!session || session.done) return;
      speed = message.speed;
      playing = true;
      resetPace();
      if (timer === undefined) tick();
      return;
    case 'speed':
      speed = message.speed;
      resetPace();
      return;
    case 'pause':
      stop();
      if (session) post({ type: 'frame', frame: session.frame(), playing: false });
      return;
    case 'step':
      if (!session) return;
      stop();
      session.step();
      post({ type: 'frame', frame: session.frame(), playing: false });
      return;
    case 'toEnd':
      if (!session) return;
      stop();
      while (!session.done) session.step();
      post({ type: 'frame', frame: session.frame(), playing: false });
      return;
    case 'intervene': {
      if (!session) return;
      session.intervene(message.side, message.set, message.label);
      resetPace();
      post({ type: 'intervened', config: session.config, side: message.side, round: session.round });
      return;
    }
    case 'download': {
      if (!session) return;
      const scenario = session.scenarioOf(message.side);
      const { config } = session;
      const label = `${scenario.name}, side ${message.side.toUpperCase()}`;
      const text = scenarioYaml(scenario, {
        builtIn: session.builtIn, base: session.builtIn ? builtInScenario(session.builtIn) : undefined,
        seed: config.seed, replicates: config.replicates, label,
      });
      post({ type: 'file', name: `${scenario.name}-${message.side}.yaml`, text });
      return;
    }
  }
}

self.onmessage = (event: MessageEvent<ToWorker>) => {
  try {
    handle(event.data);
  } catch (error) {
    post({ type: 'error', message: formatUserError(error), during: event.data.type });
  }
};

post({
  type: 'catalogue',
  scenarios: builtInScenarioNames().map((name) => ({ name, description: builtInScenario(name).description })),
  regimes: REGIMES.map((r) => ({ name: r.name, description: r.description, set: flatten(r.settings) })),
});
