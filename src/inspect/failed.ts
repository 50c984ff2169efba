// The facts of a body the inspector failed on — a bug, or (in an audit) an inspection worker that died with it —
// kept apart from index.ts so the audit's main thread can name them without loading every inspector.
import { msg, structuralError } from '../messages/index.ts';
import type { ResourceFacts } from '../model.ts';
import { judge } from './judge.ts';

export function inspectionFailed(err: unknown): ResourceFacts {
  const facts: ResourceFacts = {
    format: 'unknown',
    formatEvidence: 'inspection failed before the format was settled',
    structured: null,
    structuredEvidence: '',
    structuralErrors: [structuralError('source-error', { row: null, field: null }, { variant: 'inspector-failed', error: (err as Error)?.message ?? String(err) })],
    notes: [],
  };
  return judge(facts, null, msg('inspect.failed', {}));
}
