// Per-dataset detail from data.gov.tw API v2 (GET /api/v2/rest/dataset/{id}) layered onto a Dataset from the export.
import pLimit from 'p-limit';
import { finding } from '../messages/index.ts';
import type { Dataset, Finding, Resource } from '../model.ts';
import { parseTaiwanTime } from './datagovtw-time.ts';
import { answered, bodyText, failureText, type CatalogHttp } from './http.ts';

export interface EnrichOptions {
  /** The HTTP client (the audit's fetcher: guard, limits, retries). */
  http: CatalogHttp;
  signal?: AbortSignal;
  /** time-out of one attempt, ms (default 30 s) */
  timeoutMs?: number;
  /** largest response body accepted, bytes (default 5 MiB) */
  maxBytes?: number;
}

/** `resourceField` is a string or `[{name, description}]` → one 、-joined text like `村名(name)、人口(population)`. */
export function formatResourceField(value: unknown): string | undefined {
  if (typeof value === 'string') return value.trim() || undefined;
  if (!Array.isArray(value)) return undefined;
  const parts: string[] = [];
  for (const item of value) {
    if (typeof item === 'string') {
      if (item.trim()) parts.push(item.trim());
      continue;
    }
    if (!item || typeof item !== 'object') continue;
    const name = typeof item.name === 'string' ? item.name.trim() : '';
    const desc = typeof item.description === 'string' ? item.description.trim() : '';
    // The declared-list convention is 說明(英文名): a description that differs from the name leads.
    if (name && desc && desc !== name) parts.push(`${desc}(${name})`);
    else if (name || desc) parts.push(name || desc);
  }
  return parts.length ? parts.join('、') : undefined;
}

const UNIT_ZH: Record<string, string> = {
  minute: '分', minutes: '分', min: '分', 分: '分', 分鐘: '分',
  hour: '時', hours: '時', 時: '時', 小時: '時',
  day: '日', days: '日', 日: '日', 天: '日',
  week: '週', weeks: '週', 週: '週', 周: '週', 星期: '週',
  month: '月', months: '月', 月: '月', 個月: '月',
  quarter: '季', quarters: '季', 季: '季',
  year: '年', years: '年', 年: '年',
};

/** `updateFrequency` as text: a string stays; `{regularupdate, Frequency, unittime}` → 每1月 (or 不定期). */
export function formatUpdateFrequency(value: unknown): string | undefined {
  if (typeof value === 'string') return value.trim() || undefined;
  if (!value || typeof value !== 'object') return undefined;
  const o = value as Record<string, unknown>;
  const regular = o.regularupdate ?? o.regularUpdate;
  const irregular =
    regular === false || regular === 0 || (typeof regular === 'string' && /^(n|no|false|0|不定期|否)$/i.test(regular.trim()));
  if (irregular) return '不定期';
  const n = o.Frequency ?? o.frequency;
  const unitRaw = o.unittime ?? o.unitTime ?? o.unit;
  const count = typeof n === 'number' ? n : typeof n === 'string' && /^\d+$/.test(n.trim()) ? Number(n) : undefined;
  const unit = typeof unitRaw === 'string' ? (UNIT_ZH[unitRaw.trim().toLowerCase()] ?? unitRaw.trim()) : undefined;
  if (count !== undefined && unit) return `每${count}${unit}`;
  if (unit) return `每${unit}`;
  return undefined;
}

function str(v: unknown): string | undefined {
  if (typeof v === 'number') return String(v);
  return typeof v === 'string' && v.trim() ? v.trim() : undefined;
}

function sameUrl(a: string, b: string): boolean {
  const norm = (u: string) => u.trim().replace(/&amp;/g, '&').replace(/\/$/, '');
  return norm(a) === norm(b);
}

function fail(dataset: Dataset, f: Finding): Dataset {
  return { ...dataset, findings: [...dataset.findings, f] };
}

/** Applies one distribution entry onto a resource; API values are per resource so they win over the export's. */
function applyDistribution(r: Resource, dist: Record<string, unknown>): Resource {
  const declared = { ...r.declared };
  const format = str(dist.resourceFormat);
  const encoding = str(dist.resourceCharacterEncoding);
  const fields = formatResourceField(dist.resourceField);
  const description = str(dist.resourceDescription);
  const oasUrl = str(dist.resourceOasUrl);
  const updated = parseTaiwanTime(str(dist.resourceModifiedDate) ?? str(dist.resourceUpdateTime));
  if (format) declared.format = format;
  if (encoding) declared.encoding = encoding;
  if (fields) declared.fields = fields;
  if (description) declared.description = description;
  if (oasUrl) declared.oasUrl = oasUrl;
  if (updated) declared.updatedAt = updated;
  if (oasUrl || (format && /^(api|webservices?)$/i.test(format))) declared.isApi = true;
  const out: Resource = { ...r, declared };
  const qc = str(dist.qcLevel);
  if (qc) out.officialQc = qc;
  return out;
}

