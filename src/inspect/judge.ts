// Records an inspector's conclusion on the facts: `structured`, and why — as a message of the catalogue
// (`structuredRef`) and its English text (`structuredEvidence`, which facts have always carried).
import { legacyText, type InspectionCode, type Ref, type StructuralErrorType } from '../messages/index.ts';
import type { ResourceFacts } from '../model.ts';

export type Why = Ref<InspectionCode | StructuralErrorType>;

export function judge<F extends ResourceFacts>(facts: F, structured: boolean | null, why: Why): F {
  facts.structured = structured;
  explain(facts, why);
  return facts;
}

/** Says why without changing the verdict. */
export function explain(facts: ResourceFacts, why: Why): void {
  facts.structuredEvidence = legacyText(why);
  facts.structuredRef = why;
}
