import type { Finding, JsonValue } from '../model/index.ts';

/** Finding rules whose table target is about how the table is READ: they join the statement that reads it most. */
export const READ_PATH_RULES: ReadonlySet<string> = new Set(['seq-scan-heavy-tables']);

/** Finding rules about a column (a foreign key without an index): they join the statement that filters on it. */
export const COLUMN_READ_RULES: ReadonlySet<string> = new Set(['fk-without-index']);

/** Rules that are about the health of the database (risk), not time: ranked by risk. */
export const RISK_RULES: ReadonlySet<string> = new Set([
  'xid-wraparound',
  'sequence-overflow',
  'schema-int4-primary-key',
  'replication-slots',
  'replication-lag',
  'invalid-indexes',
  'not-valid-constraints',
  'deadlocks',
  'lock-blocking',
  'idle-in-transaction',
  'long-running-queries',
  'connection-usage',
  'analyzer-error',
]);

/**
 * Settings that name one topic: checkpoint-frequency and the config tuner both talk about
 * max_wal_size; the autovacuum analyzers and the tuner about autovacuum_*. One problem each.
 */
export function settingTopic(setting: string): string {
  if (/^autovacuum/.test(setting)) return 'autovacuum';
  if (/^(max_wal_size|min_wal_size|checkpoint_)/.test(setting)) return 'checkpoints';
  return setting;
}

/** Rule → topic for database-wide findings that are the same subject as some settings. */
const RULE_TOPIC: Readonly<Record<string, string>> = {
  'checkpoint-frequency': 'checkpoints',
  'autovacuum-settings': 'autovacuum',
};

/** Statement fingerprints a finding names in its evidence (e.g. an index recommendation's statements). */
export function evidenceFingerprints(f: Finding): string[] {
  const out: string[] = [];
  const visit = (v: JsonValue, depth: number): void => {
    if (depth > 3 || v === null || typeof v !== 'object') return;
    if (Array.isArray(v)) {
      for (const x of v) visit(x as JsonValue, depth + 1);
      return;
    }
    const o = v as Record<string, JsonValue>;
    if (typeof o.fingerprint === 'string') out.push(o.fingerprint);
    for (const x of Object.values(o)) visit(x, depth + 1);
  };
  for (const [k, v] of Object.entries(f.evidence)) {
    if (k === 'fingerprint' && typeof v === 'string') out.push(v);
    else visit(v, 1);
  }
  return [...new Set(out)];
}

/** Where a finding belongs when it names no statement: table (partitions under their parent), index, setting, topic. */
export function ownKey(f: Finding, parentOf: (relation: string) => string): string {
  const t = f.target;
  if (f.rule === 'analyzer-error') return `database:analyzer-error:${t.name ?? f.title}`;
  // a table behind because autovacuum is off server-wide is that one setting's problem, not the table's
  if (f.rule === 'autovacuum-behind' && f.evidence.autovacuumEnabledOnServer === false) return 'setting:autovacuum';
  const topic = RULE_TOPIC[f.rule];
  if (topic !== undefined) return `setting:${topic}`;
  if (t.setting !== undefined) return `setting:${settingTopic(t.setting)}`;
  if (t.kind === 'index' && t.index !== undefined) {
    const table = t.relation === undefined ? undefined : parentOf(t.relation);
    // an index on a partition is one of many copies of the parent's index: one problem per parent and rule
    if (table !== undefined && t.relation !== undefined && table !== t.relation) return `table:${table}:${f.rule}`;
    return `index:${t.index}`;
  }
  if (t.relation !== undefined) return `table:${parentOf(t.relation)}`;
  if (t.kind === 'sequence' && t.name !== undefined) return `sequence:${t.name}`;
  if (t.location !== undefined) return `code:${t.location}`;
  return `database:${f.rule}`;
}
