import { readFileSync } from 'node:fs';
import type { JsonSchemaObject } from './tool.ts';

type Schema = Record<string, unknown>;

/** schema/report.schema.json, read once (the package ships the schema folder beside src and dist). */
function reportSchema(): Schema {
  return JSON.parse(readFileSync(new URL('../../schema/report.schema.json', import.meta.url), 'utf8')) as Schema;
}

/**
 * Every tool's outputSchema: the report envelope every command shares (tool, command, database,
 * findings, skipped, sections) taken from the published schema, with the command's own fields
 * allowed beside it. The whole schema (80 kB, JSON Schema 2020-12) would be sent with every tool
 * in tools/list; it is named in the description instead.
 */
export function reportOutputSchema(): JsonSchemaObject {
  const full = reportSchema();
  const props = full.properties as Record<string, Schema>;
  const defs = full.$defs as Record<string, Schema>;
  const pick = ['tool', 'command', 'generatedAt', 'database', 'findings', 'skipped', 'sections'];
  const properties: Record<string, object> = {};
  for (const k of pick) {
    const p = props[k];
    if (p !== undefined) properties[k] = k === 'findings' ? { type: 'array', items: defs.finding } : p;
  }
  return {
    type: 'object',
    description: `${String(full.description)} The command's own fields are described in ${String(full.$id)}.`,
    required: full.required,
    properties,
    additionalProperties: true,
  };
}
