import type { LogsAutovacuum } from './logs-model.ts';

const RUN = /^automatic (vacuum|analyze) of table "([^"]+)"/;
const TUPLES = /tuples: (\d+) removed/;
const PAGES = /pages: (\d+) removed/;
const ELAPSED = /elapsed: ([\d.]+) s/;

/** Autovacuum and autoanalyze runs per table (log_autovacuum_min_duration). */
export class AutovacuumStats {
  private readonly tables = new Map<string, { vacuums: number; analyzes: number; tuples: number; pages: number; elapsed: number; maxElapsed: number }>();

  add(message: string): boolean {
    const m = RUN.exec(message);
    if (m === null) return false;
    const table = m[2] ?? '';
    let t = this.tables.get(table);
    if (t === undefined) {
      if (this.tables.size >= 10_000) return true;
      t = { vacuums: 0, analyzes: 0, tuples: 0, pages: 0, elapsed: 0, maxElapsed: 0 };
      this.tables.set(table, t);
    }
    if (m[1] === 'vacuum') {
      t.vacuums++;
      t.tuples += Number(TUPLES.exec(message)?.[1] ?? 0);
      t.pages += Number(PAGES.exec(message)?.[1] ?? 0);
    } else t.analyzes++;
    const elapsed = Number(ELAPSED.exec(message)?.[1] ?? 0);
    t.elapsed += elapsed;
    t.maxElapsed = Math.max(t.maxElapsed, elapsed);
    return true;
  }

  result(): LogsAutovacuum[] {
    return [...this.tables.entries()]
      .map(([table, t]) => ({
        table,
        vacuums: t.vacuums,
        analyzes: t.analyzes,
        tuplesRemoved: t.tuples,
        pagesRemoved: t.pages,
        elapsedSeconds: Math.round(t.elapsed * 1000) / 1000,
        maxElapsedSeconds: t.maxElapsed,
      }))
      .sort((a, b) => b.vacuums + b.analyzes - (a.vacuums + a.analyzes) || b.elapsedSeconds - a.elapsedSeconds || a.table.localeCompare(b.table));
  }
}
