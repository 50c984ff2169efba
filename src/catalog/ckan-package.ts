// One CKAN package (package_show / package_search result) → the normalised Dataset. Pure: no I/O.
import { finding } from '../messages/index.ts';
import type { Dataset, Finding, Resource } from '../model.ts';
import { parseFrequency } from './frequency.ts';

/** A CKAN package as the action API returns it; every field may be missing or of the wrong type on a real portal. */
export type CkanPackage = Record<string, unknown>;

export interface CkanNormaliseOptions {
  /** The portal base (e.g. https://data.gov.hk/tc-data); decides the migration-date caveat and the language. */
  base?: string;
  /** Extra keys (top level or `extras`) that hold the update frequency on this portal, tried before the built-in ones. */
  frequencyKeys?: string[];
  /** IANA time zone of the portal's readers (`timeZone=` on the source); else PORTAL_TIME_ZONES by host; else UTC. */
  timeZone?: string;
}

/** Time zones of the portals odbadge knows: evidence shows their times as their readers read them. */
export const PORTAL_TIME_ZONES: Record<string, string> = { 'data.gov.hk': 'Asia/Hong_Kong' };

/**
 * Portals whose `metadata_created` is, for many datasets, the date of a platform migration rather than a release.
 * DATA.GOV.HK moved to CKAN 2.9 on 2021-07-02 (badge-rules.md §6).
 */
export const MIGRATION_DATES: Record<string, string[]> = { 'data.gov.hk': ['2021-07-02'] };

/**
 * Keys under which portals put the update frequency (top level first, then `extras`), compared with accents, case
 * and punctuation folded: CKAN's own and DCAT-AP's names, and the extras dados.gov.br (Frequência de atualização,
 * Periodicidade) and other Portuguese, Spanish, French and German portals use.
 */
export const FREQUENCY_KEYS = [
  'update_frequency', 'updateFrequency', 'frequency', 'accrual_periodicity', 'accrualPeriodicity', 'dct:accrualPeriodicity',
  'update-frequency', 'Frequência de atualização', 'Frequência de atualização dos dados', 'Periodicidade',
  'Periodicidade atualização', 'Periodicidade de atualização', 'Frecuencia de actualización', 'Periodicidad',
  'Fréquence de mise à jour', 'Périodicité', 'Aktualisierungsfrequenz', 'Aktualisierungsintervall', 'Aktualisierungszyklus',
];

/** A key as compared: accents, case and everything but letters and digits dropped ("Frequência de Atualização" → "frequenciadeatualizacao"). */
const foldKey = (k: string) => k.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase().replace(/[^\p{L}\p{N}]/gu, '');

const str = (v: unknown): string | undefined => {
  if (typeof v === 'string') return v.trim() || undefined;
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  return undefined;
};
const obj = (v: unknown): Record<string, unknown> | undefined =>
  v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;

/** The value of an `extras` entry ([{key, value}] on CKAN 2.x; sometimes a plain object). */
export function extra(pkg: CkanPackage, keys: string[]): string | undefined {
  const ex = pkg.extras;
  const entries: [string, unknown][] = Array.isArray(ex)
    ? ex.flatMap((e) => (typeof obj(e)?.key === 'string' ? [[obj(e)!.key as string, obj(e)!.value] as [string, unknown]] : []))
    : obj(ex) ? Object.entries(obj(ex)!) : [];
  const byKey = new Map<string, unknown>();
  for (const [k, v] of entries) if (!byKey.has(foldKey(k)) && str(v)) byKey.set(foldKey(k), v);
  for (const k of keys) {
    const v = str(byKey.get(foldKey(k)));
    if (v) return v;
  }
  return undefined;
}

/** The declared update frequency: the portal's own keys first, then the built-in ones; top level before `extras`. */
function frequencyOf(pkg: CkanPackage, extraKeys: string[] = []): { value?: string; key?: string } {
  const keys = [...extraKeys, ...FREQUENCY_KEYS];
  const top = new Map(Object.entries(pkg).map(([k, v]) => [foldKey(k), v]));
  for (const k of keys) {
    const v = str(top.get(foldKey(k)));
    if (v) return { value: v, key: k };
  }
  for (const k of keys) {
    const v = extra(pkg, [k]);
    if (v) return { value: v, key: k };
  }
  return {};
}

/**
 * CKAN stores naive UTC timestamps ("2019-04-12T16:30:07.023285"); dates alone ("2019-02-26") are kept as the
 * portal's calendar date at midnight UTC. Returns ISO 8601 with zone, or undefined for anything unparseable.
 */
export function ckanTime(v: unknown): string | undefined {
  const s = str(v);
  if (!s) return undefined;
  let iso = s;
  if (/^\d{4}-\d{2}-\d{2}$/.test(s)) iso = `${s}T00:00:00Z`;
  else if (/^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/.test(s)) iso = `${s.replace(' ', 'T')}Z`;
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? undefined : d.toISOString();
}

