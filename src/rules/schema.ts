// The `options` part of schemas/ruleset.schema.json, generated from what each rule declares beside it
// (scripts/generate-docs.ts writes it; test/rules/contract.test.ts checks the committed schema is current).
import { RULES } from './index.ts';
import { optionsSchema } from './options.ts';

export function rulesetOptionsSchema(): Record<string, unknown> {
  return {
    type: 'object',
    description: 'Per-rule options, keyed by rule id. Generated from the rules (src/rules/*.ts, `options`) by scripts/generate-docs.ts; each default is what the rule uses when the ruleset omits the option.',
    additionalProperties: false,
    properties: Object.fromEntries([...RULES.values()].map((r) => [r.id, optionsSchema(r.options)])),
  };
}
