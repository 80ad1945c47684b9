/**
 * The studio page: controls, live views and the model worker. Plain DOM. The page holds the
 * config (mirrored in the URL hash) and the rounds received so far; the worker holds the model.
 * Views redraw at most every REDRAW_MS, whatever the speed, so the model is never held up by
 * drawing.
 */
import { measureTitle } from '../../charts/theme.ts';
import { parameterSpec } from '../../model/parameters.ts';
import {
  configFromHash, configToHash, defaultConfig, emptySettings, LEVERS, leverInfo, MAX_REPLICATES,
  type Lever, type LeverValue, type Settings, type StudioConfig,
} from '../config.ts';
import type { FromWorker, ReadyInfo, ToWorker } from '../protocol.ts';
import { QUANTILES, STUDIO_MEASURES } from '../measures.ts';
import type { Frame } from '../session.ts';
import { BandPanel, type BandRow, type MarkRow } from './charts.ts';
import { drawNetwork, drawStages, STAGE_NAMES } from './canvas.ts';

declare const WORKER_SOURCE: string;

const REDRAW_MS = 100;
const SPEEDS = [1, 3, 6, 12, 24, 48, 0];
const PANEL_MEASURES = ['populationOutcome', 'trustMean', 'pooledShare', 'lifeExpectancyGain'];
const MEDIAN = QUANTILES.indexOf(0.5);

const $ = <T extends HTMLElement = HTMLElement>(id: string) => document.getElementById(id) as T;

let worker: Worker;
let config: StudioConfig = defaultConfig();
let info: ReadyInfo | undefined;
let catalogue: Extract<FromWorker, { type: 'catalogue' }> | undefined;
let playing = false;
let round = 0;
/** Rows received: per side, per round, per measure, quantiles. */
let bands: { a: number[][][]; b: number[][][]; gap: number[][][] } = { a: [], b: [], gap: [] };
let stages: { a: number[][]; b: number[][] } = { a: [], b: [] };
let lastFrame: Frame | undefined;
let panels: BandPanel[] = [];
let panelMeasures = [...PANEL_MEASURES];
let dirty = false;
let drawing = false;
let lastDraw = 0;
let renders = 0;
let levers: { a: Record<string, LeverValue>; b?: Record<string, LeverValue> } = { a: {} };

function send(message: ToWorker): void {
  worker.postMessage(message);
}

function projector(): boolean {
  return document.body.classList.contains('projector');
}

function showMessage(text: string, kind: 'error' | 'info' = 'error'): void {
  const box = $('message');
  box.textContent = text;
  box.className = text ? kind : '';
}

function saveUrl(): void {
  const hash = configToHash(config) + (projector() ? '&view=projector' : '');
  history.replaceState(null, '', hash);
}

function setUp(next: StudioConfig = config): void {
  showMessage('');
  send({ type: 'setup', config: next });
}

// ---- controls ---------------------------------------------------------------------------

function fillSelect(select: HTMLSelectElement, options: { value: string; text: string; title?: string }[], value: string): void {
  select.replaceChildren(...options.map((o) => {
    const option = document.createElement('option');
    option.value = o.value;
    option.textContent = o.text;
    if (o.title) option.title = o.title;
    return option;
  }));
  select.value = value;
}

function renderScenarioControls(): void {
  if (!catalogue) return;
  const options = catalogue.scenarios.map((s) => ({ value: s.name, text: s.name, title: s.description }));
  if (config.document) options.push({ value: '@file', text: `file: ${config.document.name}`, title: 'the dropped file' });
  fillSelect($('scenario') as HTMLSelectElement, options, config.document ? '@file' : config.scenario);
  const regimes = [{ value: '', text: 'as the scenario has it' }, ...catalogue.regimes.map((r) => ({ value: r.name, text: r.name, title: r.description }))];
  fillSelect($('regime-a') as HTMLSelectElement, regimes, config.a.regime);
  fillSelect($('regime-b') as HTMLSelectElement, regimes, config.b?.regime ?? '');
  ($('seed') as HTMLInputElement).value = String(config.seed);
  ($('replicates') as HTMLInputElement).value = String(config.replicates);
  ($('compare') as HTMLInputElement).checked = Boolean(config.b);
  document.body.classList.toggle('comparing', Boolean(config.b));
}