function hostOf(base: string | undefined): string | undefined {
  if (!base) return undefined;
  try {
    return new URL(base).hostname.toLowerCase().replace(/^www\./, '');
  } catch {
    return undefined;
  }
}

function isApiFlag(v: unknown): boolean | undefined {
  if (typeof v === 'boolean') return v;
  const s = str(v)?.toLowerCase();
  if (s === undefined) return undefined;
  if (['y', 'yes', 'true', '1'].includes(s)) return true;
  if (['n', 'no', 'false', '0'].includes(s)) return false;
  return undefined;
}

export function datasetFromCkanPackage(pkg: CkanPackage, opts: CkanNormaliseOptions = {}): Dataset {
  const findings: Finding[] = [];
  const id = str(pkg.name) ?? str(pkg.id) ?? '(no id)';
  if (id === '(no id)') findings.push(finding('catalog-row-malformed', { variant: 'ckan-no-id' }, { keys: Object.keys(pkg).slice(0, 20) }));
  const org = obj(pkg.organization);
  const agency = str(org?.title) ?? str(org?.display_name) ?? str(org?.name) ?? str(pkg.maintainer) ?? str(pkg.author) ?? '';
  if (!agency) findings.push(finding('catalog-agency-missing', { id }));

  const frequency = frequencyOf(pkg, opts.frequencyKeys).value;
  if (!frequency) {
    findings.push(finding('catalog-frequency-missing', {}));
  } else if (parseFrequency(frequency).kind === 'unknown') {
    findings.push(finding('catalog-frequency-unknown', { frequency, key: 'update_frequency' }, { frequency }));
  }

  const rawResources = Array.isArray(pkg.resources) ? pkg.resources : [];
  const resources: Resource[] = [];
  const published: string[] = [];
  rawResources.forEach((raw, i) => {
    const r = obj(raw);
    const url = str(r?.url);
    if (!r) {
      findings.push(finding('catalog-row-malformed', { variant: 'ckan-resource-not-object', index: i + 1, id }, { index: i }));
      return;
    }
    if (!url) {
      // Kept (the portal lists it), so the link check fails it with evidence rather than the resource vanishing.
      findings.push(finding('catalog-resource-url-missing', { index: i + 1, id, ...(str(r.name) ? { name: str(r.name) } : {}) }, { index: i, name: str(r.name) }));
    }
    const pub = ckanTime(r.datePublished);
    if (pub) published.push(pub);
    const isApi = isApiFlag(r.is_api);
    resources.push({
      id: str(r.id) ?? `${id}#${i}`,
      url: url ?? '',
      declared: {
        ...(str(r.format) ? { format: str(r.format) } : {}),
        ...(str(r.description) ?? str(r.name) ? { description: str(r.description) ?? str(r.name) } : {}),
        // last_modified is the file's own update time; `created` is when the record was made, not an update.
        ...(ckanTime(r.last_modified) ? { updatedAt: ckanTime(r.last_modified) } : {}),
        ...(isApi !== undefined ? { isApi } : {}),
        ...(str(r.oas_url) ?? str(r.openapi_url) ? { oasUrl: str(r.oas_url) ?? str(r.openapi_url) } : {}),
      },
    });
  });

  // Release date: the earliest resource datePublished is the publisher's own statement. metadata_created is only
  // a fallback, and not on a portal where it is known to be a migration date.
  let publishedAt: string | undefined = published.sort()[0];
  const created = str(pkg.metadata_created);
  if (!publishedAt && created) {
    const migration = MIGRATION_DATES[hostOf(opts.base) ?? ''] ?? [];
    if (migration.some((d) => created.startsWith(d))) {
      findings.push(finding('catalog-release-date-unknown', { created }, { metadataCreated: created }));
    } else {
      publishedAt = ckanTime(created);
    }
  }

  const formats = [...new Set(resources.map((r) => r.declared.format?.toUpperCase()).filter((f): f is string => !!f))];
  const groups = Array.isArray(pkg.groups) ? pkg.groups.map(obj).filter(Boolean) : [];
  const license = str(pkg.license_title) ?? str(pkg.license_id);
  const description = str(pkg.notes);
  const category = str(groups[0]?.title) ?? str(groups[0]?.display_name);
  const metadataUpdatedAt = ckanTime(pkg.metadata_modified);
  return {
    id,
    title: str(pkg.title) ?? id,
    agency,
    source: 'ckan',
    timeZone: opts.timeZone ?? PORTAL_TIME_ZONES[hostOf(opts.base) ?? ''] ?? 'UTC',
    declared: {
      ...(frequency ? { frequency } : {}),
      ...(formats.length ? { formats } : {}),
      ...(license ? { license } : {}),
      ...(description ? { description } : {}),
      ...(category ? { category } : {}),
    },
    ...(metadataUpdatedAt ? { metadataUpdatedAt } : {}),
    ...(publishedAt ? { publishedAt } : {}),
    officialBadge: null,
    whitelisted: false,
    findings,
    resources,
  };
}
