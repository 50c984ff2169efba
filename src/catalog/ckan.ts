// The CKAN catalogue adapter (CKAN 2.9+ action API v3; DATA.GOV.HK, dados.gov.br, …) → Dataset stream.
//
// Source syntax (for --catalog):
//   ckan:<base>[?organization=<name>&group=<name>&q=<solr query>&fq=<filter>&rows=<page size>&start=<n>&limit=<n>&archive=<api base>
//              &frequencyKey=<extras key>&timeZone=<IANA zone>]   (frequencyKey may repeat: keys this portal keeps
//              更新頻率 under; timeZone: where its readers are, for times in evidence — default by host, else UTC)
//   <base>/api/3/action[/…]            any URL naming the action API is recognised without the prefix
//   https://data.gov.hk/{en,tc,sc}-data DATA.GOV.HK's three language variants are recognised without the prefix
// <base> is the portal root the action API hangs off (https://data.gov.hk/tc-data, https://demo.ckan.org).
import { finding, isTimeZone } from '../messages/index.ts';
import type { Dataset } from '../model.ts';
import { applyCaptureEvidence, listFileVersions } from './ckan-archive.ts';
import { CkanError, ckanAction, type CkanHttpOptions } from './ckan-http.ts';
import { datasetFromCkanPackage, type CkanPackage } from './ckan-package.ts';

export { CkanError, unwrapCkanResponse } from './ckan-http.ts';
export { datasetFromCkanPackage, ckanTime, MIGRATION_DATES, type CkanPackage } from './ckan-package.ts';

export type CkanLanguage = 'en' | 'zh-HK' | 'zh-CN';

export interface CkanSource {
  /** Portal base without a trailing slash, e.g. https://data.gov.hk/tc-data */
  base: string;
  /** {base}/api/3/action */
  apiBase: string;
  /** From DATA.GOV.HK's /en-data, /tc-data, /sc-data path; undefined elsewhere. */
  language?: CkanLanguage;
  organization?: string;
  group?: string;
  q?: string;
  fq?: string;
  /** page size for package_search (default 100, CKAN caps it at 1000) */
  rows: number;
  start: number;
  /** stop after this many datasets */
  limit?: number;
  /** base of the DATA.GOV.HK historical archive API (e.g. https://api.data.gov.hk) to read capture times from */
  archive?: string;
  /** keys (top level or extras) holding the update frequency on this portal, before the built-in list */
  frequencyKeys?: string[];
  /** the portal's time zone for evidence (`timeZone=Asia/Hong_Kong`); default PORTAL_TIME_ZONES by host, else UTC */
  timeZone?: string;
}

const HK_LANG: Record<string, CkanLanguage> = { en: 'en', tc: 'zh-HK', sc: 'zh-CN' };

export function isCkanSource(source: string): boolean {
  return /^ckan:/i.test(source) || /^https?:\/\/[^?#]*\/api\/3\/action(\/|\?|$)/i.test(source) || /^https?:\/\/(www\.)?data\.gov\.hk\/(en|tc|sc)-data(\/|\?|$)/i.test(source);
}

export function parseCkanSource(source: string): CkanSource {
  const raw = source.replace(/^ckan:/i, '');
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    throw new Error(`CKAN source "${source}" is not a URL (expected e.g. ckan:https://data.gov.hk/tc-data)`);
  }
  if (!/^https?:$/.test(u.protocol)) throw new Error(`CKAN source "${source}": only http(s) portals are supported`);
  const path = u.pathname.replace(/\/api\/3\/action(\/.*)?$/i, '').replace(/\/+$/, '');
  const base = `${u.origin}${path}`;
  const p = u.searchParams;
  const int = (name: string, dflt: number | undefined, max = Number.MAX_SAFE_INTEGER): number | undefined => {
    const v = p.get(name);
    if (v === null) return dflt;
    const n = Number(v);
    if (!Number.isInteger(n) || n < 0 || n > max) throw new Error(`CKAN source: ${name}=${v} is not a whole number between 0 and ${max}`);
    return n;
  };
  const lang = /\/(en|tc|sc)-data$/i.exec(path)?.[1]?.toLowerCase();
  return {
    base,
    apiBase: `${base}/api/3/action`,
    ...(lang ? { language: HK_LANG[lang] } : {}),
    ...(p.get('organization') ? { organization: p.get('organization')! } : {}),
    ...(p.get('group') ? { group: p.get('group')! } : {}),
    ...(p.get('q') ? { q: p.get('q')! } : {}),
    ...(p.get('fq') ? { fq: p.get('fq')! } : {}),
    rows: Math.max(1, int('rows', 100, 1000)!),
    start: int('start', 0)!,
    ...(int('limit', undefined) !== undefined ? { limit: int('limit', undefined)! } : {}),
    ...(p.get('archive') ? { archive: p.get('archive')! } : {}),
    ...(p.getAll('frequencyKey').length ? { frequencyKeys: p.getAll('frequencyKey').filter(Boolean) } : {}),
    ...(p.get('timeZone') ? { timeZone: zoneOption(p.get('timeZone')!) } : {}),
  };
}

function zoneOption(name: string): string {
  if (!isTimeZone(name)) throw new Error(`CKAN source: timeZone=${name} is not an IANA time zone (e.g. Asia/Hong_Kong)`);
  return name;
}

/** What datasetFromCkanPackage needs to know of the source. */
function normaliseOptions(src: CkanSource) {
  return { base: src.base, ...(src.frequencyKeys ? { frequencyKeys: src.frequencyKeys } : {}), ...(src.timeZone ? { timeZone: src.timeZone } : {}) };
}

