import type { PartitionFacts } from '../collect/maintenance-facts.ts';
import { quoteLiteral } from '../sql/quote.ts';

export type PartitionInterval = 'day' | 'week' | 'month' | 'year';

/** The key types a plain-SQL partition job can compute bounds for, as SQL type names. */
const KEY_TYPES: Readonly<Record<string, string>> = {
  date: 'date',
  'timestamp without time zone': 'timestamp',
  'timestamp with time zone': 'timestamptz',
};

const RANGE_BOUND = /^FOR VALUES FROM \('([^']+)'\) TO \('([^']+)'\)$/;

/** The interval the existing partitions follow (every non-default partition the same length), or null. */
export function partitionInterval(p: PartitionFacts): PartitionInterval | null {
  if (!/^RANGE \(/.test(p.keyDefinition) || p.keyColumn === null) return null;
  const days = new Set<PartitionInterval | null>();
  for (const part of p.partitions) {
    if (part.bound === 'DEFAULT') continue;
    const m = RANGE_BOUND.exec(part.bound);
    if (m === null) return null;
    const from = parseBound(m[1] ?? '');
    const to = parseBound(m[2] ?? '');
    if (!Number.isFinite(from) || !Number.isFinite(to)) return null;
    const d = Math.round((to - from) / 86_400_000);
    days.add(d === 1 ? 'day' : d === 7 ? 'week' : d >= 28 && d <= 31 ? 'month' : d === 365 || d === 366 ? 'year' : null);
  }
  if (days.size !== 1) return null;
  return [...days][0] ?? null;
}

/** A bound as the server prints it: '2026-09-01', '2026-09-01 00:00:00' or '2026-09-01 00:00:00+02' (offset without minutes). */
function parseBound(text: string): number {
  const iso = text.replace(' ', 'T');
  return Date.parse(/T[\d:.]+[+-]\d\d$/.test(iso) ? `${iso}:00` : /T[\d:.]+$/.test(iso) ? `${iso}Z` : iso);
}

/** The SQL type of a single-column time key, or null when the key is something else. */
export function timeKeyType(p: PartitionFacts): string | null {
  return p.keyType === null ? null : (KEY_TYPES[p.keyType.replace(/\(\d\)/, '')] ?? null);
}

/**
 * A DO block that creates the partitions for the current interval and the next `premake` ones.
 * An existing or overlapping partition, or a default partition already holding rows of the range,
 * is skipped with a NOTICE: the job never fails on a partition someone created by hand.
 */
export function createPartitionsSql(p: PartitionFacts, interval: PartitionInterval, keyType: string, premake: number): string {
  const step = `make_interval(${interval === 'day' ? 'days' : interval === 'week' ? 'weeks' : interval === 'month' ? 'months' : 'years'} => i)`;
  const unit = `make_interval(${interval === 'day' ? 'days' : interval === 'week' ? 'weeks' : interval === 'month' ? 'months' : 'years'} => 1)`;
  const stamp = interval === 'year' ? 'YYYY' : interval === 'month' ? 'YYYYMM' : 'YYYYMMDD';
  return [
    'DO $dbopt$',
    'DECLARE',
    '  lower_bound timestamp;',
    'BEGIN',
    `  FOR i IN 0..${Math.trunc(premake)} LOOP`,
    `    lower_bound := date_trunc(${quoteLiteral(interval)}, now()::timestamp) + ${step};`,
    '    BEGIN',
    `      EXECUTE format('CREATE TABLE IF NOT EXISTS %I.%I PARTITION OF %I.%I FOR VALUES FROM (%L) TO (%L)',`,
    `        ${quoteLiteral(p.schema)}, left(${quoteLiteral(p.name)}, 50) || '_p' || to_char(lower_bound, ${quoteLiteral(stamp)}),`,
    `        ${quoteLiteral(p.schema)}, ${quoteLiteral(p.name)}, lower_bound::${keyType}, (lower_bound + ${unit})::${keyType});`,
    '    EXCEPTION WHEN invalid_object_definition OR check_violation THEN',
    `      RAISE NOTICE 'partition of % from % not created: %', ${quoteLiteral(p.parent)}, lower_bound, SQLERRM;`,
    '    END;',
    '  END LOOP;',
    'END',
    '$dbopt$',
  ].join('\n');
}

/** A DO block that detaches and drops the partitions whose whole range is older than the retention. */
export function dropOldPartitionsSql(p: PartitionFacts, keyType: string, retentionDays: number): string {
  return [
    'DO $dbopt$',
    'DECLARE',
    '  r record;',
    'BEGIN',
    '  FOR r IN SELECT ch.oid::regclass AS part, substring(pg_get_expr(ch.relpartbound, ch.oid) FROM $re$TO \\(\'([^\']+)\'\\)$re$) AS upper_bound',
    `           FROM pg_inherits i JOIN pg_class ch ON ch.oid = i.inhrelid WHERE i.inhparent = ${quoteLiteral(p.parent)}::regclass LOOP`,
    `    IF r.upper_bound IS NOT NULL AND r.upper_bound::${keyType} <= now() - make_interval(days => ${Math.trunc(retentionDays)}) THEN`,
    `      EXECUTE format('ALTER TABLE %s DETACH PARTITION %s', ${quoteLiteral(p.parent)}::regclass, r.part);`,
    "      EXECUTE format('DROP TABLE %s', r.part);",
    '    END IF;',
    '  END LOOP;',
    'END',
    '$dbopt$',
  ].join('\n');
}
