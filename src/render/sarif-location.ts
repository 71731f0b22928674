/** A finding's file location as SARIF wants it: a URI relative to the repository, and a region. */
export interface SarifLocation {
  readonly uri: string;
  /** false when the file lies outside the base directory: the URI is then an absolute file: URI */
  readonly relative: boolean;
  readonly startLine?: number;
  readonly startColumn?: number;
}

const encodePath = (p: string): string => p.split('/').map(encodeURIComponent).join('/');

/**
 * Parses "path:line[:column]" (migrate lint, captured call sites), "file:///abs/path:line" or a bare
 * path. A call site that names only a function (OpenTelemetry spans without code.filepath) has
 * no file and gives null. baseDir turns absolute paths under it into repository-relative ones.
 */
export function parseFileLocation(location: string, baseDir?: string): SarifLocation | null {
  const m = /^(.*?):(\d+)(?::(\d+))?$/.exec(location.trim());
  let path = (m === null ? location.trim() : (m[1] ?? '')).replace(/\\/g, '/');
  if (path.startsWith('file://')) path = decodeURIComponent(path.slice('file://'.length));
  if (path === '' || (m === null && !/[./]/.test(path))) return null;
  const line = m === null ? undefined : Number(m[2]);
  const column = m?.[3] === undefined ? undefined : Number(m[3]);
  const region = { ...(line !== undefined && line >= 1 ? { startLine: line } : {}), ...(column !== undefined && column >= 1 ? { startColumn: column } : {}) };
  if (path.startsWith('/') || /^[A-Za-z]:\//.test(path)) {
    const base = baseDir === undefined ? undefined : baseDir.replace(/\\/g, '/').replace(/\/+$/, '');
    if (base !== undefined && path.startsWith(`${base}/`)) return { uri: encodePath(path.slice(base.length + 1)), relative: true, ...region };
    return { uri: `file://${path.startsWith('/') ? '' : '/'}${encodePath(path)}`, relative: false, ...region };
  }
  return { uri: encodePath(path.replace(/^(\.\/)+/, '')), relative: true, ...region };
}
