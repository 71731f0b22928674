import type { Report } from '../model/index.ts';

export const REPORT_URI_PREFIX = 'db-optimize://reports/';
export const LATEST_REPORT_URI = `${REPORT_URI_PREFIX}latest`;
const KEEP = 20;

export interface StoredReport {
  readonly uri: string;
  readonly tool: string;
  readonly at: string;
  readonly report: Report;
}

/** The last reports of this server, newest first: MCP resources the assistant can read back. */
export class ReportStore {
  private readonly reports: StoredReport[] = [];
  private seq = 0;

  add(tool: string, report: Report): StoredReport {
    this.seq += 1;
    const stored = { uri: `${REPORT_URI_PREFIX}${this.seq}-${tool}`, tool, at: report.generatedAt, report };
    this.reports.unshift(stored);
    this.reports.length = Math.min(this.reports.length, KEEP);
    return stored;
  }

  list(): readonly StoredReport[] {
    return this.reports;
  }

  get(uri: string): StoredReport | undefined {
    return uri === LATEST_REPORT_URI ? this.reports[0] : this.reports.find((r) => r.uri === uri);
  }
}