function formatLever(lever: Lever, value: LeverValue): string {
  if (lever.kind === 'switch') return value === lever.on ? 'on' : 'off';
  const x = Number(value);
  const spec = parameterSpec(lever.path)!;
  if (spec.unit === '£m') return `£${x.toFixed(0)}m`;
  if (spec.unit === 'per year' && lever.path !== 'regime.pacePressure') return `${(x * 100).toFixed(1)}%`;
  return x.toFixed(2);
}

function buildLevers(): void {
  const table = $('levers');
  table.replaceChildren();
  for (const lever of LEVERS) {
    const { unit, section, meaning } = leverInfo(lever.path);
    const row = document.createElement('div');
    row.className = 'lever';
    row.title = `${lever.path}: ${meaning}`;
    const label = document.createElement('div');
    label.className = 'lever-label';
    label.innerHTML = `<span class="name"></span> <span class="unit"></span> <span class="section"></span>`;
    label.querySelector('.name')!.textContent = lever.label;
    label.querySelector('.unit')!.textContent = unit ? `(${unit})` : '';
    label.querySelector('.section')!.textContent = section;
    row.append(label);
    for (const side of ['a', 'b'] as const) {
      const cell = document.createElement('div');
      cell.className = `lever-input side-${side}`;
      const input = document.createElement('input');
      input.id = `lever-${side}-${lever.path}`;
      input.dataset.path = lever.path;
      input.setAttribute('aria-label', `${lever.label} (${side.toUpperCase()})`);
      if (lever.kind === 'range') {
        input.type = 'range';
        input.min = String(lever.min);
        input.max = String(lever.max);
        input.step = String(lever.step);
      } else input.type = 'checkbox';
      const out = document.createElement('output');
      out.id = `${input.id}-value`;
      input.addEventListener('input', () => { out.textContent = formatLever(lever, leverValue(lever, input)); });
      input.addEventListener('change', () => changeLever(side, lever, leverValue(lever, input)));
      cell.append(side === 'b' ? badge('B') : badge('A'), input, out);
      row.append(cell);
    }
    table.append(row);
  }
}

function badge(text: string): HTMLElement {
  const span = document.createElement('span');
  span.className = `badge badge-${text.toLowerCase()}`;
  span.textContent = text;
  return span;
}

function leverValue(lever: Lever, input: HTMLInputElement): LeverValue {
  if (lever.kind === 'switch') return input.checked ? lever.on! : lever.off!;
  return Number(input.value);
}

/** A lever's value in force now: its set-up value, then the latest intervention up to this round. */
function leverNow(side: 'a' | 'b', path: string): LeverValue | undefined {
  let value = levers[side]?.[path];
  const schedule = [...(config[side]?.interventions ?? [])].sort((x, y) => x.at - y.at);
  for (const item of schedule) if (item.at <= round && path in item.set) value = item.set[path];
  return value;
}

function showLevers(): void {
  for (const side of ['a', 'b'] as const) {
    const values = levers[side];
    for (const lever of LEVERS) {
      const input = $(`lever-${side}-${lever.path}`) as HTMLInputElement;
      const value = leverNow(side, lever.path);
      if (document.activeElement === input && playing) continue;
      input.disabled = values === undefined;
      if (value === undefined) continue;
      if (lever.kind === 'switch') input.checked = value === lever.on;
      else input.value = String(value);
      $(`${input.id}-value`).textContent = formatLever(lever, value);
    }
  }
}

/** Before the first round a lever changes the set-up; after it, it is an intervention from this round on. */
function changeLever(side: 'a' | 'b', lever: Lever, value: LeverValue): void {
  if (!config[side]) return;
  if (round === 0) {
    const settings = config[side]!;
    config = { ...config, [side]: { ...settings, set: { ...settings.set, [lever.path]: value } } };
    setUp();
  } else send({ type: 'intervene', side, set: { [lever.path]: value } });
}

function changeRegime(side: 'a' | 'b', name: string): void {
  if (!config[side]) return;
  if (round === 0) {
    config = { ...config, [side]: { ...config[side]!, regime: name } };
    setUp();
    return;
  }
  const regime = catalogue?.regimes.find((r) => r.name === name);
  if (regime) send({ type: 'intervene', side, set: regime.set, label: `regime ${name}` });
  else showMessage('During a run, choose the regime to switch to; "as the scenario has it" applies when you set up.', 'info');
}

function speed(): number {
  return SPEEDS[Number(($('speed') as HTMLInputElement).value)] ?? 12;
}

function showSpeed(): void {
  const s = speed();
  $('speed-value').textContent = s === 0 ? 'as fast as it goes' : `${s} rounds/s`;
}

