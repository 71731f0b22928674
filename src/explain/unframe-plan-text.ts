import type { SourceLine } from './parse-text-plan.ts';

const FRAME_ONLY = /^[\s\-+=─━┌┐└┘├┤┬┴┼╔╗╚╝╠╣╦╩╬═╟╢╤╧╪╫|│║]+$/;
const HEADER = /^[\s|│║]*QUERY PLAN[\s|│║]*$/;
// psql prints the row count in the client's language: "(23 lignes)", "(1 Zeile)", "(5 filas)"
const FOOTER = /^\(\d+ [^\s\d()]+\)$/;
const RULE = /^[\s\-+=─━═┼]{3,}$/;
const RECORD = /^-\[ RECORD \d+ \]-*[+-]*$/;

/**
 * Removes what psql adds around a plan: the "QUERY PLAN" header, dashed rules, "(N rows)",
 * table borders ("| ... |", "│ ... │"), the expanded-mode "QUERY PLAN | " prefix and the
 * "+" that marks a wrapped line. Original line numbers are kept for error messages.
 */
export function unframePlanText(text: string): { lines: SourceLine[]; framed: boolean } {
  const raw = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  // a custom column name (EXPLAIN … AS plan, a client's header) is the line above psql's dashed rule
  const customHeader = new Set<number>();
  raw.forEach((l, i) => {
    const next = raw[i + 1];
    if (next !== undefined && RULE.test(next) && /-|─|═/.test(next) && /^[\s|│]*[A-Za-z_][\w ]{0,40}[\s|│]*$/.test(l)) customHeader.add(i);
  });
  const framed = customHeader.size > 0 || raw.some((l) => HEADER.test(l) || FOOTER.test(l.trim()) || RECORD.test(l.trim()));
  // psql's unicode_border_linestyle=double draws "║"
  const bordered = framed && raw.some((l) => /^\s*[|│║].*[|│║]\s*$/.test(l) && !FRAME_ONLY.test(l));
  const firstContent = raw.find((l) => l.trim() !== '' && !FRAME_ONLY.test(l) && !HEADER.test(l))?.trim() ?? '';
  const jsonish = /^[|│║]?\s*[[{]/.test(firstContent);
  const lines: SourceLine[] = [];
  raw.forEach((original, index) => {
    let l = original.trimEnd();
    if (framed) {
      const trimmed = l.trim();
      if (trimmed === '' || HEADER.test(l) || customHeader.has(index) || FOOTER.test(trimmed) || RECORD.test(trimmed)) return;
      if (FRAME_ONLY.test(l) && /[-─═]/.test(l)) return;
      const expanded = /^QUERY PLAN\s*[|│] ?(.*)$/.exec(l);
      if (expanded !== null) l = expanded[1] ?? '';
      if (bordered) {
        const m = /^\s*[|│║] ?(.*?) ?[|│║]$/.exec(l);
        if (m !== null) l = (m[1] ?? '').replace(/\s+$/, '');
      }
    }
    // "+" (ascii) or "↵" (unicode linestyle) marks a newline inside the value
    if ((framed || jsonish) && /[+↵]$/.test(l) && !/^\s*->/.test(l)) l = l.replace(/\s*[+↵]$/, '');
    lines.push({ text: l, line: index + 1 });
  });
  if (framed) {
    // psql aligned output puts one space before every row: drop a margin shared by all lines
    const margin = Math.min(...lines.filter((l) => l.text.trim() !== '').map((l) => /^ */.exec(l.text)?.[0].length ?? 0));
    if (Number.isFinite(margin) && margin > 0) return { lines: lines.map((l) => ({ text: l.text.slice(margin), line: l.line })), framed };
  }
  return { lines, framed };
}
