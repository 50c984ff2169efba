// Loads a ruleset file, validates it against schemas/ruleset.schema.json and checks what a schema cannot:
// every named rule exists, gating names only resource rules, the bonus indicator is a dataset rule.
import { readFileSync } from 'node:fs';
import { packagePath } from '../paths.ts';
import { RULES } from '../rules/index.ts';
import { validateWith } from '../util/schemas.ts';
import type { Bilingual } from '../model.ts';

export interface Tier {
  id: string;
  name: Bilingual;
  weight: number;
  indicators: string[];
}

export interface Ruleset {
  id: string;
  title: Bilingual;
  source: string;
  tiers: Tier[];
  gating: string[][];
  /** Gated indicators whose failure does not stop later steps (the platform checker still judges encoding after desc_match 0). */
  nonBlocking?: string[];
  bonus?: { indicator: string; perDataset: number; cap: number };
  scoring: { scale: number; whitelistedInDenominator?: boolean; datasetAggregation?: 'all-resources' };
  options?: Record<string, Record<string, unknown>>;
  /** Id of a ruleset in rules/ that reproduces the platform checker's codes (results carry them per resource). */
  officialProfile?: string;
}

export const DEFAULT_RULESET = packagePath('rules/tw-ndc-2017.json');

export class RulesetError extends Error {
  override name = 'RulesetError';
}

export function parseRuleset(json: unknown, origin = 'ruleset'): Ruleset {
  const invalid = validateWith('ruleset', json);
  if (invalid.length) {
    const errs = invalid.slice(0, 5).map((e) => `${e.instancePath || '/'} ${e.message}`).join('; ');
    throw new RulesetError(`${origin} does not match schemas/ruleset.schema.json: ${errs}`);
  }
  const rs = json as Ruleset;
  const problems: string[] = [];
  const named = new Set([...rs.tiers.flatMap((t) => t.indicators), ...rs.gating.flat(), ...(rs.bonus ? [rs.bonus.indicator] : [])]);
  for (const id of named) if (!RULES.has(id)) problems.push(`unknown rule "${id}" (known: ${[...RULES.keys()].join(', ')})`);
  for (const id of rs.gating.flat()) if (RULES.get(id)?.scope === 'dataset') problems.push(`gating names dataset rule "${id}"; only resource rules are gated`);
  for (const id of rs.nonBlocking ?? []) if (!rs.gating.flat().includes(id)) problems.push(`nonBlocking names "${id}", which is not in gating`);
  if (rs.bonus && RULES.get(rs.bonus.indicator)?.scope === 'resource') problems.push(`bonus indicator "${rs.bonus.indicator}" must be a dataset rule`);
  const tierIds = rs.tiers.map((t) => t.id);
  if (new Set(tierIds).size !== tierIds.length) problems.push(`duplicate tier ids: ${tierIds.join(', ')}`);
  for (const id of Object.keys(rs.options ?? {})) if (!RULES.has(id)) problems.push(`options for unknown rule "${id}"`);
  if (problems.length) throw new RulesetError(`${origin}: ${problems.join('; ')}`);
  return rs;
}

export function loadRuleset(path = DEFAULT_RULESET): Ruleset {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new RulesetError(`cannot read ruleset ${path}: ${(e as Error).message}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new RulesetError(`ruleset ${path} is not valid JSON: ${(e as Error).message}`);
  }
  return parseRuleset(json, path);
}

const bundled = new Map<string, Ruleset>();

/** A ruleset shipped in rules/ by its id (rules/<id>.json), loaded once. */
export function bundledRuleset(id: string): Ruleset {
  let rs = bundled.get(id);
  if (!rs) {
    if (!/^[a-z0-9][a-z0-9.-]*$/.test(id)) throw new RulesetError(`"${id}" is not a ruleset id`);
    bundled.set(id, (rs = loadRuleset(packagePath('rules', `${id}.json`))));
  }
  return rs;
}

/** The official-compatibility profile of a ruleset: itself when it is one, else the bundled ruleset it names. */
export function officialProfileOf(rs: Ruleset): Ruleset | undefined {
  if (!rs.officialProfile) return undefined;
  return rs.officialProfile === rs.id ? rs : bundledRuleset(rs.officialProfile);
}

/** Every indicator the ruleset uses, in a stable order: gated resource rules, then the others. */
export function indicatorIds(rs: Ruleset): string[] {
  const ids = [...rs.gating.flat()];
  for (const t of rs.tiers) for (const i of t.indicators) if (!ids.includes(i)) ids.push(i);
  if (rs.bonus && !ids.includes(rs.bonus.indicator)) ids.push(rs.bonus.indicator);
  return ids;
}
