// The facts of a body the inspector failed on — a bug, or (in an audit) an inspection worker that died with it —
// kept apart from index.ts so the audit's main thread can name them without loading every inspector.
import type { ResourceFacts } from '../model.ts';

export function inspectionFailed(err: unknown): ResourceFacts {
  return {
    format: 'unknown',
    formatEvidence: 'inspection failed before the format was settled',
    structured: null,
    structuredEvidence: 'not judged: the inspector failed',
    structuralErrors: [{ type: 'source-error', row: null, field: null, message: `inspection failed: ${(err as Error)?.message ?? String(err)}` }],
    notes: [],
  };
}
