import type { Report } from '../model/index.ts';
import { escapeReportText } from './escape-report.ts';
import { renderJson } from './render-json.ts';
import { renderMarkdown } from './render-markdown.ts';
import { renderTerminal } from './render-terminal.ts';

export type Format = 'terminal' | 'json' | 'markdown';
export const FORMATS: readonly Format[] = ['terminal', 'json', 'markdown'];

export function render(report: Report, format: Format, options: { color: boolean; width?: number; verbose?: boolean }): string {
  const renderers: Record<Format, () => string> = {
    terminal: () => renderTerminal(escapeReportText(report), options),
    json: () => renderJson(report),
    markdown: () => renderMarkdown(escapeReportText(report)),
  };
  return renderers[format]();
}

export { buildReport, databaseInfo } from './build-report.ts';
export type { BuildReportInput } from './build-report.ts';
export { renderJson, renderMarkdown, renderTerminal };
export { evidenceText, wrap } from '../format/wrap.ts';
