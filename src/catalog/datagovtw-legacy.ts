// Older data.gov.tw shapes kept by OpenData-TW/DataPackage-DGTW (2017–18): scraped dataset pages, the merged
// "datapackage" records with the official checker's per-resource results, flat resource lists, and the
// 2018 scrape records (NODE/TITLE/RESOURCE[]). All map to the same Dataset as the CSV export.
import { finding } from '../messages/index.ts';
import type { Dataset, Finding, Resource } from '../model.ts';
import { parseOfficialBadge } from './datagovtw-badge.ts';
import { checkResourceUrl, DATAGOVTW_TIME_ZONE } from './datagovtw-row.ts';
import { parseTaiwanTime } from './datagovtw-time.ts';

type Obj = Record<string, unknown>;

function s(v: unknown): string | undefined {
  if (typeof v === 'number') return String(v);
  return typeof v === 'string' && v.trim() ? v.trim() : undefined;
}

/** 主要欄位說明 arrives as a 、-joined string or (2018 scrape) an array already split on 、. */
function fieldsText(v: unknown): string | undefined {
  if (Array.isArray(v)) {
    const parts = v.map(s).filter((x): x is string => !!x);
    return parts.length ? parts.join('、') : undefined;
  }
  return s(v);
}

const QC_KEYS = ['linkable', 'downloadable', 'structure', 'encoding_match', 'desc_match', 'csv'] as const;

/** The 2017 checker's codes as one line, e.g. `linkable=1 downloadable=0 structure=2 …` (1 pass, 0 fail, 2 not evaluated). */
function qcText(o: Obj): string | undefined {
  const parts = QC_KEYS.filter((k) => typeof o[k] === 'number' || typeof o[k] === 'string').map((k) => `${k}=${o[k]}`);
  return parts.length ? parts.join(' ') : undefined;
}

/** Views/downloads from whichever field holds `瀏覽次數: N 下載次數: M` (the 2018 scrape shifts columns). */
function usageFrom(o: Obj): Dataset['usage'] | undefined {
  const stats = o.stats;
  if (stats && typeof stats === 'object') {
    const st = stats as Obj;
    const views = Number(s(st['瀏覽次數:']) ?? s(st['瀏覽次數']));
    const downloads = Number(s(st['下載次數:']) ?? s(st['下載次數']));
    if (Number.isFinite(views) || Number.isFinite(downloads)) {
      return { ...(Number.isFinite(views) ? { views } : {}), ...(Number.isFinite(downloads) ? { downloads } : {}) };
    }
  }
  for (const v of Object.values(o)) {
    if (typeof v !== 'string') continue;
    const m = /瀏覽次數[:：]\s*(\d+)\s*下載次數[:：]\s*(\d+)/.exec(v);
    if (m) return { views: Number(m[1]), downloads: Number(m[2]) };
  }
  return undefined;
}

interface Builder {
  dataset: Dataset;
  time(key: 'metadataUpdatedAt' | 'publishedAt', raw: unknown, label: string): void;
  resource(i: number, url: unknown, declared: Resource['declared'], officialQc?: string, updated?: unknown): void;
}

function builder(id: string, title: unknown, agency: unknown): Builder {
  const findings: Finding[] = [];
  const dataset: Dataset = {
    id,
    title: s(title) ?? '',
    agency: s(agency) ?? '',
    source: 'data.gov.tw',
    timeZone: DATAGOVTW_TIME_ZONE,
    declared: {},
    officialBadge: null,
    whitelisted: false,
    findings,
    resources: [],
  };
  const badTime = (label: string, raw: string) =>
    findings.push(finding('catalog-bad-time', { id, column: label, raw }, { column: label, raw }));
  return {
    dataset,
    time(key, raw, label) {
      // The scrapes sometimes shifted keywords into the time field (a string like 社福, or an array).
      const text = Array.isArray(raw) ? JSON.stringify(raw) : s(raw);
      if (!text) return;
      const iso = parseTaiwanTime(text);
      if (iso) dataset[key] = iso;
      else badTime(label, text);
    },
    resource(i, url, declared, officialQc, updated) {
      const u = s(url);
      if (!u) {
        findings.push(finding('catalog-no-resource-url', { variant: 'resource', id, index: i }, { resource: i }));
        return;
      }
      const checked = checkResourceUrl(u, { resource: i });
      if (checked.finding) findings.push(checked.finding);
      const r: Resource = { id: `${id}#${dataset.resources.length}`, url: checked.url, declared: { ...declared } };
      for (const k of Object.keys(r.declared) as (keyof Resource['declared'])[]) if (r.declared[k] === undefined) delete r.declared[k];
      const upd = s(updated);
      if (upd) {
        const iso = parseTaiwanTime(upd);
        if (iso) r.declared.updatedAt = iso;
        else badTime('資料資源更新時間', upd);
      }
      if (officialQc) r.officialQc = officialQc;
      dataset.resources.push(r);
    },
  };
}

