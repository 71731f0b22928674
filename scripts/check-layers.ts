/**
 * Layer checks that ESLint cannot express: no import cycle between the top-level folders of
 * src/, and no source file over MAX_LINES. Run by `npm run lint`; test/engine/layers.test.ts
 * runs the same checks.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

export const MAX_LINES = 450;

/**
 * Files over MAX_LINES that another issue is splitting right now; each entry must still be over
 * the limit (the check fails once it is not, so the list only shrinks).
 */
export const OVERSIZE_PENDING: Readonly<Record<string, string>> = {};

const IMPORT = /(?:^|\n)\s*(?:import|export)\s[^'"]*?from\s+['"](\.[^'"]+)['"]/g;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return /\.ts$/.test(name) && !/\.test\.ts$/.test(name) ? [path] : [];
  });
}

/** The top-level folder of src/ a file belongs to (files directly in src/ count as "src"). */
function topFolder(srcDir: string, file: string): string {
  const parts = relative(srcDir, file).split(sep);
  return parts.length > 1 ? (parts[0] ?? 'src') : 'src';
}

export interface LayerProblems {
  readonly cycles: string[];
  readonly oversize: string[];
}

/** Folder import graph: folder → folders it imports, with one example file per edge. */
export function folderGraph(srcDir: string): Map<string, Map<string, string>> {
  const graph = new Map<string, Map<string, string>>();
  for (const file of sourceFiles(srcDir)) {
    const from = topFolder(srcDir, file);
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(IMPORT)) {
      const target = resolve(dirname(file), m[1] ?? '');
      if (!target.startsWith(srcDir + sep)) continue;
      const to = topFolder(srcDir, target);
      if (to === from || to === 'src') continue;
      const edges = graph.get(from) ?? new Map<string, string>();
      if (!edges.has(to)) edges.set(to, relative(join(srcDir, '..'), file));
      graph.set(from, edges);
    }
  }
  return graph;
}

/** Every strongly connected group of more than one folder, each shown as its edges. */
function cycles(graph: Map<string, Map<string, string>>): string[] {
  const reach = (start: string): Set<string> => {
    const seen = new Set<string>();
    const stack = [start];
    while (stack.length > 0) {
      const n = stack.pop() as string;
      for (const next of graph.get(n)?.keys() ?? []) {
        if (!seen.has(next)) {
          seen.add(next);
          stack.push(next);
        }
      }
    }
    return seen;
  };
  const out: string[] = [];
  const done = new Set<string>();
  for (const a of [...graph.keys()].sort()) {
    if (done.has(a)) continue;
    const fromA = reach(a);
    const group = [...fromA].filter((b) => b === a || reach(b).has(a));
    if (!group.includes(a) || group.length < 2) continue;
    for (const g of group) done.add(g);
    const edges = group.flatMap((f) => [...(graph.get(f) ?? new Map<string, string>()).entries()].filter(([t]) => group.includes(t)).map(([t, file]) => `${f} → ${t} (${file})`));
    out.push(`import cycle between src/{${group.sort().join(',')}}: ${edges.join('; ')}`);
  }
  return out;
}

export function checkLayers(root: string): LayerProblems {
  const srcDir = join(root, 'src');
  const oversize: string[] = [];
  for (const file of sourceFiles(srcDir)) {
    const rel = relative(root, file).split(sep).join('/');
    const lines = readFileSync(file, 'utf8').split('\n').length - 1;
    if (lines > MAX_LINES && OVERSIZE_PENDING[rel] === undefined) oversize.push(`${rel}: ${lines} lines (limit ${MAX_LINES}): split it`);
    if (lines <= MAX_LINES && OVERSIZE_PENDING[rel] !== undefined) oversize.push(`${rel} is ${lines} lines now: remove it from OVERSIZE_PENDING in scripts/check-layers.ts`);
  }
  return { cycles: cycles(folderGraph(srcDir)), oversize };
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const problems = checkLayers(resolve(dirname(fileURLToPath(import.meta.url)), '..'));
  for (const p of [...problems.cycles, ...problems.oversize]) console.error(p);
  process.exitCode = problems.cycles.length + problems.oversize.length > 0 ? 1 : 0;
}
