import type { Setting } from '../model/index.ts';
import type { SettingRecommendation } from './config-plan.ts';
import { applyMode } from './setting-context.ts';
import { pgSize, settingBytes } from './units.ts';

export type Value = { readonly bytes: number } | { readonly text: string };

export interface Draft {
  readonly name: string;
  readonly value: Value;
  readonly reason: string;
  readonly formula: string;
}

function showValue(s: Setting): string {
  const b = settingBytes(s.setting, s.unit);
  if (b !== null) return pgSize(b);
  if (s.unit !== null && s.unit !== '' && s.vartype !== 'string' && s.vartype !== 'enum') return `${s.setting}${s.unit}`;
  return s.setting;
}

export function toRecommendation(d: Draft, cur: Setting | undefined, pgMajor: number): SettingRecommendation {
  const recommended = 'bytes' in d.value ? pgSize(d.value.bytes) : d.value.text;
  let changed = true;
  if (cur !== undefined) {
    if ('bytes' in d.value) {
      const b = settingBytes(cur.setting, cur.unit);
      changed = b === null || Math.abs(b - d.value.bytes) > Math.max(1024, d.value.bytes * 0.02);
    } else {
      changed = !(cur.setting === d.value.text || (Number.isFinite(Number(cur.setting)) && Number(cur.setting) === Number(d.value.text)));
    }
  }
  const current = cur === undefined ? null : showValue(cur);
  return {
    name: d.name,
    current,
    currentSource: cur?.source ?? null,
    recommended,
    apply: applyMode(d.name, pgMajor, cur),
    changed,
    reason: d.reason,
    formula: d.formula,
    undo: cur === undefined ? null : cur.source === 'default' ? `ALTER SYSTEM RESET ${d.name};` : `ALTER SYSTEM SET ${d.name} = '${current}';`,
  };
}

