/** Messages between the page and the model worker (structured-cloneable plain data). */
import type { LeverValue, StudioConfig } from './config.ts';
import type { Frame, NetworkShape } from './session.ts';

export type ToWorker =
  | { type: 'setup'; config: StudioConfig }
  /** Check a dropped document without changing anything. */
  | { type: 'check'; name: string; text: string }
  /** Rounds per second; 0 = as fast as the machine goes. */
  | { type: 'play'; speed: number }
  | { type: 'speed'; speed: number }
  | { type: 'pause' }
  | { type: 'step' }
  | { type: 'toEnd' }
  | { type: 'intervene'; side: 'a' | 'b'; set: Record<string, LeverValue>; label?: string }
  | { type: 'download'; side: 'a' | 'b' };

export interface ReadyInfo {
  config: StudioConfig;
  scenarioName: string;
  description: string;
  rounds: number;
  roundsPerYear: number;
  /** Values of every lever at set-up, for A and (if comparing) B. */
  levers: { a: Record<string, LeverValue>; b?: Record<string, LeverValue> };
  network: NetworkShape;
}

export type FromWorker =
  | { type: 'catalogue'; scenarios: { name: string; description: string }[]; regimes: { name: string; description: string; set: Record<string, LeverValue> }[] }
  | { type: 'ready'; info: ReadyInfo; frame: Frame }
  | { type: 'frame'; frame: Frame; playing: boolean }
  /** The config changed by an intervention (the page keeps it in the URL). */
  | { type: 'intervened'; config: StudioConfig; side: 'a' | 'b'; round: number }
  | { type: 'checked'; name: string; text: string; ok: true; scenarioName: string }
  | { type: 'checked'; name: string; ok: false; message: string }
  | { type: 'file'; name: string; text: string }
  | { type: 'error'; message: string; during: string };
