// The rule registry: a ruleset names rules by id; adding a rule is adding a module here (README, "Extending a
// ruleset"; test/rules/contract.test.ts checks what every rule must declare).
import { directDownload } from './direct-download.ts';
import { encodingMatch } from './encoding-match.ts';
import { fieldsMatch } from './fields-match.ts';
import { linkValid } from './link-valid.ts';
import { oasValid } from './oas-valid.ts';
import type { Rule } from './rule.ts';
import { structured } from './structured.ts';
import { timely } from './timely.ts';

export const RULES: ReadonlyMap<string, Rule> = new Map(
  ([linkValid, directDownload, structured, encodingMatch, fieldsMatch, timely, oasValid] as Rule[]).map((r) => [r.id, r]),
);
