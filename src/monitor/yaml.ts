/** A YAML document from plain data: block style, every string double-quoted (JSON escapes are valid YAML). */
export type YamlValue = string | number | boolean | null | readonly YamlValue[] | { readonly [key: string]: YamlValue };

function scalar(v: string | number | boolean | null): string {
  return typeof v === 'string' ? JSON.stringify(v) : v === null ? 'null' : String(v);
}

function isScalar(v: YamlValue): v is string | number | boolean | null {
  return v === null || typeof v !== 'object';
}

function key(k: string): string {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(k) ? k : JSON.stringify(k);
}

function lines(value: YamlValue, indent: string): string[] {
  if (isScalar(value)) return [`${indent}${scalar(value)}`];
  if (Array.isArray(value)) {
    if (value.length === 0) return [`${indent}[]`];
    return (value as readonly YamlValue[]).flatMap((item) => {
      if (isScalar(item)) return [`${indent}- ${scalar(item)}`];
      const inner = lines(item, `${indent}  `);
      return [`${indent}- ${(inner[0] ?? '').trimStart()}`, ...inner.slice(1)];
    });
  }
  const entries = Object.entries(value as Record<string, YamlValue>);
  if (entries.length === 0) return [`${indent}{}`];
  return entries.flatMap(([k, v]) => {
    if (isScalar(v)) return [`${indent}${key(k)}: ${scalar(v)}`];
    if (Array.isArray(v) && v.length === 0) return [`${indent}${key(k)}: []`];
    if (!Array.isArray(v) && Object.keys(v).length === 0) return [`${indent}${key(k)}: {}`];
    return [`${indent}${key(k)}:`, ...lines(v, `${indent}  `)];
  });
}

export function toYaml(value: YamlValue, header: readonly string[] = []): string {
  return `${[...header.map((h) => `# ${h.replace(/\n/g, ' ')}`), ...lines(value, '')].join('\n')}\n`;
}
