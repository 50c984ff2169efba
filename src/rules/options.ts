// Rule options as data beside each rule, after ESLint's `meta.schema` + `defaultOptions`: a rule declares each
// option with its JSON schema, default and description; the options are typed from that declaration, resolved once
// per ruleset (defaults, then the ruleset's values), and the `options` part of schemas/ruleset.schema.json is
// generated from the declarations (scripts/generate-docs.ts; test/rules/contract.test.ts checks it is current).
// A few lines instead of a schema library: the rules need five kinds of option, and ajv validates the result.

/** One option: its JSON schema (with `default` and `description`) and, for TypeScript, its value type. */
export interface OptionSpec<T> {
  readonly schema: Readonly<Record<string, unknown>>;
  readonly default: T;
  /** Type carrier only. */
  readonly _type?: T;
}

export type OptionSpecs = Readonly<Record<string, OptionSpec<unknown>>>;

/** The resolved options of a rule: every option present, typed from its declaration. */
export type OptionsOf<S extends OptionSpecs> = { readonly [K in keyof S]: S[K] extends OptionSpec<infer T> ? T : never };

const spec = <T>(schema: Record<string, unknown>, dflt: T, description: string): OptionSpec<T> => ({ schema: { ...schema, default: dflt, description }, default: dflt });

export const option = {
  /** One of the listed strings. */
  oneOf<const V extends readonly string[]>(values: V, dflt: V[number], description: string): OptionSpec<V[number]> {
    return spec({ enum: [...values] }, dflt, description);
  },
  boolean(dflt: boolean, description: string): OptionSpec<boolean> {
    return spec({ type: 'boolean' }, dflt, description);
  },
  number(dflt: number, description: string, bounds: { minimum?: number; exclusiveMinimum?: number } = {}): OptionSpec<number> {
    return spec({ type: 'number', ...bounds }, dflt, description);
  },
  /** A list of strings, optionally from a fixed vocabulary. */
  list<const V extends string = string>(dflt: readonly V[], description: string, values?: readonly V[]): OptionSpec<readonly V[]> {
    return spec({ type: 'array', items: values ? { enum: [...values] } : { type: 'string' } }, dflt, description);
  },
  /** A value that cannot change: accepted so a ruleset can state it, documented, and only this value is valid. */
  fixed<const T extends string | number | boolean>(value: T, description: string): OptionSpec<T> {
    return spec({ const: value }, value, description);
  },
};

/** Defaults, then what the ruleset sets (the ruleset was validated against the generated schema). */
export function resolveOptions<S extends OptionSpecs>(specs: S, given: Readonly<Record<string, unknown>> = {}): OptionsOf<S> {
  const out: Record<string, unknown> = {};
  for (const [k, s] of Object.entries(specs)) out[k] = given[k] === undefined ? s.default : given[k];
  return out as OptionsOf<S>;
}

/** The JSON schema of a rule's options object. */
export function optionsSchema(specs: OptionSpecs): Record<string, unknown> {
  return {
    type: 'object',
    additionalProperties: false,
    properties: Object.fromEntries(Object.entries(specs).map(([k, s]) => [k, s.schema])),
  };
}
