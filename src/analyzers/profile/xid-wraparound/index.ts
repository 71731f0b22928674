import { defineAnalyzer } from '../../../engine/analyzer.ts';
import type { Finding, Severity } from '../../../model/index.ts';
import { formatCount, percent, round } from '../../../format/format.ts';
import { settingNumber } from '../settings-lookup.ts';

/** PostgreSQL refuses new transaction ids when ~2^31 are in use (minus a safety margin). */
const LIMIT = 2 ** 31;

export const xidWraparound = defineAnalyzer({
  id: 'xid-wraparound',
  phase: 'profile',
  title: 'Transaction ID and multixact wraparound',
  description:
    'Age of the oldest unfrozen transaction id and multixact per database, and the tables holding them back: at 2^31 the server stops accepting writes until a VACUUM freezes them.',
  depth: 1,
  requires: {},
  options: {
    warnRemaining: { default: 500_000_000, description: 'warn when fewer ids than this remain before the 2^31 limit' },
    criticalRemaining: { default: 100_000_000, description: 'critical when fewer ids than this remain' },
    tables: { default: 5, description: 'how many of the oldest tables to list' },
  },
  run({ snapshot, options }) {
    const findings: Finding[] = [];
    const freezeMax = settingNumber(snapshot, 'autovacuum_freeze_max_age', 200_000_000);
    const mxFreezeMax = settingNumber(snapshot, 'autovacuum_multixact_freeze_max_age', 400_000_000);
    const oldestTables = [...snapshot.tables]
      .filter((t) => t.frozenXidAge > 0)
      .sort((a, b) => b.frozenXidAge - a.frozenXidAge)
      .slice(0, options.tables)
      .map((t) => ({ table: t.qualifiedName, frozenXidAge: t.frozenXidAge, totalBytes: t.totalBytes }));
    for (const d of snapshot.databaseAges) {
      for (const kind of ['xid', 'multixact'] as const) {
        const age = kind === 'xid' ? d.frozenXidAge : d.minMxidAge;
        const remaining = LIMIT - age;
        const forced = kind === 'xid' ? freezeMax : mxFreezeMax;
        let severity: Severity | null = null;
        if (remaining < options.criticalRemaining) severity = 'critical';
        else if (remaining < options.warnRemaining) severity = 'warning';
        if (severity === null) continue;
        const label = kind === 'xid' ? 'transaction id' : 'multixact id';
        findings.push({
          rule: kind === 'xid' ? 'xid-wraparound' : 'multixact-wraparound',
          severity,
          title: `Database ${d.name}: ${formatCount(remaining)} ${label}s left before wraparound (age ${formatCount(age)})`,
          target: { kind: 'database', name: d.name },
          evidence: {
            database: d.name,
            kind,
            age,
            remaining,
            usedRatio: round(age / LIMIT, 4),
            autovacuumFreezeMaxAge: forced,
            antiWraparoundVacuumDue: age > forced,
            warnRemaining: options.warnRemaining,
            criticalRemaining: options.criticalRemaining,
            oldestTables: d.name === snapshot.server.database && kind === 'xid' ? oldestTables : [],
          },
          impact: {
            score: (1 - remaining / LIMIT) * 100_000,
            summary: `${percent(age / LIMIT)} of the ${label} space used; at the limit the database stops accepting writes`,
          },
          description:
            `Autovacuum starts forced anti-wraparound vacuums past autovacuum_${kind === 'xid' ? '' : 'multixact_'}freeze_max_age (${formatCount(forced)}); ` +
            'an age far above that means those vacuums cannot finish: a long transaction, an abandoned prepared transaction or replication slot holds the horizon back, or the tables are too large for the current vacuum cost limits.',
          nextSteps: [
            'look for what holds the horizon back: long transactions, idle in transaction sessions, pg_prepared_xacts, inactive replication slots (this report)',
            'freeze the oldest tables first (listed in the evidence)',
          ],
          fix: {
            kind: 'sql',
            content:
              d.name === snapshot.server.database && oldestTables.length > 0
                ? oldestTables.map((t) => `VACUUM (FREEZE, VERBOSE) ${t.table};`).join('\n')
                : `-- connect to ${d.name} and run:\nVACUUM (FREEZE, VERBOSE);`,
            lockLevel: 'SHARE UPDATE EXCLUSIVE (reads and writes continue)',
            safety: 'safe',
            verified: false,
            verification: 'the freeze only advances once nothing holds back the horizon; check the next steps first',
          },
        });
      }
    }
    return findings;
  },
});
