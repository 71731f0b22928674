import type { Report, RuleDefinition } from '../model/index.ts';
import { escapeReportText } from './escape-report.ts';
import { renderHtml } from './html/render-html.ts';
import { renderJson } from './render-json.ts';
import { renderMarkdown } from './render-markdown.ts';
import { renderSarif } from './render-sarif.ts';
import { renderTerminal } from './render-terminal.ts';

export type Format = 'terminal' | 'json' | 'markdown' | 'html' | 'sarif';
export const FORMATS: readonly Format[] = ['terminal', 'json', 'markdown', 'html', 'sarif'];

export interface RenderOptions {
  readonly color: boolean;
  readonly width?: number;
  /** terminal/markdown: every finding in full instead of the action plan's summary */
  readonly verbose?: boolean;
  /** SARIF rule descriptors come from these (every registry's rules) */
  readonly rules?: readonly RuleDefinition[];
  /** SARIF: file URIs are made relative to this directory (the repository root, usually the working directory) */
  readonly baseDir?: string;
}

export function render(report: Report, format: Format, options: RenderOptions): string {
  const renderers: Record<Format, () => string> = {
    terminal: () => renderTerminal(escapeReportText(report), options),
    json: () => renderJson(report),
    markdown: () => renderMarkdown(escapeReportText(report)),
    html: () => renderHtml(escapeReportText(report)),
    sarif: () => renderSarif(report, { ...(options.rules === undefined ? {} : { rules: options.rules }), ...(options.baseDir === undefined ? {} : { baseDir: options.baseDir }) }),
  };
  return renderers[format]();
}

export { buildReport, databaseInfo } from './build-report.ts';
export type { BuildReportInput } from './build-report.ts';
export { renderHtml, renderJson, renderMarkdown, renderSarif, renderTerminal };
export type { SarifOptions } from './render-sarif.ts';
export { evidenceText, wrap } from '../format/wrap.ts';
