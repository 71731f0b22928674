import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/run-cli.ts';
import { createTestDatabase } from '../helpers/test-database.ts';
import type { TestDatabase } from '../helpers/test-database.ts';

let t: TestDatabase;
let dir: string;

beforeAll(async () => {
  t = await createTestDatabase('bad_input');
  await t.exec(`CREATE TABLE "evil\u001b[2J\u001b]0;pwned\u0007" (id int, "col\u001b[31m" int);
    INSERT INTO "evil\u001b[2J\u001b]0;pwned\u0007" SELECT g, g FROM generate_series(1, 2000) g; ANALYZE;`);
  dir = mkdtempSync(join(tmpdir(), 'dbo-bad-input-'));
});
afterAll(async () => {
  await t.drop();
});

describe('bad input is an input error, not a silent default', () => {
  it('-- calls: abc and -5 are exit 2 naming the line', async () => {
    for (const bad of ['abc', '-5', '0']) {
      const file = join(dir, `calls-${bad}.sql`);
      writeFileSync(file, `SELECT 1;\n\n-- calls: ${bad}\nSELECT 2;\n`);
      const r = await runCli(['indexes', '--db', t.url, '--workload', file]);
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr).toContain(`${file}:4: "-- calls: ${bad}" is not a call count`);
    }
  });

  it('--out equal to an input file is refused and the input survives', async () => {
    const file = join(dir, 'workload.sql');
    writeFileSync(file, '-- calls: 10\nSELECT 1;\n');
    const r = await runCli(['indexes', '--db', t.url, '--workload', file, '--out', file]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--out .* is also an input \(--workload\)/);
    expect(readFileSync(file, 'utf8')).toBe('-- calls: 10\nSELECT 1;\n');
    const m = await runCli(['indexes', '--db', t.url, '--workload', file, '--migration-out', join(dir, '.', 'workload.sql')]);
    expect(m.code).toBe(2);
  });

  it('escape sequences in object names never reach the terminal raw', async () => {
    for (const format of ['terminal', 'markdown']) {
      const r = await runCli(['schema', '--db', t.url, '--format', format]);
      expect(r.code, r.stderr).toBeLessThan(2);
      expect(r.stdout).toContain('evil\\x1b[2J');
      const raw = [...(r.stdout + r.stderr)].filter((c) => (c.charCodeAt(0) < 32 && c !== '\n' && c !== '\t') || c.charCodeAt(0) === 127);
      expect(raw).toEqual([]);
    }
  });
});
