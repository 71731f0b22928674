import { defineAnalyzer } from '../../../engine/analyzer.ts';
import type { Finding } from '../../../model/index.ts';
import { changeTypeCommand, tableRows } from '../../../schema-review/column-roles.ts';
import { formatCount, percent, round } from '../../../format/format.ts';
import { loadEvidence } from '../../../advisor/write-model.ts';

const INT4_MAX = 2_147_483_647;

export const schemaInt4PrimaryKey = defineAnalyzer({
  id: 'schema-int4-primary-key',
  phase: 'optimize',
  title: 'integer primary keys on fast-growing tables',
  description: 'A 32-bit key stops at 2,147,483,647: inserts fail. Widening it later rewrites the table and every referencing foreign key.',
  depth: 3,
  requires: {},
  options: {
    warnYears: { default: 5, description: 'warn when the key runs out within this many years at the observed insert rate' },
    warnFill: { default: 0.25, description: 'warn when this share of the int4 range is already used' },
    minStatsAgeHours: { default: 24, description: 'extrapolate the insert rate only from statistics at least this old (shorter windows are held back)' },
  },
  run({ snapshot, options }) {
    const findings: Finding[] = [];
    const window = snapshot.server.statsAgeSeconds;
    for (const pk of snapshot.constraints) {
      if (pk.type !== 'primary' || pk.columns.length !== 1) continue;
      const t = snapshot.tables.find((x) => x.qualifiedName === pk.table);
      const col = t?.columns.find((c) => c.name === pk.columns[0]);
      if (t === undefined || col === undefined || col.type !== 'integer') continue;
      const seq = snapshot.sequences.find((s) => s.ownedBy?.table === t.qualifiedName && s.ownedBy.column === col.name);
      const used = Math.max(seq?.lastValue ?? 0, tableRows(t));
      const fill = used / INT4_MAX;
      const inserts = t.activity?.nTupIns ?? 0;
      // a bulk load or restore is not a rate: its inserts will not recur (the advisor's write model says which tables look loaded)
      const load = loadEvidence(t, snapshot);
      const rawPerDay = window > 0 ? (inserts * 86_400) / window : 0;
      const perDay = load === null ? rawPerDay : 0;
      const daysLeft = perDay > 0 ? (INT4_MAX - used) / perDay : null;
      const soon = daysLeft !== null && daysLeft < options.warnYears * 365;
      const requiredSeconds = options.minStatsAgeHours * 3600;
      const ddl = snapshot.server.database === 'ddl';
      if (!soon && fill < options.warnFill && !ddl) continue;
      const referencing = snapshot.constraints.filter((k) => k.type === 'foreign' && k.references?.table === t.qualifiedName);
      findings.push({
        rule: 'schema-int4-primary-key',
        severity: soon || fill >= 0.5 ? 'critical' : ddl ? 'info' : 'warning',
        title: `${t.qualifiedName}.${col.name} is an integer primary key${daysLeft === null ? '' : ` with ~${Math.round(daysLeft / 365)} years of ids left`}`,
        target: { kind: 'table', relation: t.qualifiedName, column: col.name },
        evidence: {
          column: col.name,
          type: col.type,
          sequence: seq?.qualifiedName ?? null,
          lastValue: seq?.lastValue ?? null,
          rows: Math.round(tableRows(t)),
          rangeUsed: round(fill, 4),
          insertsPerDay: Math.round(perDay),
          daysLeft: daysLeft === null ? null : Math.round(daysLeft),
          referencingForeignKeys: referencing.map((k) => `${k.table}.${k.name}`),
          typeChange: { type: 'bigint', using: null, referencing: true },
        },
        impact: {
          score: soon ? 10_000 / Math.max(1, (daysLeft ?? 1) / 365) : fill * 100,
          summary: ddl
            ? 'no data to measure growth; bigint costs 4 bytes per row and never runs out'
            : `${percent(fill)} of the int4 range used${perDay > 0 ? `, ${formatCount(perDay)} inserts/day` : ''}`,
        },
        description: `Convert before it is urgent: the key and ${referencing.length} referencing column(s) must change together, with an expand/contract migration (new bigint column, trigger, backfill, swap).`,
        // a rate-only claim (the range is not yet filling up) needs a window long enough to extrapolate
        history: {
          windowSeconds: Math.round(window),
          ...(soon && fill < options.warnFill ? { requiredSeconds, option: 'schema-int4-primary-key.minStatsAgeHours' } : {}),
          note: load === null ? `insert rate from ${formatCount(inserts)} inserts over the statistics window` : `${load}: the insert rate is not extrapolated`,
        },
        fix: {
          kind: 'migration',
          content: [changeTypeCommand(t.qualifiedName, col.name, 'bigint'), ...referencing.map((k) => changeTypeCommand(k.table, k.columns[0] ?? '?', 'bigint')), ...(seq === undefined ? [] : [`ALTER SEQUENCE ${seq.qualifiedName} AS bigint;`])].join('\n'),
          safety: 'review',
          verified: false,
          verification: 'sequence position and insert rate from the statistics window',
        },
      });
    }
    return findings;
  },
});
