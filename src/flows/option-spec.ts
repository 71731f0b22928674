/** One command-line flag of a flow; the same key (camelCase) is accepted in a --config file and by the library. */
export interface OptionSpec {
  readonly type: 'string' | 'boolean';
  readonly short?: string;
  readonly multiple?: boolean;
  readonly description: string;
  /** shown in help: --db URL */
  readonly valueName?: string;
}

export type OptionSpecs = Readonly<Record<string, OptionSpec>>;

type Camel<S extends string> = S extends `${infer H}-${infer T}` ? `${H}${Capitalize<Camel<T>>}` : S;
type ValueOf<O extends OptionSpec> = O['type'] extends 'boolean' ? boolean : O['multiple'] extends true ? readonly string[] | string : string | number;

/** The library's typed options of a flow: every flag in camelCase, all optional. */
export type OptionsOf<T extends OptionSpecs> = { -readonly [K in keyof T & string as Camel<K>]?: ValueOf<T[K]> };

export function camelCase(name: string): string {
  return name.replace(/-([a-z])/g, (_, ch: string) => ch.toUpperCase());
}
