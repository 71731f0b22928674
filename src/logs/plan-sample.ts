const KEEP = 20;

/** The slowest auto_explain plans seen, kept as text (bounded) to be analyzed once the log is read. */
export class PlanSample {
  private readonly kept: { durationMs: number; text: string; line: number }[] = [];
  seen = 0;
  totalMs = 0;

  add(durationMs: number, message: string, line: number): void {
    this.seen++;
    this.totalMs += durationMs;
    if (this.kept.length >= KEEP * 2) {
      this.kept.sort((a, b) => b.durationMs - a.durationMs);
      this.kept.length = KEEP;
    }
    const floor = this.kept.length >= KEEP ? Math.min(...this.kept.map((k) => k.durationMs)) : -1;
    if (durationMs < floor) return;
    // a detached copy: the message may be a slice of a 1 MiB read chunk
    this.kept.push({ durationMs, text: Buffer.from(message, 'utf8').toString('utf8'), line });
  }

  slowest(): { durationMs: number; text: string; line: number }[] {
    return [...this.kept].sort((a, b) => b.durationMs - a.durationMs).slice(0, KEEP);
  }
}