function common(b: Builder, o: Obj, k: { freq: string; desc: string; fields: string; license: string; category: string; meta: string; pub: string; formats?: string[] }): void {
  const d = b.dataset.declared;
  const freq = s(o[k.freq]);
  if (freq) d.frequency = freq;
  const desc = s(o[k.desc]);
  if (desc) d.description = desc;
  const fields = fieldsText(o[k.fields]);
  if (fields) d.fields = fields;
  const lic = s(o[k.license]);
  if (lic) d.license = lic;
  const cat = s(o[k.category]);
  if (cat) d.category = cat;
  b.time('metadataUpdatedAt', o[k.meta], '詮釋資料更新時間');
  b.time('publishedAt', o[k.pub], '上架日期');
  const usage = usageFrom(o);
  if (usage) b.dataset.usage = usage;
  const badge = parseOfficialBadge(s(o['品質檢測']) ?? s(o.dataQuality));
  b.dataset.officialBadge = badge.officialBadge;
  b.dataset.whitelisted = badge.whitelisted;
  if (badge.officialBadgeRaw) b.dataset.officialBadgeRaw = badge.officialBadgeRaw;
}

function finish(b: Builder): Dataset {
  const formats = b.dataset.resources.map((r) => r.declared.format).filter((f): f is string => !!f);
  if (formats.length) b.dataset.declared.formats = formats;
  const encs = new Set(b.dataset.resources.map((r) => r.declared.encoding));
  const [only] = encs;
  if (encs.size === 1 && only) b.dataset.declared.encoding = only;
  return b.dataset;
}

/** 2018 scrape: `{NODE, TITLE, SCHEMA, UPDATE_FREQ, DATE_UPDATE_META, RESOURCE:[{RES_URL, RES_FILETYPE, RES_ENCODE, SCHEMA, …}]}`. */
function from2018Record(r: Obj): Dataset {
  const b = builder(s(r.NODE) ?? 'unknown', r.TITLE, r.AGENCY);
  common(b, r, { freq: 'UPDATE_FREQ', desc: 'DESC', fields: 'SCHEMA', license: 'LICENCE', category: 'SERVICE_TYPE', meta: 'DATE_UPDATE_META', pub: 'DATE_PUBLISH' });
  const list = Array.isArray(r.RESOURCE) ? (r.RESOURCE as Obj[]) : [];
  list.forEach((res, i) =>
    b.resource(i, res.RES_URL, { format: s(res.RES_FILETYPE), encoding: s(res.RES_ENCODE), fields: fieldsText(res.SCHEMA) ?? b.dataset.declared.fields, description: s(res.RES_DESC) }, undefined, res.RES_DATE_UPDATE_META),
  );
  if (!list.length) b.resource(0, undefined, {});
  return finish(b);
}

/** Merged datapackage: page labels plus `資料資源: {resource_0: {資源網址, 檔案格式, 編碼, linkable, …}}`. */
function fromDataPackage(o: Obj): Dataset {
  const b = builder(s(o.node) ?? 'unknown', o.title, o['提供機關']);
  common(b, o, { freq: '更新頻率', desc: '資料集描述', fields: '主要欄位說明', license: '授權方式', category: '服務分類', meta: '詮釋資料更新時間', pub: '上架日期' });
  const res = o['資料資源'] as Obj;
  const keys = Object.keys(res).sort((a, c) => Number(a.replace(/\D/g, '')) - Number(c.replace(/\D/g, '')));
  keys.forEach((k, i) => {
    const r = res[k] as Obj;
    b.resource(i, r['資源網址'], { format: s(r['檔案格式']), encoding: s(r['編碼']), fields: fieldsText(r['主要欄位說明']) ?? b.dataset.declared.fields, description: s(r['資源描述']) }, qcText(r), r['資料資源更新時間']);
  });
  return finish(b);
}

