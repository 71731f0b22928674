import type { Snapshot } from '../model/index.ts';
import type { ParamUse } from './statement-shape.ts';

export interface StatementVariants {
  readonly variants: string[];
  readonly notes: string[];
}

function quote(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

/** Replaces $n outside string literals. */
export function substituteParams(sql: string, values: ReadonlyMap<number, string>): string {
  let out = '';
  let i = 0;
  while (i < sql.length) {
    const c = sql[i];
    if (c === "'") {
      const end = sql.indexOf("'", i + 1);
      const stop = end === -1 ? sql.length : end + 1;
      out += sql.slice(i, stop);
      i = stop;
      continue;
    }
    if (c === '$') {
      const m = /^\$(\d+)/.exec(sql.slice(i));
      if (m !== null) {
        const v = values.get(Number(m[1]));
        out += v ?? m[0];
        i += m[0].length;
        continue;
      }
    }
    out += c;
    i++;
  }
  return out;
}

function at<T>(list: readonly T[] | null | undefined, fraction: number): T | undefined {
  if (list === null || list === undefined || list.length === 0) return undefined;
  return list[Math.min(list.length - 1, Math.max(0, Math.round((list.length - 1) * fraction)))];
}

/**
 * Two constant sets drawn from pg_stats so a skewed column is judged on real selectivities:
 * set 0 is the common case (most common value, a narrow range), set 1 a typical one (a histogram
 * value, a wider range).
 */
function valueFor(use: ParamUse, set: number, snapshot: Snapshot): string | undefined {
  if (use.op === 'limit') return '20';
  if (use.op === 'offset') return '0';
  if (use.op === 'like') return undefined;
  const table = snapshot.tables.find((t) => t.qualifiedName === use.table);
  const stats = table?.columns.find((c) => c.name === use.column)?.stats;
  if (stats === null || stats === undefined) return undefined;
  const hist = stats.histogramBounds?.filter((v): v is string => v !== null) ?? null;
  const mcv = stats.mostCommonVals?.filter((v): v is string => v !== null) ?? null;
  const pick = (fractions: readonly [number, number]): string | undefined => at(hist, fractions[set] ?? 0.5) ?? at(mcv, set === 0 ? 0 : 1);
  let v: string | undefined;
  switch (use.op) {
    case 'eq':
      v = set === 0 ? (at(mcv, 0) ?? at(hist, 0.5)) : (at(hist, 0.5) ?? at(mcv, 1));
      break;
    case 'lt':
      v = pick([0.1, 0.5]);
      break;
    case 'gt':
      v = pick([0.9, 0.5]);
      break;
    case 'between-lo':
      v = pick([0.48, 0.25]);
      break;
    case 'between-hi':
      v = pick([0.52, 0.75]);
      break;
  }
  return v === undefined ? undefined : quote(v);
}

/**
 * The SQL texts planned for one statement. Without parameters: the statement itself. With them:
 * on 16+ the generic plan (EXPLAIN GENERIC_PLAN) plus the constant sets; on 14/15 the constant
 * sets alone, or the generic plan through PREPARE when a parameter has no statistics to draw from.
 */
export function statementVariants(sql: string, params: ReadonlyMap<number, ParamUse>, paramCount: number, snapshot: Snapshot): StatementVariants {
  if (paramCount === 0) return { variants: [sql], notes: ['constants as written'] };
  const sets: string[] = [];
  for (let set = 0; set < 2; set++) {
    const values = new Map<number, string>();
    for (let n = 1; n <= paramCount; n++) {
      const use = params.get(n);
      const v = use === undefined ? undefined : valueFor(use, set, snapshot);
      if (v !== undefined) values.set(n, v);
    }
    if (values.size === paramCount) {
      const text = substituteParams(sql, values);
      if (!sets.includes(text)) sets.push(text);
    }
  }
  const generic = snapshot.server.versionNum >= 160000 || sets.length === 0;
  const notes = [
    ...(generic ? [snapshot.server.versionNum >= 160000 ? 'generic plan (EXPLAIN GENERIC_PLAN)' : 'generic plan (PREPARE, plan_cache_mode = force_generic_plan)'] : []),
    ...(sets.length > 0 ? [`${sets.length} constant set(s) from pg_stats most common values and histogram bounds`] : []),
  ];
  return { variants: [...(generic ? [sql] : []), ...sets], notes };
}
