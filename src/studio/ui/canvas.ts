/**
 * The two views drawn straight onto a canvas (faster than a chart library for hundreds of ties
 * redrawn many times a second): the Tuckman stage of each locality over time (the stage most
 * replicates are in), and the trust network of replicate 0, ties coloured by trust (viridis).
 */
import { scheme } from 'vega';
import { KIND_COLOURS, STAGE_COLOURS } from '../../charts/theme.ts';
import type { NetworkShape } from '../session.ts';

export const STAGE_NAMES = Object.keys(STAGE_COLOURS) as (keyof typeof STAGE_COLOURS)[];
const KIND_NAMES = Object.keys(KIND_COLOURS);
const viridis = scheme('viridis') as (t: number) => string;
/** Viridis sampled once: colour lookup per tie per redraw stays cheap. */
const VIRIDIS = Array.from({ length: 64 }, (_, k) => viridis(k / 63));

export function fitCanvas(canvas: HTMLCanvasElement, width: number, height: number): CanvasRenderingContext2D {
  const ratio = window.devicePixelRatio || 1;
  canvas.width = Math.round(width * ratio);
  canvas.height = Math.round(height * ratio);
  canvas.style.width = `${width}px`;
  canvas.style.height = `${height}px`;
  const context = canvas.getContext('2d')!;
  context.setTransform(ratio, 0, 0, ratio, 0, 0);
  return context;
}

export interface StageView {
  localities: string[];
  rounds: number;
  roundsPerYear: number;
  /** Per side: label and modal stage per round per locality. */
  sides: { label: string; stages: number[][] }[];
  font: number;
}

export function drawStages(canvas: HTMLCanvasElement, width: number, height: number, view: StageView): void {
  const g = fitCanvas(canvas, width, height);
  g.clearRect(0, 0, width, height);
  g.font = `${view.font}px DejaVu Sans, Verdana, Arial, sans-serif`;
  g.fillStyle = '#111';
  g.textBaseline = 'middle';
  const labelWidth = Math.min(140, Math.max(...view.localities.map((name) => g.measureText(name).width)) + 8);
  const legendHeight = view.font * 1.8;
  const axisHeight = view.font * 1.6;
  const gap = 24;
  const n = view.sides.length;
  const plotWidth = (width - labelWidth - gap * (n - 1)) / n;
  const rowHeight = (height - legendHeight - axisHeight - (n > 1 ? view.font * 1.4 : 0)) / view.localities.length;
  const top = legendHeight + (n > 1 ? view.font * 1.4 : 0);
  // Legend in one row, squeezed to the width: the stage names are what the class reads.
  const slot = width / STAGE_NAMES.length;
  STAGE_NAMES.forEach((stage, k) => {
    const x = k * slot;
    g.fillStyle = STAGE_COLOURS[stage];
    g.fillRect(x, 4, view.font, view.font);
    g.strokeStyle = '#333';
    g.strokeRect(x, 4, view.font, view.font);
    g.fillStyle = '#111';
    g.fillText(stage, x + view.font + 4, 4 + view.font / 2, slot - view.font - 8);
  });
  view.localities.forEach((name, c) => {
    g.fillStyle = '#111';
    g.fillText(name.length > 18 ? `${name.slice(0, 17)}…` : name, 0, top + (c + 0.5) * rowHeight);
  });
  view.sides.forEach((side, s) => {
    const left = labelWidth + s * (plotWidth + gap);
    const cell = plotWidth / view.rounds;
    if (n > 1) {
      g.fillStyle = '#111';
      g.fillText(side.label, left, legendHeight + view.font * 0.6);
    }
    side.stages.forEach((row, r) => {
      for (let c = 0; c < row.length; c++) {
        g.fillStyle = STAGE_COLOURS[STAGE_NAMES[row[c]]];
        g.fillRect(left + r * cell, top + c * rowHeight, Math.ceil(cell), rowHeight - 1);
      }
    });
    g.strokeStyle = '#888';
    g.strokeRect(left, top, plotWidth, rowHeight * view.localities.length);
    const years = view.rounds / view.roundsPerYear;
    const every = years > 12 ? 5 : years > 4 ? 2 : 1;
    g.fillStyle = '#111';
    g.textAlign = 'center';
    for (let year = 0; year <= years; year += every) {
      g.textAlign = year === 0 ? 'left' : year + every > years ? 'right' : 'center';
      g.fillText(String(year), left + (year / years) * plotWidth, height - axisHeight / 2);
    }
    g.textAlign = 'left';
  });
}

