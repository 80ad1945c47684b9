/**
 * A progress bar on stderr for runs that take longer than about a second. It appears only on a
 * terminal, only once the run is expected to last over a second, redraws at most ten times a
 * second, and erases itself when the run ends. Where no bar can be drawn (`lines`: stderr is a file,
 * such as a cluster job's log) it writes a plain line at every tenth of the total and at least once
 * a minute instead, so the log of a job killed part-way says how far it got.
 */

export interface ProgressOptions {
  write(text: string): void;
  enabled: boolean;
  now(): number;
  /** Show the bar only when the run is expected to take longer than this (ms). */
  minDuration?: number;
  width?: number;
  unit?: string;
  /** Also show the rate (units per second), e.g. for sweeps. */
  rate?: boolean;
  /** Units already done before this bar started (a resumed sweep): not counted in the rate. */
  startDone?: number;
  /** Plain progress lines (independent of `enabled`, which is the bar). */
  lines?: boolean;
}

const LINE_EVERY_MS = 60_000;

export class ProgressBar {
  private readonly start: number;
  private shown = false;
  private lastDraw = -Infinity;
  private nextLine?: number;
  private lastLine: number;

  constructor(private readonly options: ProgressOptions) {
    this.start = options.now();
    this.lastLine = this.start;
  }

  update(done: number, total: number): void {
    if (total <= 0 || !(this.options.enabled || this.options.lines)) return;
    const now = this.options.now();
    const elapsed = now - this.start;
    const fresh = done - (this.options.startDone ?? 0);
    const expected = fresh > 0 ? elapsed + (elapsed / fresh) * (total - done) : Infinity;
    if (this.options.lines) this.line(done, total, now, elapsed, fresh, expected);
    if (!this.options.enabled) return;
    if (!this.shown) {
      if (done >= total || elapsed < 200 || expected < (this.options.minDuration ?? 1000)) return;
      this.shown = true;
    }
    if (now - this.lastDraw < 100 && done < total) return;
    this.lastDraw = now;
    const width = this.options.width ?? 30;
    const filled = Math.round((width * done) / total);
    const eta = done < total ? ` · ${timeLeft(expected - elapsed)} left` : '';
    const rate = this.options.rate ? ` · ${perSecond(fresh, elapsed)}/s` : '';
    this.options.write(`\r\x1b[2K[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${done}/${total} ${this.options.unit ?? ''}${rate}${eta}`);
  }

  /** A plain line when `done` reaches the next tenth of `total`, a minute has passed, or all is done. */
  private line(done: number, total: number, now: number, elapsed: number, fresh: number, expected: number): void {
    const step = Math.max(1, Math.ceil(total / 10));
    this.nextLine ??= (Math.floor((this.options.startDone ?? 0) / step) + 1) * step;
    if (done < total && done < this.nextLine && now - this.lastLine < LINE_EVERY_MS) return;
    this.nextLine = (Math.floor(done / step) + 1) * step;
    this.lastLine = now;
    const rate = this.options.rate && fresh > 0 ? `, ${perSecond(fresh, elapsed)}/s` : '';
    const eta = done < total && Number.isFinite(expected) ? `, about ${timeLeft(expected - elapsed)} left` : '';
    this.options.write(`progress: ${done}/${total} ${this.options.unit ?? ''} done (${Math.floor((100 * done) / total)}%)${rate}${eta}\n`);
  }

  /** Erases the bar if it was drawn. */
  finish(): void {
    if (this.shown) this.options.write('\r\x1b[2K');
    this.shown = false;
  }
}

const timeLeft = (ms: number) => {
  const left = Math.max(0, ms / 1000);
  return left < 60 ? `${Math.ceil(left)}s` : `${Math.ceil(left / 60)}min`;
};

const perSecond = (fresh: number, elapsed: number) => {
  const rate = fresh / Math.max(elapsed / 1000, 1e-9);
  return rate >= 10 ? `${Math.round(rate)}` : rate.toFixed(1);
};
