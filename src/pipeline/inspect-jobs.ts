// What an inspection worker does with one body: the same functions run on a worker thread (inspect-worker.ts) and,
// with --workers 0, on the main thread. A body comes in memory or as the fetcher's spill file; facts go back.
import { readFile } from 'node:fs/promises';
import type { ResourceFacts } from '../model.ts';
import { inspectResource } from '../inspect/index.ts';
import type { InspectLimits } from '../inspect/limits.ts';
import type { OpenApiReport } from '../inspect/openapi/index.ts';
import { inspectFile } from '../inspect/stream.ts';

export interface InspectJob {
  /** The body in memory… */
  body?: Uint8Array;
  /** …or in the fetcher's spill file (a large body, inspected streaming as a local file is). */
  bodyFile?: string;
  contentType?: string;
  /** The final URL (redacted), for format hints and evidence. */
  url: string;
  declaredFormat?: string;
  /** The body was cut at the fetcher's byte cap. */
  truncated: boolean;
  /** Overrides of the inspection limits (a worker's share of sheetJsProcesses). */
  limits?: Partial<InspectLimits>;
}

export interface OasJob {
  body?: Uint8Array;
  bodyFile?: string;
  /** Shown in the report's messages: the document's URL, redacted. */
  filename: string;
}

export async function runInspectJob(job: InspectJob): Promise<ResourceFacts> {
  const hints = { contentType: job.contentType, url: job.url, declaredFormat: job.declaredFormat };
  if (job.bodyFile) {
    // The streaming entry has no "cut at the cap" hint, and a cut last row must not count against the file: a
    // truncated body (at most maxBytes) is read back and judged like one that stayed in memory.
    if (job.truncated) return inspectResource({ body: new Uint8Array(await readFile(job.bodyFile)), ...hints, truncated: true, limits: job.limits });
    return inspectFile(job.bodyFile, hints, { streamAbove: 0, limits: job.limits });
  }
  return inspectResource({ body: job.body ?? new Uint8Array(0), ...hints, truncated: job.truncated, limits: job.limits });
}

export async function runOasJob(job: OasJob): Promise<OpenApiReport> {
  // Loaded on the first API document: most datasets have none, and the validator is large.
  const { validateOpenApi } = await import('../inspect/openapi/index.ts');
  const text = job.bodyFile ? await readFile(job.bodyFile, 'utf8') : new TextDecoder('utf-8').decode(job.body ?? new Uint8Array(0));
  return validateOpenApi(text, { filename: job.filename });
}