/** Scraped page: resource 0 unsuffixed (`資源網址`, `檔案格式`, `編碼`), resource n suffixed `_n`; `resource` = count. */
function fromPage(o: Obj): Dataset {
  const b = builder(s(o.node) ?? 'unknown', o.title, o['提供機關']);
  common(b, o, { freq: '更新頻率', desc: '資料集描述', fields: '主要欄位說明', license: '授權方式', category: '服務分類', meta: '詮釋資料更新時間', pub: '上架日期' });
  const count = typeof o.resource === 'number' && o.resource > 0 ? Math.min(o.resource, 1000) : 1;
  for (let i = 0; i < count; i++) {
    const sfx = i === 0 ? '' : `_${i}`;
    b.resource(i, o[`資源網址${sfx}`], {
      format: s(o[`檔案格式${sfx}`]),
      encoding: s(o[`編碼${sfx}`]),
      fields: fieldsText(o[`主要欄位說明_${i}`]) ?? (i === 0 ? b.dataset.declared.fields : undefined),
      description: s(o[`資源描述${sfx}`]),
    });
  }
  return finish(b);
}

/** Flat resource list: `{node: "28148-機關_名稱", res_name_0, filetype_0, encoding_0, resource_0_url, …}`. */
function fromResourceList(o: Obj): Dataset {
  const node = s(o.node) ?? '';
  const m = /^(\d+)-([^_]*)_?(.*)$/.exec(node);
  const b = builder(m ? m[1] : node || 'unknown', m?.[3], m?.[2]);
  for (let i = 0; i < 1000 && (`resource_${i}_url` in o || `res_name_${i}` in o); i++) {
    b.resource(i, o[`resource_${i}_url`], { format: s(o[`filetype_${i}`])?.toUpperCase(), encoding: s(o[`encoding_${i}`])?.toUpperCase(), description: s(o[`res_name_${i}`]) });
  }
  return finish(b);
}

/**
 * Maps any of the old data.gov.tw JSON shapes to a Dataset. Throws (with the keys it saw) only when the object is
 * none of them, e.g. a dq_event checker answer, which is not a dataset (see officialQcFromDqEvent).
 */
export function datasetFromLegacyJson(json: unknown): Dataset {
  if (!json || typeof json !== 'object' || Array.isArray(json)) throw new Error('legacy data.gov.tw JSON: expected an object');
  const o = json as Obj;
  const rec = o.record && typeof o.record === 'object' ? (o.record as Obj) : undefined;
  if (rec && 'NODE' in rec) return from2018Record(rec);
  if ('NODE' in o && 'RESOURCE' in o) return from2018Record(o);
  if (o['資料資源'] && typeof o['資料資源'] === 'object') return fromDataPackage(o);
  if ('資源網址' in o) return fromPage(o);
  if ('resource_0_url' in o || 'res_name_0' in o) return fromResourceList(o);
  throw new Error(`legacy data.gov.tw JSON: unrecognised shape (keys: ${Object.keys(o).slice(0, 12).join(', ')})`);
}

/**
 * Copies the 2017 checker's per-resource codes (`quality.data.gov.tw/dq_event.php` answer) onto the matching
 * resources as `officialQc`, matched by URL. Resources the answer does not mention are left alone.
 */
export function officialQcFromDqEvent(dataset: Dataset, dqEvent: unknown): Dataset {
  const res = dqEvent && typeof dqEvent === 'object' ? (dqEvent as Obj).resources : undefined;
  if (!res || typeof res !== 'object') return dataset;
  const byUrl = new Map<string, string>();
  for (const [url, entry] of Object.entries(res as Obj)) {
    const r = entry && typeof entry === 'object' ? ((entry as Obj).resource as Obj | undefined) : undefined;
    const qc = r && qcText(r);
    if (qc) byUrl.set(url.trim(), qc);
  }
  return { ...dataset, resources: dataset.resources.map((r) => (byUrl.has(r.url) ? { ...r, officialQc: byUrl.get(r.url) } : r)) };
}
