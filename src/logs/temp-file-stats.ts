import type { StatementIdentity } from './statement-stats.ts';
import type { LogsTempFile } from './logs-model.ts';

export const TEMP_FILE = /^temporary file: path "[^"]*", size (\d+)/;

/** Temporary files (log_temp_files) per statement shape that wrote them. */
export class TempFileStats {
  private readonly byShape = new Map<string, { id: StatementIdentity | null; count: number; total: number; max: number }>();

  add(id: StatementIdentity | null, bytes: number): void {
    const key = id?.fingerprint ?? '';
    let e = this.byShape.get(key);
    if (e === undefined) {
      if (this.byShape.size >= 10_000) return;
      e = { id, count: 0, total: 0, max: 0 };
      this.byShape.set(key, e);
    }
    e.count++;
    e.total += bytes;
    e.max = Math.max(e.max, bytes);
  }

  result(): LogsTempFile[] {
    return [...this.byShape.values()]
      .sort((a, b) => b.total - a.total || b.count - a.count)
      .map((e) => ({ query: e.id?.query ?? null, fingerprint: e.id?.fingerprint ?? null, count: e.count, totalBytes: e.total, maxBytes: e.max }));
  }
}
