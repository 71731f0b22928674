import { statSync } from 'node:fs';
import { DbOptimizeError } from '../errors/index.ts';

function fileId(path: string): string | null {
  try {
    const s = statSync(path);
    return s.isFile() ? `${s.dev}:${s.ino}` : null;
  } catch {
    return null;
  }
}

/**
 * Refuses an output path (--out, --migration-out, …) that is one of the inputs: writing the report
 * over the workload or the migration being linted destroys it. Same file by device and inode, so
 * `./a.sql`, a symlink and a hard link all count.
 */
export function refuseOutputOverInput(values: Readonly<Record<string, unknown>>, positionals: readonly string[]): void {
  const outputs = Object.entries(values).filter(([k, v]) => /(^|-)out$/.test(k) && typeof v === 'string') as [string, string][];
  if (outputs.length === 0) return;
  const inputs = [
    ...Object.entries(values)
      .filter(([k]) => !/(^|-)out$/.test(k))
      .flatMap(([k, v]) => (typeof v === 'string' ? [[k, v]] : Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string').map((x) => [k, x]) : [])),
    ...positionals.map((p) => ['argument', p]),
  ] as [string, string][];
  for (const [outName, outPath] of outputs) {
    const id = fileId(outPath);
    if (id === null) continue;
    const clash = inputs.find(([, p]) => fileId(p) === id);
    if (clash !== undefined) {
      throw new DbOptimizeError('E_OUT_IS_INPUT', 'usage', `--${outName} ${outPath} is also an input (${clash[0] === 'argument' ? 'a file argument' : `--${clash[0]}`}): refusing to overwrite it`, {
        hint: `write the output to another file`,
      });
    }
  }
}
