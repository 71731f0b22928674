import { describe, expect, it } from 'vitest';
import { render, renderHtml } from '../../src/render/index.ts';
import { HOSTILE, SAMPLE_WITH_PROBLEMS, hostileReport } from '../helpers/hostile-report.ts';
import { SAMPLE_REPORT } from '../helpers/sample-report.ts';

const scripts = (html: string): number => html.match(/<script\b/gi)?.length ?? 0;

describe('--format html', () => {
  it('matches the golden file on the sample report, self-contained', async () => {
    const html = renderHtml(SAMPLE_REPORT);
    await expect(html).toMatchFileSnapshot('../fixtures/golden/sample-report.html');
    // nothing to fetch: no external script, stylesheet, image or font
    expect(html).not.toMatch(/\b(src|href)\s*=\s*["']?(https?:)?\/\//i);
    expect(html).not.toMatch(/@import|url\(/i);
    expect(html).toContain('default-src &#39;none&#39;');
    expect(scripts(html)).toBe(1);
    expect(html).toContain('DROP INDEX CONCURRENTLY public.users_email_idx2;');
  });

  it('puts the scorecard first, then the actions and problems, then the findings', () => {
    const html = renderHtml(SAMPLE_WITH_PROBLEMS);
    const at = (s: string): number => html.indexOf(s);
    for (const id of ['id="scorecard"', 'id="actions"', 'id="problems"', 'id="findings"', 'id="held-back"']) expect(at(id)).toBeGreaterThan(0);
    expect(at('id="scorecard"')).toBeLessThan(at('id="actions"'));
    expect(at('id="actions"')).toBeLessThan(at('id="problems"'));
    expect(at('id="problems"')).toBeLessThan(at('id="findings"'));
    expect(html).toContain('href="#f-2"');
    expect(html).toMatch(/needs an application capture/);
    // index and schema actions are in the one migration; the others keep their own script
    expect(html).toContain('id="actions-migration"');
    expect(html).toContain('in the migration below');
    expect(html).toContain('work_mem = 16MB');
  });

  it('escapes markup from names, SQL, evidence, fixes and sections', () => {
    const html = render(hostileReport(), 'html', { color: false });
    expect(scripts(html)).toBe(1);
    expect(html).not.toContain('<img');
    expect(html).not.toContain(HOSTILE);
    expect(html).not.toMatch(/<[^>]*\sonerror=/i);
    expect(html).toContain('&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;');
  });
});
