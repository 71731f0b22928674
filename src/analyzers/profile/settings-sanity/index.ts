import { defineAnalyzer } from '../../../engine/analyzer.ts';
import type { Finding, Severity } from '../../../model/index.ts';
import { setting } from '../settings-lookup.ts';

interface Check {
  readonly setting: string;
  readonly bad: (value: string) => boolean;
  readonly severity: Severity;
  readonly title: string;
  readonly why: string;
  readonly fix: string;
  readonly score: number;
}

const CHECKS: readonly Check[] = [
  {
    setting: 'fsync',
    bad: (v) => v === 'off',
    severity: 'critical',
    title: 'fsync is off: a crash can corrupt the database',
    why: 'Without fsync, PostgreSQL does not force WAL and data to disk; an OS crash or power loss can leave the cluster unrecoverable. Only acceptable for throwaway data.',
    fix: 'fsync = on',
    score: 100_000,
  },
  {
    setting: 'full_page_writes',
    bad: (v) => v === 'off',
    severity: 'critical',
    title: 'full_page_writes is off: torn pages after a crash cannot be repaired',
    why: 'Unless the storage guarantees atomic 8 kB writes, a crash mid-write leaves half-written pages that WAL replay cannot fix.',
    fix: 'full_page_writes = on',
    score: 50_000,
  },
  {
    setting: 'autovacuum',
    bad: (v) => v === 'off',
    severity: 'critical',
    title: 'autovacuum is off for the whole server',
    why: 'Dead tuples pile up, statistics go stale, and transaction id wraparound is only prevented by forced emergency vacuums.',
    fix: 'autovacuum = on',
    score: 20_000,
  },
  {
    setting: 'track_io_timing',
    bad: (v) => v === 'off',
    severity: 'info',
    title: 'track_io_timing is off: I/O time is missing from EXPLAIN and pg_stat_statements',
    why: 'Without it, BUFFERS output and pg_stat_statements cannot say how much of a statement\'s time was spent waiting for reads; the overhead is negligible on modern clocks (check with pg_test_timing).',
    fix: 'track_io_timing = on',
    score: 10,
  },
  {
    setting: 'log_min_duration_statement',
    bad: (v) => v === '-1',
    severity: 'info',
    title: 'log_min_duration_statement is unset: slow statements are not logged',
    why: 'The server log is the only record of individual slow executions with their actual parameters (pg_stat_statements keeps aggregates). A threshold such as 1 s costs little.',
    fix: "log_min_duration_statement = '1s'",
    score: 10,
  },
];

export const settingsSanity = defineAnalyzer({
  id: 'settings-sanity',
  phase: 'profile',
  title: 'Settings sanity',
  description:
    'Settings that risk data loss (fsync, full_page_writes off), disable maintenance (autovacuum off) or lose the evidence we need (track_io_timing off, no slow-query log, no pg_stat_statements).',
  depth: 1,
  requires: {},
  options: {
    checkObservability: { default: true, description: 'also report track_io_timing, log_min_duration_statement and pg_stat_statements (info/warning)' },
  },
  run({ snapshot, options }) {
    const findings: Finding[] = [];
    for (const check of CHECKS) {
      if (check.severity === 'info' && !options.checkObservability) continue;
      const s = setting(snapshot, check.setting);
      if (s === undefined || !check.bad(s.setting)) continue;
      findings.push({
        rule: 'settings-sanity',
        severity: check.severity,
        title: check.title,
        target: { kind: 'setting', setting: check.setting },
        evidence: { setting: check.setting, value: s.setting, unit: s.unit, source: s.source, context: s.context, bootValue: s.bootVal },
        impact: { score: check.score, summary: check.severity === 'critical' ? 'risk of data loss or runaway bloat' : 'less evidence for diagnosing slow queries' },
        description: check.why + (s.source === 'default' ? '' : ` (set by: ${s.source})`),
        fix: {
          kind: 'config',
          content: `# postgresql.conf, or ALTER SYSTEM SET … ; ${s.context === 'postmaster' ? 'needs a restart' : 'SELECT pg_reload_conf()'}\n${check.fix}`,
          safety: 'safe',
          verified: false,
          verification: 'configuration advice; db-optimize never changes server settings',
        },
      });
    }
    if (options.checkObservability) {
      const pgss = snapshot.extensions.find((e) => e.name === 'pg_stat_statements');
      const preload = setting(snapshot, 'shared_preload_libraries')?.setting ?? '';
      const loaded = /(^|,)\s*pg_stat_statements\s*(,|$)/.test(preload);
      if (pgss?.installedVersion === null || pgss === undefined || !loaded) {
        findings.push({
          rule: 'settings-sanity',
          severity: 'warning',
          title: `pg_stat_statements is ${!loaded ? 'not loaded' : 'not installed in this database'}: no per-statement workload statistics`,
          target: { kind: 'setting', setting: 'shared_preload_libraries' },
          evidence: { sharedPreloadLibraries: preload, loaded, installedVersion: pgss?.installedVersion ?? null, available: pgss !== undefined },
          impact: { score: 1000, summary: 'the query profiler, regressions and index advice need it' },
          description: 'pg_stat_statements is the standard record of which statements cost the most; without it db-optimize can only read the catalog.',
          fix: {
            kind: 'config',
            content: loaded
              ? 'CREATE EXTENSION pg_stat_statements;'
              : "# postgresql.conf (needs a restart)\nshared_preload_libraries = 'pg_stat_statements'\n# then, in this database:\n# CREATE EXTENSION pg_stat_statements;",
            safety: 'safe',
            verified: false,
            verification: 'configuration advice; the overhead of pg_stat_statements is a few percent at most',
          },
        });
      }
    }
    return findings;
  },
});
