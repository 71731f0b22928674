import type { Finding, JsonValue } from './finding.ts';
import type { HeldBackFinding, PlanAction, Problem } from './problem.ts';
import type { ScorecardEntry } from './scorecard.ts';

export interface SkippedAnalyzer {
  readonly analyzer: string;
  readonly reason: string;
}

export interface ReportDatabase {
  readonly name?: string;
  readonly host?: string;
  readonly serverVersion?: string;
  readonly serverVersionNum?: number;
  readonly statsResetAt?: string | null;
  readonly statsAgeSeconds?: number | null;
  readonly uptimeSeconds?: number;
  readonly extensions?: readonly string[];
  readonly source?: string;
}

export interface ReportSection {
  readonly id: string;
  readonly title: string;
  /** free-form pre-rendered lines that belong to the command (e.g. an annotated plan tree) */
  readonly lines: readonly string[];
}

/** How long one analyzer ran and how many findings it produced. */
export interface AnalyzerTiming {
  readonly id: string;
  readonly phase: string;
  readonly findings: number;
  readonly ms: number;
}

export interface Report {
  readonly tool: { readonly name: 'db-optimize'; readonly version: string };
  readonly command: string;
  readonly generatedAt: string;
  readonly database: ReportDatabase;
  readonly findings: readonly Finding[];
  readonly skipped: readonly SkippedAnalyzer[];
  readonly analyzers?: readonly AnalyzerTiming[];
  readonly sections?: readonly ReportSection[];
  readonly workload?: { readonly [key: string]: JsonValue };
  /** the seed's target metrics, measured (first in every format) */
  readonly scorecard?: readonly ScorecardEntry[];
  /** findings grouped by root cause, ranked by estimated time saved per day (or risk) */
  readonly problems?: readonly Problem[];
  /** "do these first": at most five actions from the top problems */
  readonly actions?: readonly PlanAction[];
  /** the index and schema actions as one copy-paste migration (null when there are none) */
  readonly actionsMigration?: string | null;
  /** findings held back because the statistics cover less time than they need */
  readonly heldBack?: readonly HeldBackFinding[];
  /** command-specific top-level data (documented in schema/report.schema.json) */
  readonly [extra: string]: unknown;
}
