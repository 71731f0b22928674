import type { Report } from '../model/index.ts';
import { escapeControlChars } from '../sql/quote.ts';

/**
 * Object names and statement texts come from the database: a table named with an escape
 * sequence could recolour, hide or rewrite the user's terminal. Every string is made printable
 * (newlines and tabs stay) before a text renderer sees it; our own colours are added after.
 */
export function escapeReportText(report: Report): Report {
  const walk = (v: unknown): unknown => {
    if (typeof v === 'string') return escapeControlChars(v);
    if (Array.isArray(v)) return v.map(walk);
    if (v === null || typeof v !== 'object') return v;
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x)]));
  };
  return walk(report) as Report;
}
