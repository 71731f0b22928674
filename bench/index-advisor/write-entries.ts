import pg from 'pg';
import type { Template } from './ecommerce.ts';

interface IndexOn {
  readonly table: string;
  readonly text: string;
}

const tableOf = (def: string): string =>
  (/\sON\s+(?:ONLY\s+)?([\w."]+)/i.exec(def)?.[1] ?? '')
    .replace(/"/g, '')
    .replace(/^public\./, '');
const mentions = (text: string, column: string): boolean => new RegExp(`(?<![\\w$])${column}(?![\\w$])`).test(text.slice(text.search(/\sUSING\s|\s\(/)));

/**
 * Index entries written per day by the workload's writes: an INSERT writes one entry in every
 * index of its table; an UPDATE is HOT (no index entry) unless some index of the table stores a
 * column it sets, and then writes one in every index. Counted for the table's indexes with the
 * configuration added, minus those without it: the write cost the configuration brings.
 */
export async function entriesPerDay(url: string, templates: readonly Template[], definitions: readonly string[]): Promise<number> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  let existing: IndexOn[];
  try {
    const r = await c.query<{ t: string; d: string }>(`SELECT tablename AS t, indexdef AS d FROM pg_indexes WHERE schemaname = 'public'`);
    existing = r.rows.map((x) => ({ table: x.t, text: x.d }));
  } finally {
    await c.end();
  }
  const added = definitions.map((d) => ({ table: tableOf(d), text: d }));
  const count = (indexes: readonly IndexOn[]): number => {
    let total = 0;
    for (const t of templates) {
      const sql = t.sql(1);
      const ins = /^\s*INSERT\s+INTO\s+(\w+)/i.exec(sql);
      const upd = /^\s*UPDATE\s+(\w+)\s+SET\s+(.+?)\s+WHERE/i.exec(sql);
      const table = ins?.[1] ?? upd?.[1];
      if (table === undefined) continue;
      const on = indexes.filter((i) => i.table === table);
      if (ins !== null) total += t.calls * on.length;
      else if (upd !== null) {
        const set = [...(upd[2] ?? '').matchAll(/(\w+)\s*=/g)].map((m) => m[1] ?? '');
        if (on.some((i) => set.some((col) => mentions(i.text, col)))) total += t.calls * on.length;
      }
    }
    return total;
  };
  return count([...existing, ...added]) - count(existing);
}
