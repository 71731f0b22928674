import { describe, expect, it } from 'vitest';
import { renderJson, renderMarkdown, renderTerminal } from '../../src/render/index.ts';
import { reportSchemaErrors } from '../helpers/report-schema.ts';
import { SAMPLE_REPORT } from '../helpers/sample-report.ts';

describe('renderers on the golden sample report', () => {
  it('terminal: matches the golden file and fits 80 columns', async () => {
    const text = renderTerminal(SAMPLE_REPORT, { color: false });
    await expect(text).toMatchFileSnapshot('../fixtures/golden/sample-report.terminal.txt');
    for (const line of text.split('\n')) expect(line.length).toBeLessThanOrEqual(80);
    expect(text).toContain('3 findings: 0 critical, 2 warning, 1 info');
    expect(text).toContain('DROP INDEX CONCURRENTLY public.users_email_idx2;');
  });

  it('terminal: colours only when asked', () => {
    const esc = String.fromCharCode(27);
    expect(renderTerminal(SAMPLE_REPORT, { color: false })).not.toContain(`${esc}[`);
    expect(renderTerminal(SAMPLE_REPORT, { color: true })).toContain(`${esc}[`);
  });

  it('markdown: matches the golden file', async () => {
    await expect(renderMarkdown(SAMPLE_REPORT)).toMatchFileSnapshot('../fixtures/golden/sample-report.md');
  });

  it('json: matches the golden file and validates against the published schema', async () => {
    const text = renderJson(SAMPLE_REPORT);
    await expect(text).toMatchFileSnapshot('../fixtures/golden/sample-report.json');
    expect(reportSchemaErrors(JSON.parse(text))).toEqual([]);
  });

  it('the schema rejects a report that breaks the contract', () => {
    const broken = { ...SAMPLE_REPORT, findings: [{ ...SAMPLE_REPORT.findings[0], severity: 'fatal' }] };
    expect(reportSchemaErrors(broken).join()).toMatch(/severity/);
    const { skipped: _skipped, ...noSkipped } = SAMPLE_REPORT;
    expect(reportSchemaErrors(noSkipped).join()).toMatch(/skipped/);
  });
});
