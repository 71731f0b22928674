import { mkdtempSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Ajv } from 'ajv';
import Ajv04 from 'ajv-draft-04';
import addFormats from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { lintMigration } from '../../src/migrate/lint/lint-migration.ts';
import { violationToFinding } from '../../src/migrate/lint/lint-report.ts';
import type { Finding, Report } from '../../src/model/index.ts';
import { renderSarif } from '../../src/render/index.ts';
import { parseFileLocation } from '../../src/render/sarif-location.ts';
import { allRules } from '../../src/rules/rule-reference.ts';
import { initSqlParser } from '../../src/sql/index.ts';
import { runCli } from '../helpers/run-cli.ts';
import { SAMPLE_REPORT } from '../helpers/sample-report.ts';

// The SARIF 2.1.0 JSON schema as shipped by Microsoft's @microsoft/jest-sarif (MIT): we do not keep a copy.
const require = createRequire(import.meta.url);
const schema = JSON.parse(readFileSync(require.resolve('@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json'), 'utf8')) as object;
const ajv = new (Ajv04 as unknown as new (o: object) => Ajv)({ allErrors: true, strict: false, unicodeRegExp: false }); // the rtm.5 schema's language pattern is not a valid unicode regex
(addFormats as unknown as (a: unknown) => void)(ajv);
const validate = ajv.compile(schema);
const schemaErrors = (log: unknown): string[] => (validate(log) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message ?? ''}`));

interface SarifResult {
  ruleId: string;
  ruleIndex: number;
  level: string;
  message: { text: string };
  locations: { physicalLocation: { artifactLocation: { uri: string; uriBaseId?: string }; region?: { startLine: number; startColumn?: number } } }[];
}
interface SarifLog {
  version: string;
  runs: { tool: { driver: { name: string; rules: { id: string; shortDescription: { text: string }; defaultConfiguration: { level: string } }[] } }; results: SarifResult[]; properties: { findingsWithoutFileLocation: number } }[];
}

const MIGRATION = "BEGIN;\nALTER TABLE users ADD COLUMN token uuid NOT NULL DEFAULT gen_random_uuid();\nCREATE INDEX users_token_idx ON users (token);\nCOMMIT;\n";

async function lintReport(): Promise<Report> {
  await initSqlParser();
  const lint = await lintMigration(MIGRATION, { file: 'db/migrations/001_add_token.sql', pgVersion: 15 });
  // an N+1 finding from a captured call site (absolute path under the repository), one outside it, one without a file
  const n1 = (location: string): Finding => ({
    rule: 'n1-query',
    severity: 'warning',
    title: `1 + N: orders loaded once per user row at ${location}`,
    target: { kind: 'code', location, relation: 'orders' },
    evidence: { queries: 101 },
    impact: { score: 10, summary: '100 extra round trips per request' },
  });
  return {
    ...SAMPLE_REPORT,
    command: 'migrate lint',
    findings: [...lint.violations.map(violationToFinding), n1('/srv/app/src/routes/users.ts:42:13'), n1('/opt/vendor/lib.js:7'), n1('handleRequest')],
  };
}

describe('--format sarif', () => {
  it('migrate lint findings: valid SARIF 2.1.0 with the locations GitHub code scanning needs (golden)', async () => {
    const text = renderSarif(await lintReport(), { rules: allRules(), baseDir: '/srv/app' });
    await expect(text).toMatchFileSnapshot('../fixtures/golden/migrate-lint.sarif.json');
    const log = JSON.parse(text) as SarifLog;
    expect(schemaErrors(log)).toEqual([]);
    expect(log.version).toBe('2.1.0');
    const run = log.runs[0];
    if (run === undefined) throw new Error('no run');
    const rules = run.tool.driver.rules;
    for (const r of run.results) {
      expect(rules[r.ruleIndex]?.id).toBe(r.ruleId);
      expect(['error', 'warning', 'note']).toContain(r.level);
      const loc = r.locations[0]?.physicalLocation;
      if (loc?.artifactLocation.uriBaseId !== undefined) {
        // relative: no scheme, no leading slash, and a line to annotate
        expect(loc.artifactLocation.uri).not.toMatch(/^[a-z]+:|^\//);
        expect(loc.region?.startLine).toBeGreaterThanOrEqual(1);
      }
    }
    const byRule = (id: string): SarifResult[] => run.results.filter((r) => r.ruleId === id);
    const field = byRule('adding-field-with-default')[0];
    expect(field?.level).toBe('error');
    expect(field?.locations[0]?.physicalLocation).toEqual({ artifactLocation: { uri: 'db/migrations/001_add_token.sql', uriBaseId: '%SRCROOT%' }, region: { startLine: 2, startColumn: 1 } });
    expect(field?.message.text).toContain('gen_random_uuid');
    expect(byRule('require-concurrent-index-creation')[0]?.locations[0]?.physicalLocation.region?.startLine).toBe(3);
    // descriptors come from the rule registry, not from the finding
    const lintRule = allRules().find((r) => r.id === 'require-concurrent-index-creation');
    expect(rules.find((r) => r.id === 'require-concurrent-index-creation')?.shortDescription.text).toBe(lintRule?.title);
    const n1 = byRule('n1-query').map((r) => r.locations[0]?.physicalLocation.artifactLocation.uri);
    expect(n1).toEqual(['src/routes/users.ts', 'file:///opt/vendor/lib.js']);
    expect(run.properties.findingsWithoutFileLocation).toBe(1);
  });

  it('a report without file locations is a valid, empty run', () => {
    const log = JSON.parse(renderSarif(SAMPLE_REPORT, { rules: allRules() })) as SarifLog;
    expect(schemaErrors(log)).toEqual([]);
    expect(log.runs[0]?.results).toEqual([]);
    expect(log.runs[0]?.properties.findingsWithoutFileLocation).toBe(SAMPLE_REPORT.findings.length);
  });

  it('the schema check is real: a result without a message is rejected', async () => {
    const log = JSON.parse(renderSarif(await lintReport(), { rules: allRules() })) as { runs: { results: Record<string, unknown>[] }[] };
    delete log.runs[0]?.results[0]?.message;
    expect(schemaErrors(log).join()).toMatch(/message/);
  });

  it('parses lint, capture and OpenTelemetry locations', () => {
    expect(parseFileLocation('db/m 1.sql:3:5')).toEqual({ uri: 'db/m%201.sql', relative: true, startLine: 3, startColumn: 5 });
    expect(parseFileLocation('./a.sql:1')).toEqual({ uri: 'a.sql', relative: true, startLine: 1 });
    expect(parseFileLocation('file:///repo/src/a.ts:9:2', '/repo')).toEqual({ uri: 'src/a.ts', relative: true, startLine: 9, startColumn: 2 });
    expect(parseFileLocation('C:\\repo\\x.ts:4', 'C:\\repo')).toEqual({ uri: 'x.ts', relative: true, startLine: 4 });
    expect(parseFileLocation('handleRequest')).toBeNull();
  });

  it('CLI: migrate lint --format sarif prints SARIF, paths relative to the working directory, exit 1', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dbo-sarif-'));
    mkdirSync(join(dir, 'migrations'));
    const file = join(dir, 'migrations', '001_add_token.sql');
    writeFileSync(file, MIGRATION);
    const r = await runCli(['migrate', 'lint', file, '--format', 'sarif']);
    expect(r.code).toBe(1);
    const log = JSON.parse(r.stdout) as SarifLog;
    expect(schemaErrors(log)).toEqual([]);
    const uris = log.runs[0]?.results.map((x) => x.locations[0]?.physicalLocation.artifactLocation.uri) ?? [];
    expect(uris.length).toBeGreaterThan(0);
    // an absolute path outside the working directory stays absolute (file:), inside it would be relative
    for (const u of uris) expect(u).toBe(`file://${file}`);
  });

  it('CLI: n1 --format sarif puts the N+1 call sites of a trace at their file and line, relative to the repository', async () => {
    const r = await runCli(['n1', '--otlp', 'test/fixtures/n1/node-shop.otlp.json', '--format', 'sarif']);
    expect(r.code, r.stderr).toBe(0);
    const log = JSON.parse(r.stdout) as SarifLog;
    expect(schemaErrors(log)).toEqual([]);
    const results = log.runs[0]?.results ?? [];
    expect(results.length).toBeGreaterThan(0);
    for (const x of results) {
      expect(x.ruleId).toMatch(/^n1-/);
      const loc = x.locations[0]?.physicalLocation;
      expect(loc?.artifactLocation).toEqual({ uri: expect.stringMatching(/^test\/apps\/node-shop\/[\w-]+\.ts$/) as string, uriBaseId: '%SRCROOT%' });
      expect(loc?.region?.startLine).toBeGreaterThan(0);
    }
  });
});