async function getJson(url: string, opts: EnrichOptions): Promise<{ status: number; text: string } | { error: string; timeout: boolean }> {
  const timeoutMs = opts.timeoutMs ?? 30_000;
  const maxBytes = opts.maxBytes ?? 5 * 1024 * 1024;
  const f = await opts.http.fetch(url, { maxBytes, totalTimeoutMs: timeoutMs, headers: { accept: 'application/json' }, signal: opts.signal });
  try {
    if (!answered(f)) return { error: failureText(f), timeout: f.kind === 'timeout' };
    if (f.truncated) return { error: `response larger than ${maxBytes} bytes`, timeout: false };
    return { status: f.status, text: await bodyText(f) };
  } finally {
    await opts.http.release(f);
  }
}

/**
 * Fetches `${apiBase}/api/v2/rest/dataset/${id}` and fills per-resource declared format, encoding, fields, OAS URL
 * and the platform's QC level; the frequency only when the export had none. Never throws: any failure returns the
 * dataset unchanged plus a `catalog-api-*` finding.
 */
export async function enrichFromApiV2(dataset: Dataset, apiBase: string, opts: EnrichOptions): Promise<Dataset> {
  const url = `${apiBase.replace(/\/+$/, '')}/api/v2/rest/dataset/${encodeURIComponent(dataset.id)}`;
  let got: Awaited<ReturnType<typeof getJson>>;
  try {
    got = await getJson(url, opts);
  } catch (e) {
    got = { error: (e as Error).message, timeout: false };
  }
  if ('error' in got) {
    return fail(dataset, finding(got.timeout ? 'catalog-api-timeout' : 'catalog-api-unreachable', { id: dataset.id, error: got.error }, { url, error: got.error }));
  }
  if (got.status !== 200) {
    return fail(dataset, finding('catalog-api-http-error', { id: dataset.id, status: got.status }, { url, status: got.status }));
  }
  let body: unknown;
  try {
    body = JSON.parse(got.text.replace(/^\uFEFF/, ''));
  } catch (e) {
    return fail(dataset, finding('catalog-api-malformed', { id: dataset.id, error: (e as Error).message }, { url, excerpt: got.text.slice(0, 200) }));
  }
  const obj = body as { success?: unknown; result?: unknown } | null;
  const result = obj && typeof obj === 'object' ? (obj.result as Record<string, unknown> | undefined) : undefined;
  if (!obj || typeof obj !== 'object' || obj.success === false || !result || typeof result !== 'object') {
    return fail(dataset, finding('catalog-api-unsuccessful', { id: dataset.id, success: obj?.success }, { url, excerpt: got.text.slice(0, 200) }));
  }
  const dist = Array.isArray(result.distribution) ? (result.distribution as unknown[]).filter((d): d is Record<string, unknown> => !!d && typeof d === 'object') : [];

  // Match by download URL; leftovers pair up by order.
  const resources = dataset.resources.slice();
  const used = new Set<number>();
  const matched = new Map<number, Record<string, unknown>>();
  dist.forEach((d, di) => {
    const u = str(d.resourceDownloadUrl);
    if (!u) return;
    const ri = resources.findIndex((r, i) => !matched.has(i) && sameUrl(r.url, u));
    if (ri >= 0) {
      matched.set(ri, d);
      used.add(di);
    }
  });
  const leftover = dist.map((d, i) => ({ d, i })).filter(({ i }) => !used.has(i));
  for (let ri = 0; ri < resources.length && leftover.length; ri++) {
    if (!matched.has(ri)) matched.set(ri, leftover.shift()!.d);
  }
  for (const [ri, d] of matched) resources[ri] = applyDistribution(resources[ri], d);
  // Entries the export did not list are resources too: the API is the fresher view.
  for (const { d } of leftover) {
    const u = str(d.resourceDownloadUrl);
    if (!u) continue;
    resources.push(applyDistribution({ id: `${dataset.id}#${resources.length}`, url: u, declared: {} }, d));
  }

  const out: Dataset = { ...dataset, declared: { ...dataset.declared }, resources, findings: dataset.findings.slice() };
  if (!out.declared.frequency) {
    const freq = formatUpdateFrequency(result.updateFrequency);
    if (freq) out.declared.frequency = freq;
  }
  if (!out.title) out.title = str(result.title) ?? '';
  if (!out.agency) out.agency = str(result.organization) ?? str(result.agency) ?? '';
  return out;
}

/** Enriches many datasets with at most `concurrency` requests in flight (default 4); order is kept. */
export async function enrichManyFromApiV2(
  datasets: Iterable<Dataset>,
  apiBase: string,
  opts: EnrichOptions & { concurrency?: number },
): Promise<Dataset[]> {
  const limit = pLimit(Math.max(1, opts.concurrency ?? 4));
  return Promise.all(Array.from(datasets, (d) => limit(() => enrichFromApiV2(d, apiBase, opts))));
}
