// DATA.GOV.HK historical archive: GET {api}/v1/historical-archive/list-file-versions?url=…&start=YYYYMMDD&end=YYYYMMDD
// lists the times the archive captured a changed version of a resource file. These are *capture times* — when the
// archive saw new content — not the publisher's own update times; they are evidence of updates all the same.
import { finding } from '../messages/index.ts';
import type { Dataset } from '../model.ts';
import { getText, type CkanHttpOptions } from './ckan-http.ts';

export interface CaptureEvidence {
  resourceUrl: string;
  /** ISO 8601 (UTC) capture times, oldest first. */
  captures: string[];
  /** Always "archive-capture": these are capture times, not declared update times. */
  kind: 'archive-capture';
  source: string;
  error?: string;
}

export interface ListFileVersionsOptions extends CkanHttpOptions {
  apiBase?: string; // default https://api.data.gov.hk
  start: Date;
  end: Date;
}

const ymd = (d: Date) => d.toISOString().slice(0, 10).replace(/-/g, '');

/** "20190315-0900" / "201903150900" (Hong Kong time, UTC+8), or an ISO string → ISO UTC. */
export function parseCaptureTime(v: unknown): string | undefined {
  if (typeof v !== 'string') return undefined;
  const m = /^(\d{4})(\d{2})(\d{2})[-T ]?(\d{2})?(\d{2})?(\d{2})?$/.exec(v.trim());
  const d = m
    ? new Date(`${m[1]}-${m[2]}-${m[3]}T${m[4] ?? '00'}:${m[5] ?? '00'}:${m[6] ?? '00'}+08:00`)
    : /^\d{4}-\d{2}-\d{2}T.*(Z|[+-]\d{2}:?\d{2})$/.test(v.trim()) ? new Date(v.trim()) : undefined;
  return d && !Number.isNaN(d.getTime()) ? d.toISOString() : undefined;
}

/** Capture times of one resource URL. Failures come back as `error`, never thrown: the evidence is optional. */
export async function listFileVersions(resourceUrl: string, o: ListFileVersionsOptions): Promise<CaptureEvidence> {
  const api = (o.apiBase ?? 'https://api.data.gov.hk').replace(/\/+$/, '');
  const source = `${api}/v1/historical-archive/list-file-versions`;
  const out: CaptureEvidence = { resourceUrl, captures: [], kind: 'archive-capture', source };
  try {
    // The archive API answers plain JSON, without CKAN's { success, result } envelope.
    const body = await archiveGet(`${source}?${new URLSearchParams({ url: resourceUrl, start: ymd(o.start), end: ymd(o.end) })}`, o);
    const list = Array.isArray(body) ? body : body && typeof body === 'object' ? (body as Record<string, unknown>).timestamps : undefined;
    if (!Array.isArray(list)) return { ...out, error: 'the archive answer has no timestamps list' };
    out.captures = list.map(parseCaptureTime).filter((t): t is string => !!t).sort();
    if (out.captures.length < list.length) out.error = `${list.length - out.captures.length} timestamps could not be read`;
    return out;
  } catch (e) {
    return { ...out, error: (e as Error).message };
  }
}

async function archiveGet(url: string, o: CkanHttpOptions): Promise<unknown> {
  const { status, text } = await getText(new URL(url), 'list-file-versions', o);
  if (status < 200 || status >= 300) throw new Error(`historical archive answered HTTP ${status}`);
  try {
    return JSON.parse(text);
  } catch {
    throw new Error(`historical archive answered malformed JSON: begins "${text.slice(0, 80)}"`);
  }
}

/**
 * Uses the newest capture time as a resource's update time when it is newer than what the catalogue declares, and
 * records a finding saying so, so reports can tell a capture time from a declared update time.
 */
export function applyCaptureEvidence(d: Dataset, evidence: CaptureEvidence[]): Dataset {
  for (const ev of evidence) {
    const latest = ev.captures.at(-1);
    if (!latest) continue;
    for (const r of d.resources.filter((x) => x.url === ev.resourceUrl)) {
      // Kept apart from declared.updatedAt: the timeliness rule names it as archive capture evidence.
      r.archiveCaptures = ev.captures;
      d.findings.push(finding(
        'archive-capture-evidence',
        { captures: ev.captures.length, url: r.url, latest },
        { resource: r.id, kind: ev.kind, captures: ev.captures, declaredUpdatedAt: r.declared.updatedAt ?? null, source: ev.source },
        { timeZone: d.timeZone },
      ));
    }
  }
  return d;
}
