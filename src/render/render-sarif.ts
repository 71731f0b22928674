import { createHash } from 'node:crypto';
import type { Finding, Report, RuleDefinition, Severity } from '../model/index.ts';
import { parseFileLocation } from './sarif-location.ts';
import type { SarifLocation } from './sarif-location.ts';

export interface SarifOptions {
  /** rule metadata for the descriptors (the CLI passes every registry's rules) */
  readonly rules?: readonly RuleDefinition[];
  /** the repository root: absolute file paths under it become relative URIs (GitHub needs them relative) */
  readonly baseDir?: string;
}

const LEVEL: Readonly<Record<Severity, 'error' | 'warning' | 'note'>> = { critical: 'error', warning: 'warning', info: 'note' };
const SRCROOT = '%SRCROOT%';

function descriptor(id: string, rule: RuleDefinition | undefined, example: Finding): Record<string, unknown> {
  const level = rule === undefined || rule.severity === 'varies' ? LEVEL[example.severity] : LEVEL[rule.severity];
  const short = rule?.title ?? example.title;
  const full = rule?.description ?? example.description ?? short;
  return {
    id,
    shortDescription: { text: short },
    fullDescription: { text: full },
    help: { text: `${full}${rule === undefined ? '' : `\nDocs: ${rule.docs} in the db-optimize package`}` },
    defaultConfiguration: { level },
    properties: { tags: ['performance', 'postgresql', ...(rule === undefined ? [] : [rule.kind])], ...(rule === undefined ? {} : { docs: rule.docs, command: rule.command }) },
  };
}

/** First line is the alert's title in code scanning; the fix follows so the reader need not open the report. */
function messageText(f: Finding): string {
  const head = f.target.kind === 'file' ? f.impact.summary : `${f.title}\n${f.impact.summary}`;
  const why = f.description === undefined ? '' : `\n${f.description}`;
  const fix = f.fix === undefined ? '' : `\nFix (${f.fix.kind}, ${f.fix.verified ? 'verified' : 'unverified'}):\n${f.fix.content}`;
  return `${head}${why}${fix}`;
}

function result(f: Finding, loc: SarifLocation, ruleIndex: number): Record<string, unknown> {
  const region = loc.startLine === undefined ? {} : { region: { startLine: loc.startLine, ...(loc.startColumn === undefined ? {} : { startColumn: loc.startColumn }) } };
  const statement = typeof f.evidence.statement === 'string' ? f.evidence.statement : '';
  // stable across runs and line moves: rule, file and what is flagged, not where
  const fingerprint = createHash('sha256').update(`${f.rule}\0${loc.uri}\0${statement || f.title}`).digest('hex');
  return {
    ruleId: f.rule,
    ruleIndex,
    level: LEVEL[f.severity],
    message: { text: messageText(f) },
    locations: [{ physicalLocation: { artifactLocation: loc.relative ? { uri: loc.uri, uriBaseId: SRCROOT } : { uri: loc.uri }, ...region } }],
    partialFingerprints: { 'dbOptimizeFinding/v1': fingerprint },
    ...(f.fix === undefined ? {} : { properties: { fix: f.fix.content, fixKind: f.fix.kind, fixSafety: f.fix.safety, fixVerified: f.fix.verified } }),
  };
}

/**
 * SARIF 2.1.0 for code scanning (GitHub, GitLab, IDEs): one result per finding that has a file
 * location (migrate lint violations, N+1 call sites); the others have no place in a source tree
 * and are counted in the run's properties.
 */
export function renderSarif(report: Report, options: SarifOptions = {}): string {
  const byId = new Map((options.rules ?? []).map((r) => [r.id, r]));
  const located: { f: Finding; loc: SarifLocation }[] = [];
  for (const f of report.findings) {
    const loc = f.target.location === undefined ? null : parseFileLocation(f.target.location, options.baseDir);
    if (loc !== null) located.push({ f, loc });
  }
  const ruleIds = [...new Set(located.map((x) => x.f.rule))].sort();
  const rules = ruleIds.map((id) => descriptor(id, byId.get(id), located.find((x) => x.f.rule === id)?.f as Finding));
  const log = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: { driver: { name: 'db-optimize', semanticVersion: report.tool.version, version: report.tool.version, rules } },
        automationDetails: { id: `db-optimize/${report.command.replace(/\s+/g, '-')}/` },
        results: located.map(({ f, loc }) => result(f, loc, ruleIds.indexOf(f.rule))),
        columnKind: 'utf16CodeUnits',
        properties: { command: report.command, generatedAt: report.generatedAt, findings: report.findings.length, findingsWithoutFileLocation: report.findings.length - located.length },
      },
    ],
  };
  return `${JSON.stringify(log, null, 2)}\n`;
}
