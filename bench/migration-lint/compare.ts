/**
 * Runs `db-optimize migrate lint` (library call) and squawk (npm squawk-cli binary) on every
 * file of the corpus and prints a table of rule hits per file. A file may pin the PostgreSQL
 * version with a first-line comment `-- pg-version: N`.
 * Usage: npx tsx bench/migration-lint/compare.ts [--markdown]
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { lintMigration } from '../../src/migrate/lint/lint-migration.ts';
import { resolveRuleName } from '../../src/migrate/lint/lint-rules.ts';

const here = dirname(fileURLToPath(import.meta.url));
const squawkBin = join(here, '../../node_modules/.bin/squawk');

/** dangerous: breaks or blocks production; safe: must pass; style: conventions only (idempotency, types, timeouts), not scored. */
export type CorpusKind = 'dangerous' | 'safe' | 'style';
const KINDS: readonly CorpusKind[] = ['dangerous', 'safe', 'style'];

export interface FileComparison {
  readonly file: string;
  readonly kind: CorpusKind;
  readonly ours: readonly string[];
  /** our rules that fail the default exit code (critical, warning): what a CI run sees */
  readonly oursFailing: readonly string[];
  readonly squawk: readonly string[];
  /** squawk rules we did not report (mapped to our ids) */
  readonly missed: readonly string[];
}

function squawkRules(path: string, pgVersion: number): string[] {
  let out: string;
  try {
    out = execFileSync(squawkBin, ['--reporter', 'json', `--pg-version=${pgVersion}.0`, path], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  } catch (error) {
    out = String((error as { stdout?: string }).stdout ?? '[]');
  }
  const parsed = JSON.parse(out === '' ? '[]' : out) as { rule_name: string }[];
  return [...new Set(parsed.map((p) => p.rule_name))].sort();
}

export function squawkVersion(): string {
  return execFileSync(squawkBin, ['--version'], { encoding: 'utf8' }).trim();
}

export async function compareCorpus(): Promise<FileComparison[]> {
  const rows: FileComparison[] = [];
  for (const kind of KINDS) {
    const dir = join(here, 'corpus', kind);
    for (const f of readdirSync(dir).filter((x) => x.endsWith('.sql')).sort()) {
      const path = join(dir, f);
      const sql = readFileSync(path, 'utf8');
      const pgVersion = Number(/^-- pg-version:\s*(\d+)/m.exec(sql)?.[1] ?? 17);
      const result = await lintMigration(sql, { file: `${kind}/${f}`, pgVersion });
      const ours = [...new Set(result.violations.map((v) => v.rule))].sort();
      const oursFailing = [...new Set(result.violations.filter((v) => v.severity !== 'info').map((v) => v.rule))].sort();
      const squawk = squawkRules(path, pgVersion);
      const missed = squawk.filter((s) => !resolveRuleName(s).some((id) => ours.includes(id)));
      rows.push({ file: `${kind}/${f}`, kind, ours, oursFailing, squawk, missed });
    }
  }
  return rows;
}

export function markdownTable(rows: readonly FileComparison[]): string {
  const lines = ['| file | squawk | db-optimize (failing) | db-optimize (info, reminders) | missed |', '| --- | --- | --- | --- | --- |'];
  for (const r of rows) {
    const quiet = r.ours.filter((x) => !r.oursFailing.includes(x));
    lines.push(`| ${r.file} | ${r.squawk.join(', ') || '—'} | ${r.oursFailing.join(', ') || '—'} | ${quiet.join(', ')} | ${r.missed.join(', ')} |`);
  }
  return lines.join('\n');
}

/**
 * Truth is the folder (dangerous / safe). A tool flags a file when its default exit code fails:
 * squawk on any hit, db-optimize on a critical or warning finding (info and reminders do not fail).
 */
export function score(rows: readonly FileComparison[]): {
  dangerous: number;
  safe: number;
  recallUs: number;
  recallSquawk: number;
  falseAlarmsUs: number;
  falseAlarmsSquawk: number;
  squawkRuleHitsMissedByUs: number;
} {
  const dangerous = rows.filter((r) => r.kind === 'dangerous');
  const safe = rows.filter((r) => r.kind === 'safe');
  return {
    dangerous: dangerous.length,
    safe: safe.length,
    recallUs: dangerous.filter((r) => r.oursFailing.length > 0).length,
    recallSquawk: dangerous.filter((r) => r.squawk.length > 0).length,
    falseAlarmsUs: safe.filter((r) => r.oursFailing.length > 0).length,
    falseAlarmsSquawk: safe.filter((r) => r.squawk.length > 0).length,
    squawkRuleHitsMissedByUs: dangerous.reduce((n, r) => n + r.missed.length, 0),
  };
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  const rows = await compareCorpus();
  if (process.argv.includes('--markdown')) {
    console.log(markdownTable(rows));
  } else {
    for (const r of rows) {
      const wrong = r.kind === 'safe' ? r.oursFailing.length > 0 : r.missed.length > 0 || (r.kind === 'dangerous' && r.oursFailing.length === 0);
      console.log(`${wrong ? '✗' : '✓'} ${r.file}\n   squawk: ${r.squawk.join(', ') || '-'}\n   ours:   ${r.oursFailing.join(', ') || '-'}${r.missed.length > 0 ? `\n   MISSED: ${r.missed.join(', ')}` : ''}`);
    }
  }
  console.log(JSON.stringify({ squawk: squawkVersion(), files: rows.length, ...score(rows) }, null, 2));
  const timing = await timeBoth();
  console.log(JSON.stringify(timing, null, 2));
}

/** Wall time to lint the whole corpus: squawk in one process vs our CLI in one process (both include start-up). */
export async function timeBoth(): Promise<{ files: number; squawkMs: number; dbOptimizeMs: number; ratio: number }> {
  const files = KINDS.flatMap((k) => readdirSync(join(here, 'corpus', k)).filter((f) => f.endsWith('.sql')).map((f) => join(here, 'corpus', k, f)));
  const t0 = performance.now();
  try {
    execFileSync(squawkBin, ['--reporter', 'json', ...files], { stdio: 'ignore' });
  } catch {
    // squawk exits 1 when it finds something
  }
  const squawkMs = performance.now() - t0;
  const t1 = performance.now();
  try {
    execFileSync(process.execPath, [join(here, '../../bin/db-optimize.js'), 'migrate', 'lint', '--format', 'json', ...files], { stdio: 'ignore' });
  } catch {
    // exit 1 on findings
  }
  const dbOptimizeMs = performance.now() - t1;
  return { files: files.length, squawkMs: Math.round(squawkMs), dbOptimizeMs: Math.round(dbOptimizeMs), ratio: Math.round((dbOptimizeMs / squawkMs) * 10) / 10 };
}