/** DATA.GOV.HK's three language variants of a base (…/en-data, …/tc-data, …/sc-data). */
export function ckanLanguageVariants(base: string): Record<CkanLanguage, string> {
  const root = base.replace(/\/+$/, '').replace(/\/(en|tc|sc)-data$/i, '');
  return { en: `${root}/en-data`, 'zh-HK': `${root}/tc-data`, 'zh-CN': `${root}/sc-data` };
}

export interface CkanReadOptions extends CkanHttpOptions {
  /** --agency: an organisation name (slug) or title; a trailing * matches titles by prefix. */
  agency?: string;
  /** a safety stop for portals that never stop paging (default 10,000 pages) */
  maxPages?: number;
  now?: () => Date;
}

const SLUG = /^[a-z0-9_-]+$/;

/** Maps --agency (a title such as 漁農自然護理署, or a prefix 勞動部*) to CKAN organisation names, when the portal says. */
export async function organizationsFor(apiBase: string, agency: string, o: CkanHttpOptions): Promise<string[]> {
  if (SLUG.test(agency)) return [agency];
  let list: unknown;
  try {
    list = await ckanAction(apiBase, 'organization_list', { all_fields: 'true', limit: 1000 }, o);
  } catch {
    return []; // not fatal: the caller filters by name after reading
  }
  if (!Array.isArray(list)) return [];
  const prefix = agency.endsWith('*') ? agency.slice(0, -1) : undefined;
  const hits = list.filter((x): x is Record<string, unknown> => !!x && typeof x === 'object').filter((x) => {
    const names = [x.title, x.display_name].filter((t): t is string => typeof t === 'string');
    return names.some((t) => (prefix !== undefined ? t.startsWith(prefix) : t === agency));
  });
  return hits.map((x) => String(x.name)).filter((n) => SLUG.test(n));
}

function malformedPackage(index: number, raw: unknown): Dataset {
  return {
    id: `(package ${index + 1})`, title: '(unreadable package)', agency: '', source: 'ckan', declared: {}, whitelisted: false, officialBadge: null,
    findings: [finding('catalog-row-malformed', { variant: 'ckan-package-not-object', index: index + 1 }, { value: JSON.stringify(raw)?.slice(0, 200) })],
    resources: [],
  };
}

export async function ckanPackageShow(source: string, id: string, o: CkanHttpOptions): Promise<Dataset> {
  const src = parseCkanSource(source);
  const result = await ckanAction(src.apiBase, 'package_show', { id }, o);
  if (!result || typeof result !== 'object') throw new CkanError('package_show', `CKAN package_show ${id}: result is not a package`);
  return datasetFromCkanPackage(result as CkanPackage, normaliseOptions(src));
}

export async function* readCkan(source: string, o: CkanReadOptions): AsyncGenerator<Dataset> {
  const src = parseCkanSource(source);
  const http: CkanHttpOptions = { http: o.http, signal: o.signal, maxBytes: o.maxBytes };
  for await (const d of packages(src, o, http)) {
    if (src.archive && d.resources.length) {
      const end = (o.now ?? (() => new Date()))();
      const start = new Date(end.getTime() - 400 * 86_400_000);
      const evidence = [];
      for (const r of d.resources) evidence.push(await listFileVersions(r.url, { apiBase: src.archive, start, end, ...http }));
      applyCaptureEvidence(d, evidence);
    }
    yield d;
  }
}

async function* packages(src: CkanSource, o: CkanReadOptions, http: CkanHttpOptions): AsyncGenerator<Dataset> {
  const opts = normaliseOptions(src);
  let yielded = 0;
  if (src.group) {
    // group_package_show answers one list (no paging), newest first.
    const list = await ckanAction(src.apiBase, 'group_package_show', { id: src.group, limit: src.limit }, http);
    if (!Array.isArray(list)) throw new CkanError('group_package_show', 'CKAN group_package_show: result is not a list');
    for (const [i, p] of list.entries()) {
      if (src.limit !== undefined && yielded >= src.limit) return;
      yielded++;
      yield p && typeof p === 'object' && !Array.isArray(p) ? datasetFromCkanPackage(p as CkanPackage, opts) : malformedPackage(i, p);
    }
    return;
  }
  const orgs = src.organization ? [src.organization] : o.agency ? await organizationsFor(src.apiBase, o.agency, http) : [];
  const fq = [src.fq, orgs.length ? `organization:(${orgs.join(' OR ')})` : undefined].filter(Boolean).join(' AND ') || undefined;
  let start = src.start;
  const maxPages = o.maxPages ?? 10_000;
  for (let page = 0; page < maxPages; page++) {
    if (o.signal?.aborted) return;
    const rows = src.limit !== undefined ? Math.min(src.rows, src.limit - yielded) : src.rows;
    if (rows <= 0) return;
    // A fixed sort keeps pages stable while the portal changes underneath (the default sorts by modification time).
    const result = await ckanAction(src.apiBase, 'package_search', { q: src.q ?? '*:*', fq, rows, start, sort: src.q ? undefined : 'name asc' }, http);
    const r = result && typeof result === 'object' ? (result as Record<string, unknown>) : {};
    if (!Array.isArray(r.results)) throw new CkanError('package_search', 'CKAN package_search: result has no results list');
    const count = typeof r.count === 'number' ? r.count : undefined;
    for (const [i, p] of r.results.entries()) {
      if (src.limit !== undefined && yielded >= src.limit) return;
      yielded++;
      yield p && typeof p === 'object' && !Array.isArray(p) ? datasetFromCkanPackage(p as CkanPackage, opts) : malformedPackage(start + i, p);
    }
    start += r.results.length;
    if (r.results.length === 0 || (count !== undefined && start >= count)) return;
  }
  throw new CkanError('package_search', `CKAN package_search: stopped after ${maxPages} pages; the portal kept answering more`);
}
