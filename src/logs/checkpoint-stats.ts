import type { LogsCheckpoints } from './logs-model.ts';

const COMPLETE =
  /^(?:checkpoint|restartpoint) complete: wrote (\d+) buffers \([\d.]+%\); (\d+) WAL file\(s\) added, (\d+) removed, (\d+) recycled; write=([\d.]+) s, sync=([\d.]+) s, total=([\d.]+) s(?:.*?distance=(\d+) kB)?/;
const STARTING = /^(?:checkpoint|restartpoint) starting: (.*)$/;
const TOO_FREQUENT = /^checkpoints are occurring too frequently \((\d+) seconds? apart\)/;

/** checkpoint starting/complete lines (log_checkpoints, on by default since PostgreSQL 15) and the too-frequent warning. */
export class CheckpointStats {
  private count = 0;
  private readonly starting = new Map<string, number>();
  private buffers = 0;
  private write = 0;
  private sync = 0;
  private total = 0;
  private maxTotal = 0;
  private distanceSum = 0;
  private distanceN = 0;
  private maxDistance: number | null = null;
  private added = 0;
  private removed = 0;
  private recycled = 0;
  private warnings = 0;
  private minApart: number | null = null;

  /** True when the message was a checkpoint line. */
  add(message: string): boolean {
    if (message.startsWith('checkpoints are occurring')) {
      const m = TOO_FREQUENT.exec(message);
      this.warnings++;
      if (m !== null) this.minApart = Math.min(this.minApart ?? Infinity, Number(m[1]));
      return true;
    }
    if (!message.startsWith('checkpoint') && !message.startsWith('restartpoint')) return false;
    const s = STARTING.exec(message);
    if (s !== null) {
      for (const reason of (s[1] ?? '').trim().split(/\s+/)) if (reason !== '') this.starting.set(reason, (this.starting.get(reason) ?? 0) + 1);
      return true;
    }
    const m = COMPLETE.exec(message);
    if (m === null) return false;
    this.count++;
    this.buffers += Number(m[1]);
    this.added += Number(m[2]);
    this.removed += Number(m[3]);
    this.recycled += Number(m[4]);
    this.write += Number(m[5]);
    this.sync += Number(m[6]);
    const total = Number(m[7]);
    this.total += total;
    this.maxTotal = Math.max(this.maxTotal, total);
    if (m[8] !== undefined) {
      const d = Number(m[8]);
      this.distanceSum += d;
      this.distanceN++;
      this.maxDistance = Math.max(this.maxDistance ?? 0, d);
    }
    return true;
  }

  result(): LogsCheckpoints {
    const r3 = (v: number): number => Math.round(v * 1000) / 1000;
    return {
      count: this.count,
      starting: Object.fromEntries([...this.starting.entries()].sort((a, b) => b[1] - a[1])),
      buffersWritten: this.buffers,
      writeSeconds: r3(this.write),
      syncSeconds: r3(this.sync),
      totalSeconds: r3(this.total),
      maxTotalSeconds: r3(this.maxTotal),
      meanDistanceKb: this.distanceN === 0 ? null : Math.round(this.distanceSum / this.distanceN),
      maxDistanceKb: this.maxDistance,
      walFilesAdded: this.added,
      walFilesRemoved: this.removed,
      walFilesRecycled: this.recycled,
      warnings: this.warnings,
      minSecondsApart: this.minApart,
    };
  }
}