function togglePlay(): void {
  if (!info) return;
  if (playing) send({ type: 'pause' });
  else if (round < info.rounds) {
    send({ type: 'play', speed: speed() });
    setPlaying(true);
  }
}

function setPlaying(value: boolean): void {
  playing = value;
  $('play').textContent = playing ? 'Pause' : 'Play';
  $('play').setAttribute('aria-pressed', String(playing));
  document.body.dataset.playing = String(playing);
}

function wireControls(): void {
  $('scenario').addEventListener('change', () => {
    const value = ($('scenario') as HTMLSelectElement).value;
    if (value === '@file') return;
    const { document: _dropped, ...rest } = config;
    config = { ...rest, scenario: value, a: emptySettings(), b: config.b ? emptySettings() : undefined };
    setUp();
  });
  $('regime-a').addEventListener('change', () => changeRegime('a', ($('regime-a') as HTMLSelectElement).value));
  $('regime-b').addEventListener('change', () => changeRegime('b', ($('regime-b') as HTMLSelectElement).value));
  $('seed').addEventListener('change', () => {
    const seed = Math.round(Number(($('seed') as HTMLInputElement).value));
    if (Number.isFinite(seed)) setUp({ ...config, seed });
  });
  $('replicates').addEventListener('change', () => {
    const n = Math.round(Number(($('replicates') as HTMLInputElement).value));
    if (Number.isFinite(n)) setUp({ ...config, replicates: Math.min(MAX_REPLICATES, Math.max(1, n)) });
  });
  $('speed').addEventListener('input', () => {
    showSpeed();
    if (playing) send({ type: 'speed', speed: speed() });
  });
  $('compare').addEventListener('change', () => {
    const on = ($('compare') as HTMLInputElement).checked;
    setUp({ ...config, b: on ? structuredClone(config.a) : undefined });
  });
  $('setup').addEventListener('click', () => setUp());
  $('forget').addEventListener('click', () => {
    const forget = (settings?: Settings) => (settings ? { ...settings, interventions: [] } : undefined);
    setUp({ ...config, a: forget(config.a)!, b: forget(config.b) });
  });
  $('play').addEventListener('click', togglePlay);
  $('step').addEventListener('click', () => send({ type: 'step' }));
  $('to-end').addEventListener('click', () => send({ type: 'toEnd' }));
  $('download-a').addEventListener('click', () => send({ type: 'download', side: 'a' }));
  $('download-b').addEventListener('click', () => send({ type: 'download', side: 'b' }));
  $('projector').addEventListener('change', () => {
    document.body.classList.toggle('projector', ($('projector') as HTMLInputElement).checked);
    saveUrl();
    buildViews();
  });
  $('file').addEventListener('change', async () => {
    const file = ($('file') as HTMLInputElement).files?.[0];
    if (file) send({ type: 'check', name: file.name, text: await file.text() });
  });
  document.addEventListener('dragover', (event) => {
    event.preventDefault();
    document.body.classList.add('dragging');
  });
  document.addEventListener('dragleave', () => document.body.classList.remove('dragging'));
  document.addEventListener('drop', async (event) => {
    event.preventDefault();
    document.body.classList.remove('dragging');
    const file = event.dataTransfer?.files[0];
    if (file) send({ type: 'check', name: file.name, text: await file.text() });
  });
  document.addEventListener('keydown', (event) => {
    const target = event.target as HTMLElement;
    if (target.tagName === 'SELECT' || (target.tagName === 'INPUT' && ['number', 'text'].includes((target as HTMLInputElement).type))) return;
    // A focused slider keeps its arrow keys (keyboard users move levers with them).
    if (target.tagName === 'INPUT' && (target as HTMLInputElement).type === 'range' && event.key.startsWith('Arrow')) return;
    if (event.key === ' ') {
      event.preventDefault();
      togglePlay();
    } else if (event.key === 'ArrowRight') {
      event.preventDefault();
      send({ type: 'step' });
    } else if (event.key === 'r' || event.key === 'R') setUp();
  });
  panelMeasures.forEach((_, k) => {
    const select = $(`measure-${k}`) as HTMLSelectElement;
    fillSelect(select, STUDIO_MEASURES.map((m) => ({ value: m, text: measureTitle(m) })), panelMeasures[k]);
    select.addEventListener('change', () => {
      panelMeasures[k] = select.value;
      buildViews();
    });
  });
}

