/**
 * A progress bar on stderr for runs that take longer than about a second. It appears only on a
 * terminal, only once the run is expected to last over a second, redraws at most ten times a
 * second, and erases itself when the run ends.
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
}

export class ProgressBar {
  private readonly start: number;
  private shown = false;
  private lastDraw = -Infinity;

  constructor(private readonly options: ProgressOptions) {
    this.start = options.now();
  }

  update(done: number, total: number): void {
    if (!this.options.enabled || total <= 0) return;
    const now = this.options.now();
    const elapsed = now - this.start;
    const fresh = done - (this.options.startDone ?? 0);
    const expected = fresh > 0 ? elapsed + (elapsed / fresh) * (total - done) : Infinity;
    if (!this.shown) {
      if (done >= total || elapsed < 200 || expected < (this.options.minDuration ?? 1000)) return;
      this.shown = true;
    }
    if (now - this.lastDraw < 100 && done < total) return;
    this.lastDraw = now;
    const width = this.options.width ?? 30;
    const filled = Math.round((width * done) / total);
    const left = Math.max(0, (expected - elapsed) / 1000);
    const eta = done < total ? ` · ${left < 60 ? `${Math.ceil(left)}s` : `${Math.ceil(left / 60)}min`} left` : '';
    const perSecond = fresh / Math.max(elapsed / 1000, 1e-9);
    const rate = this.options.rate ? ` · ${perSecond >= 10 ? Math.round(perSecond) : perSecond.toFixed(1)}/s` : '';
    this.options.write(`\r\x1b[2K[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${done}/${total} ${this.options.unit ?? ''}${rate}${eta}`);
  }

  /** Erases the bar if it was drawn. */
  finish(): void {
    if (this.shown) this.options.write('\r\x1b[2K');
    this.shown = false;
  }
}
