import type { Report } from '../model/index.ts';

/** The JSON report: a public contract, described by schema/report.schema.json. */
export function renderJson(report: Report): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}