// ---- views ------------------------------------------------------------------------------

function buildViews(): void {
  if (!info) return;
  panels.forEach((p) => p.destroy());
  const big = projector();
  const labels = config.b ? ['A', 'B'] : ['A'];
  const years = info.rounds / info.roundsPerYear;
  panels = panelMeasures.map((measure, k) => {
    const element = $(`chart-${k}`);
    const box = element.parentElement!.getBoundingClientRect();
    const gap = k === 3;
    const title = gap && config.b ? `Gap B − A, paired on the same seeds` : 'Median, 50% and 90% of replicates';
    return new BandPanel(element, {
      title,
      years, width: Math.max(160, box.width - 18), height: Math.max(100, box.height - (big ? 44 : 34)),
      labels: gap && config.b ? ['B − A'] : labels, projector: big, zero: gap && Boolean(config.b),
    });
  });
  dirty = true;
  scheduleDraw();
}

function rowsFor(side: 'a' | 'b', label: string, measure: string, rpy: number): BandRow[] {
  const m = STUDIO_MEASURES.indexOf(measure);
  return bands[side].map((round, r) => {
    const q = round[m];
    return { label, year: r / rpy, q05: q[0], q25: q[1], median: q[2], q75: q[3], q95: q[4] };
  });
}

function marks(): MarkRow[] {
  if (!info) return [];
  const out: MarkRow[] = [];
  for (const side of ['a', 'b'] as const) {
    for (const item of config[side]?.interventions ?? []) {
      out.push({ label: side.toUpperCase(), year: item.at / info.roundsPerYear, what: Object.keys(item.set).join(', ') });
    }
  }
  return out;
}

function scheduleDraw(): void {
  if (drawing) return;
  const wait = Math.max(0, REDRAW_MS - (performance.now() - lastDraw));
  drawing = true;
  setTimeout(() => requestAnimationFrame(() => { void draw(); }), wait);
}

async function draw(): Promise<void> {
  lastDraw = performance.now();
  dirty = false;
  try {
    if (info) {
      const rpy = info.roundsPerYear;
      const allMarks = marks();
      const updates = panels.map((panel, k) => {
        const measure = panelMeasures[k];
        if (k === 3 && config.b) {
          const m = STUDIO_MEASURES.indexOf(measure);
          const rows = bands.gap.map((q, r) => ({ label: 'B − A', year: r / rpy, q05: q[m][0], q25: q[m][1], median: q[m][2], q75: q[m][3], q95: q[m][4] }));
          return panel.update(rows, allMarks.map((mark) => ({ ...mark, label: 'B − A' })));
        }
        const rows = rowsFor('a', 'A', measure, rpy);
        if (config.b) rows.push(...rowsFor('b', 'B', measure, rpy));
        return panel.update(rows, allMarks);
      });
      drawCanvases();
      await Promise.all(updates);
      renders++;
      document.body.dataset.renders = String(renders);
      document.body.dataset.drawMs = (performance.now() - lastDraw).toFixed(1);
    }
  } finally {
    drawing = false;
    if (dirty) scheduleDraw();
  }
}

function drawCanvases(): void {
  if (!info || !lastFrame) return;
  const font = projector() ? 15 : 12;
  const stageBox = $('stages').parentElement!.getBoundingClientRect();
  const sides = [{ label: 'A', stages: stages.a }];
  if (config.b) sides.push({ label: 'B', stages: stages.b });
  drawStages($('stages') as HTMLCanvasElement, stageBox.width - 16, stageBox.height - 40, {
    localities: info.network.localities, rounds: info.rounds, roundsPerYear: info.roundsPerYear, sides, font,
  });
  const netBox = $('network').parentElement!.getBoundingClientRect();
  drawNetwork($('network') as HTMLCanvasElement, netBox.width - 16, netBox.height - 40, info.network, lastFrame.a.trust, font);
}

function monitorValue(id: string, value: number, text: string): void {
  const el = $(id);
  el.textContent = text;
  el.dataset.value = String(value);
}

