// The rule contract (after ESLint's): every rule declares its id, bilingual title, documentation, source and
// options (schema + default) beside it; the options part of schemas/ruleset.schema.json is generated from those
// declarations; the bundled rulesets validate. Regenerate with `npm run docs`.
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { CATALOGUE } from '../../src/messages/index.ts';
import { RULES } from '../../src/rules/index.ts';
import { optionsSchema } from '../../src/rules/options.ts';
import { rulesetOptionsSchema } from '../../src/rules/schema.ts';
import { loadRuleset } from '../../src/score/ruleset.ts';

const root = resolve(import.meta.dirname, '../..');

describe('the rule contract', () => {
  it('the seven rules of the 2017 badges, each in its own module', () => {
    expect([...RULES.keys()]).toEqual(['link-valid', 'direct-download', 'structured', 'encoding-match', 'fields-match', 'timely', 'oas-valid']);
  });

  it.each([...RULES.values()].map((r) => [r.id, r] as const))('%s: its docs exist, next to its module, and say what it checks', (id, rule) => {
    expect(rule.docs).toBe(`src/rules/${id}.md`);
    expect(existsSync(resolve(root, rule.docs))).toBe(true);
    expect(readFileSync(resolve(root, rule.docs), 'utf8').length).toBeGreaterThan(200);
    expect(rule.title.zh).toMatch(/\p{Script=Han}/u);
    expect(rule.title.en.length).toBeGreaterThan(0);
    expect(rule.source.length).toBeGreaterThan(0);
  });

  it.each([...RULES.values()].map((r) => [r.id, r] as const))('%s: every option has a description and a default its own schema accepts', (_, rule) => {
    const ajv = new Ajv({ strict: false });
    for (const [name, spec] of Object.entries(rule.options)) {
      expect(spec.schema.description, name).toEqual(expect.any(String));
      expect(ajv.validate(spec.schema, spec.default), `${name}: ${JSON.stringify(spec.default)}`).toBe(true);
    }
    expect(ajv.validate(optionsSchema(rule.options), Object.fromEntries(Object.entries(rule.options).map(([k, s]) => [k, s.default])))).toBe(true);
  });

  it.each([...RULES.values()].map((r) => [r.id, r] as const))('%s: its codes are in the catalogue, under its name', (id) => {
    const codes = Object.entries(CATALOGUE).filter(([, d]) => d.kind === 'indicator' && (d as { rule?: string }).rule === id).map(([c]) => c);
    expect(codes.length).toBeGreaterThan(2);
    for (const c of codes) expect(c.startsWith(`${id}.`), c).toBe(true);
  });

  it('the options part of schemas/ruleset.schema.json is generated from the rules (npm run docs)', () => {
    const committed = JSON.parse(readFileSync(resolve(root, 'schemas/ruleset.schema.json'), 'utf8'));
    expect(committed.properties.options).toEqual(rulesetOptionsSchema());
  });

  it('the bundled rulesets validate against it, and state the 2017 choices the defaults also make', () => {
    for (const f of ['rules/tw-ndc-2017.json', 'rules/tw-ndc-2017-official.json']) {
      const rs = loadRuleset(resolve(root, f));
      expect(rs.options?.timely).toMatchObject({ graceFactor: 1.5 });
    }
    expect((RULES.get('timely')!.options as Record<string, { default: unknown }>).graceFactor.default).toBe(1.5);
  });
});