/** Leader positions: localities on a grid, leaders on a circle in each, powerful leaders larger. */
export function networkLayout(shape: NetworkShape, width: number, height: number): { x: number[]; y: number[]; r: number[] } {
  const nLoc = shape.localities.length;
  const columns = Math.ceil(Math.sqrt((nLoc * width) / height));
  const rows = Math.ceil(nLoc / columns);
  const cellW = width / columns;
  const cellH = height / rows;
  const radius = Math.min(cellW, cellH) * 0.36;
  const members: number[][] = shape.localities.map(() => []);
  shape.locality.forEach((c, i) => members[c].push(i));
  const x: number[] = [];
  const y: number[] = [];
  const r: number[] = [];
  members.forEach((list, c) => {
    const cx = (c % columns + 0.5) * cellW;
    const cy = (Math.floor(c / columns) + 0.5) * cellH + 6;
    list.forEach((i, k) => {
      const angle = (2 * Math.PI * k) / list.length - Math.PI / 2;
      x[i] = cx + radius * Math.cos(angle);
      y[i] = cy + radius * Math.sin(angle);
      r[i] = 2.5 + 4 * shape.power[i];
    });
  });
  return { x, y, r };
}

export function drawNetwork(canvas: HTMLCanvasElement, width: number, height: number, shape: NetworkShape, trust: number[], font: number): void {
  const g = fitCanvas(canvas, width, height);
  g.clearRect(0, 0, width, height);
  const legend = font * 1.8;
  const plotH = height - legend;
  const { x, y, r } = networkLayout(shape, width, plotH);
  g.save();
  g.translate(0, legend);
  g.lineWidth = 1.2;
  for (let t = 0; t < shape.source.length; t++) {
    const a = shape.source[t];
    const b = shape.target[t];
    if (a > b) continue; // one line per pair, coloured by the lower of the two directions
    const back = findBack(shape, t);
    const value = Math.max(0, Math.min(1, back >= 0 ? Math.min(trust[t], trust[back]) : trust[t]));
    g.strokeStyle = VIRIDIS[Math.round(value * 63)];
    g.beginPath();
    g.moveTo(x[a], y[a]);
    g.lineTo(x[b], y[b]);
    g.stroke();
  }
  for (let i = 0; i < shape.locality.length; i++) {
    g.fillStyle = KIND_COLOURS[KIND_NAMES[shape.kind[i]]] ?? '#000';
    g.beginPath();
    g.arc(x[i], y[i], r[i], 0, 2 * Math.PI);
    g.fill();
    g.strokeStyle = '#fff';
    g.stroke();
  }
  g.restore();
  // Legend: the trust colour ramp from 0 to 1.
  g.font = `${font}px DejaVu Sans, Verdana, Arial, sans-serif`;
  g.textBaseline = 'middle';
  g.fillStyle = '#111';
  g.fillText('trust 0', 0, font * 0.8);
  const start = g.measureText('trust 0 ').width;
  const rampWidth = Math.min(160, width / 3);
  for (let k = 0; k < 64; k++) {
    g.fillStyle = VIRIDIS[k];
    g.fillRect(start + (k * rampWidth) / 64, font * 0.2, rampWidth / 64 + 1, font * 1.1);
  }
  g.fillStyle = '#111';
  g.fillText('1', start + rampWidth + 4, font * 0.8);
}

const backCache = new WeakMap<NetworkShape, Int32Array>();

/** Index of the tie in the opposite direction (b→a for a→b), cached per network. */
function findBack(shape: NetworkShape, t: number): number {
  let back = backCache.get(shape);
  if (!back) {
    const index = new Map<string, number>();
    shape.source.forEach((s, k) => index.set(`${s},${shape.target[k]}`, k));
    back = Int32Array.from(shape.source, (s, k) => index.get(`${shape.target[k]},${s}`) ?? -1);
    backCache.set(shape, back);
  }
  return back[t];
}