function updateMonitor(): void {
  if (!info || !lastFrame) return;
  const year = round / info.roundsPerYear;
  monitorValue('mon-round', round, `${round} / ${info.rounds}`);
  monitorValue('mon-year', year, year.toFixed(1));
  for (const side of ['a', 'b'] as const) {
    const frame = lastFrame[side];
    const latest = bands[side][round - 1];
    if (!frame) continue;
    STAGE_NAMES.forEach((stage, k) => monitorValue(`mon-${side}-${stage}`, frame.stageCounts[k], frame.stageCounts[k].toFixed(1)));
    for (const measure of ['trustMean', 'pooledShare', 'populationOutcome', 'lifeExpectancyGain']) {
      const value = latest ? latest[STUDIO_MEASURES.indexOf(measure)][MEDIAN] : NaN;
      const text = !latest ? '–' : measure === 'pooledShare' ? `${(value * 100).toFixed(1)}%` : measure === 'lifeExpectancyGain' ? `${value.toFixed(2)} y` : value.toFixed(3);
      monitorValue(`mon-${side}-${measure}`, value, text);
    }
  }
  $('step').toggleAttribute('disabled', round >= info.rounds);
  $('to-end').toggleAttribute('disabled', round >= info.rounds);
  document.body.dataset.round = String(round);
}

function receiveFrame(frame: Frame): void {
  if (frame.from === 0) {
    bands = { a: [], b: [], gap: [] };
    stages = { a: [], b: [] };
  }
  bands.a.length = frame.from;
  bands.a.push(...frame.a.bands);
  stages.a.length = frame.from;
  stages.a.push(...frame.a.stages);
  if (frame.b) {
    bands.b.length = frame.from;
    bands.b.push(...frame.b.bands);
    stages.b.length = frame.from;
    stages.b.push(...frame.b.stages);
    bands.gap.length = frame.from;
    bands.gap.push(...frame.gap!);
  }
  const changed = round !== frame.round;
  round = frame.round;
  lastFrame = frame;
  updateMonitor();
  if (changed) showLevers();
  dirty = true;
  scheduleDraw();
}

function onMessage(message: FromWorker): void {
  switch (message.type) {
    case 'catalogue':
      catalogue = message;
      renderScenarioControls();
      setUp();
      return;
    case 'ready':
      info = message.info;
      config = message.info.config;
      levers = message.info.levers;
      setPlaying(false);
      renderScenarioControls();
      showLevers();
      $('scenario-description').textContent = info.description;
      saveUrl();
      buildViews();
      receiveFrame(message.frame);
      document.body.dataset.ready = String(Number(document.body.dataset.ready ?? 0) + 1);
      return;
    case 'frame':
      receiveFrame(message.frame);
      setPlaying(message.playing);
      return;
    case 'intervened':
      config = message.config;
      showLevers();
      saveUrl();
      showMessage(message.round > 0 ? `${message.side.toUpperCase()}: changed from round ${message.round} (year ${(message.round / info!.roundsPerYear).toFixed(1)}); the charts mark it.` : '', 'info');
      dirty = true;
      scheduleDraw();
      return;
    case 'checked':
      if (!message.ok) {
        showMessage(message.message);
        return;
      }
      config = { ...config, document: { name: message.name, text: message.text }, a: emptySettings(), b: config.b ? emptySettings() : undefined };
      setUp();
      return;
    case 'file': {
      const link = document.createElement('a');
      link.href = URL.createObjectURL(new Blob([message.text], { type: 'text/yaml' }));
      link.download = message.name;
      document.body.append(link);
      link.click();
      link.remove();
      return;
    }
    case 'error':
      showMessage(message.message);
      // A link whose settings cannot be set up still opens a working studio, on the defaults.
      if (message.during === 'setup' && !info) {
        config = defaultConfig();
        send({ type: 'setup', config });
        return;
      }
      if (message.during === 'intervene' || message.during === 'setup') showLevers();
      return;
  }
}

function start(): void {
  try {
    if (location.hash.length > 1) config = configFromHash(location.hash);
  } catch (error) {
    showMessage(`The link's settings could not be read (${(error as Error).message}); starting from the defaults.`);
  }
  const big = new URLSearchParams(location.hash.slice(1)).get('view') === 'projector';
  document.body.classList.toggle('projector', big);
  ($('projector') as HTMLInputElement).checked = big;
  buildLevers();
  wireControls();
  showSpeed();
  worker = new Worker(URL.createObjectURL(new Blob([WORKER_SOURCE], { type: 'text/javascript' })));
  worker.onmessage = (event: MessageEvent<FromWorker>) => onMessage(event.data);
  worker.onerror = (event) => showMessage(`The model stopped: ${event.message}`);
  let resize: ReturnType<typeof setTimeout> | undefined;
  window.addEventListener('resize', () => {
    clearTimeout(resize);
    resize = setTimeout(buildViews, 200);
  });
}

start();
