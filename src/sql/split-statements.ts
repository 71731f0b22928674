export interface SqlChunk {
  /** statement text without the trailing semicolon */
  readonly text: string;
  /** 1-based line where the statement starts */
  readonly line: number;
  /** weight from a `-- calls: N` comment right before the statement (default 1; NaN when the comment is not a positive number) */
  readonly calls: number;
  /** the comment lines right before the statement */
  readonly comments: readonly string[];
}

/**
 * Splits a SQL script on top-level semicolons, respecting quotes, dollar quotes and comments.
 * Lexical only, so one broken statement does not hide the others.
 */
export function splitStatements(script: string): SqlChunk[] {
  const chunks: SqlChunk[] = [];
  let i = 0;
  let start = 0;
  let pendingComments: string[] = [];
  let statementComments: string[] = [];
  let sawCode = false;
  let startLine = 1;
  let line = 1;
  const n = script.length;

  const flush = (endIndex: number): void => {
    const text = script.slice(start, endIndex).trim();
    if (sawCode && text !== '') {
      chunks.push({ text, line: startLine, calls: callsFrom(statementComments), comments: statementComments });
    }
    sawCode = false;
    statementComments = [];
    pendingComments = [];
  };

  while (i < n) {
    const c = script[i];
    const next = script[i + 1];
    if (c === '\n') {
      line++;
      i++;
      continue;
    }
    if (c === '-' && next === '-') {
      const endOfLine = script.indexOf('\n', i);
      const stop = endOfLine === -1 ? n : endOfLine;
      const comment = script.slice(i + 2, stop).trim();
      if (!sawCode) pendingComments.push(comment);
      i = stop;
      continue;
    }
    if (c === '/' && next === '*') {
      let depth = 1;
      i += 2;
      while (i < n && depth > 0) {
        if (script[i] === '\n') line++;
        if (script[i] === '/' && script[i + 1] === '*') {
          depth++;
          i += 2;
        } else if (script[i] === '*' && script[i + 1] === '/') {
          depth--;
          i += 2;
        } else i++;
      }
      continue;
    }
    if (/\s/.test(c ?? '')) {
      i++;
      continue;
    }
    if (!sawCode) {
      sawCode = true;
      start = i;
      startLine = line;
      statementComments = pendingComments;
      pendingComments = [];
    }
    if (c === "'" || c === '"') {
      i++;
      while (i < n) {
        if (script[i] === '\n') line++;
        if (script[i] === c) {
          if (script[i + 1] === c) {
            i += 2;
            continue;
          }
          break;
        }
        if (c === "'" && script[i] === '\\' && /[eE]/.test(script[start] ?? '')) i++;
        i++;
      }
      i++;
      continue;
    }
    if (c === '$') {
      const m = /^\$([A-Za-z_][A-Za-z0-9_]*)?\$/.exec(script.slice(i, i + 64));
      if (m !== null) {
        const tag = m[0];
        const close = script.indexOf(tag, i + tag.length);
        const stop = close === -1 ? n : close + tag.length;
        for (let k = i; k < stop; k++) if (script[k] === '\n') line++;
        i = stop;
        continue;
      }
    }
    if (c === ';') {
      flush(i);
      i++;
      continue;
    }
    i++;
  }
  flush(n);
  return chunks;
}

function callsFrom(comments: readonly string[]): number {
  for (let k = comments.length - 1; k >= 0; k--) {
    const comment = comments[k] ?? '';
    if (!/^calls\s*:/i.test(comment)) continue;
    const m = /^calls\s*:\s*([\d_.,eE+]+)\s*(?:\/\s*(s|sec|second|min|minute|h|hour|day|d)\b)?\s*(?:$|[(#;-]|\s)/i.exec(comment);
    // a weight that is not a positive number (abc, -5) is an input error, not a silent 1
    if (m === null) return Number.NaN;
    const value = Number((m[1] ?? '1').replace(/[_,]/g, ''));
    const per = (m[2] ?? '').toLowerCase();
    const perDay = per.startsWith('s') ? 86_400 : per.startsWith('m') ? 1_440 : per.startsWith('h') ? 24 : 1;
    return Number.isFinite(value) && value > 0 ? value * perDay : Number.NaN;
  }
  return 1;
}
