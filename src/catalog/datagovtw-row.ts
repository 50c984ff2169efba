// One row of the data.gov.tw bulk export → one Dataset. Columns are found by header name, not position.
import { finding } from '../messages/index.ts';
import type { Dataset, Finding, Resource } from '../model.ts';
import { parseOfficialBadge } from './datagovtw-badge.ts';
import { parseTaiwanTime } from './datagovtw-time.ts';
import { redactText, redactUrl, scrubText, urlSecrets } from '../util/redact.ts';

/**
 * Our name for each column → header spellings seen in exports. Listed in the live export's order, its spelling first:
 * the export writer (datagovtw-export.ts) takes both from here, so what the demo and test portals serve is what this
 * reads.
 */
export const EXPORT_COLUMNS = {
  id: ['資料集識別碼'],
  title: ['資料集名稱'],
  providerAttribute: ['資料提供屬性'],
  category: ['服務分類'],
  quality: ['品質檢測'],
  formats: ['檔案格式'],
  urls: ['資料下載網址'],
  encodings: ['編碼格式'],
  uploadMethod: ['資資料集上架方式', '資料集上架方式'], // the live header has the typo
  description: ['資料集描述'],
  fields: ['主要欄位說明'],
  agency: ['提供機關'],
  frequency: ['更新頻率'],
  license: ['授權方式'],
  relatedUrl: ['相關網址'],
  charge: ['計費方式'],
  contactName: ['提供機關聯絡人姓名'],
  contactPhone: ['提供機關聯絡人電話'],
  publishedAt: ['上架日期'],
  metadataUpdatedAt: ['詮釋資料更新時間'],
  notes: ['備註'],
  amount: ['資料量'],
} as const;

export type ExportColumn = keyof typeof EXPORT_COLUMNS;
export type ColumnIndex = Partial<Record<ExportColumn, number>>;

const REQUIRED: ExportColumn[] = ['id', 'title', 'urls'];

/** Maps header cells to column positions; throws naming every required column that is missing. */
export function indexExportHeader(header: string[]): ColumnIndex {
  const clean = header.map((h) => h.replace(/^\uFEFF/, '').trim());
  const index: ColumnIndex = {};
  for (const [key, names] of Object.entries(EXPORT_COLUMNS) as [ExportColumn, readonly string[]][]) {
    const at = clean.findIndex((h) => names.includes(h));
    if (at >= 0) index[key] = at;
  }
  const missing = REQUIRED.filter((k) => index[k] === undefined).map((k) => EXPORT_COLUMNS[k][0]);
  if (missing.length) {
    throw new Error(
      `data.gov.tw export: required column(s) missing from the header: ${missing.join(', ')} ` +
        `(header was: ${clean.slice(0, 30).join(', ') || '(empty)'})`,
    );
  }
  return index;
}

/** data.gov.tw's readers, and the times it publishes, are in Taiwan. */
export const DATAGOVTW_TIME_ZONE = 'Asia/Taipei';

/** Splits a `;`-joined export value; empty pieces are dropped. */
export function splitList(value: string | undefined): string[] {
  if (!value) return [];
  return value
    .split(/[;；]/)
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

const SCHEME_RE = /^[a-z][a-z0-9+.-]*:/i;

/**
 * Splits 資料下載網址. A `;` may also sit inside a URL (`…/a.do;jsessionid=…`): when there are more pieces
 * than declared formats, a piece that does not start like a URL is glued back onto the one before it.
 */
export function splitUrls(value: string | undefined, expected: number): string[] {
  const pieces = (value ?? '').split(';').map((s) => s.trim());
  const nonEmpty = pieces.filter((s) => s.length > 0);
  if (expected <= 0 || nonEmpty.length <= expected) return nonEmpty;
  const out: string[] = [];
  for (const p of pieces) {
    if (out.length > 0 && p && !SCHEME_RE.test(p) && !/^www\./i.test(p)) out[out.length - 1] += `;${p}`;
    else if (p) out.push(p);
  }
  return out;
}

export interface UrlCheck {
  url: string;
  finding?: Finding;
}

/**
 * Keeps the URL as declared (for fetching); says what is wrong with it. An `<a href=…>` wrapper is unwrapped (seen
 * in 2018). Findings are recorded and reported, so they quote the URL only redacted.
 */
export function checkResourceUrl(raw: string, where: Record<string, unknown>): UrlCheck {
  let url = raw.trim();
  const href = /^<a\s[^>]*href\s*=\s*["']?([^"'\s>]+)/i.exec(url);
  if (href) {
    url = href[1];
    const shown = redactUrl(url);
    return {
      url,
      finding: finding('catalog-url-html-wrapped', { url: shown }, { ...where, raw: scrubText(redactText(raw), urlSecrets(url)) }),
    };
  }
  let parsed: URL | undefined;
  try {
    parsed = new URL(url);
  } catch {
    parsed = undefined;
  }
  if (!parsed || (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')) {
    const shown = redactUrl(url);
    return {
      url,
      finding: finding('catalog-bad-url', { url: shown }, { ...where, url: shown }),
    };
  }
  return { url };
}

/** Picks value i of a parallel list: same length → by index; one value → applies to all. */
function pick(list: string[], i: number): string | undefined {
  if (list.length === 1) return list[0];
  return list[i];
}

function nonEmpty(s: string | undefined): string | undefined {
  const t = s?.trim();
  return t ? t : undefined;
}

export interface RowContext {
  /** physical line of the export where this row starts (header = line 1) */
  line: number;
  /** how many cells the header has */
  headerLength: number;
}

/** Builds a Dataset from one export row. Never throws: problems become findings. */
export function datasetFromExportRow(cells: string[], index: ColumnIndex, ctx: RowContext): Dataset {
  const findings: Finding[] = [];
  const get = (key: ExportColumn): string | undefined => {
    const at = index[key];
    return at === undefined ? undefined : nonEmpty(cells[at]);
  };
  if (cells.length !== ctx.headerLength) {
    findings.push(
      finding('catalog-row-malformed', { variant: 'cell-count', line: ctx.line, cells: cells.length, expected: ctx.headerLength }, { line: ctx.line, cells: cells.length, expected: ctx.headerLength }),
    );
  }
  let id = get('id');
  if (!id) {
    id = `row-${ctx.line}`;
    findings.push(finding('catalog-missing-id', { line: ctx.line }, { line: ctx.line }));
  }
  const badge = parseOfficialBadge(get('quality'));
  if (!badge.recognised) {
    findings.push(finding('catalog-unknown-badge', { raw: badge.officialBadgeRaw ?? '' }, { raw: badge.officialBadgeRaw }));
  }

  const formats = splitList(get('formats'));
  const encodings = splitList(get('encodings'));
  const urls = splitUrls(get('urls'), formats.length);
  const fields = get('fields');
  const resources: Resource[] = [];
  if (urls.length === 0) {
    findings.push(finding('catalog-no-resource-url', { variant: 'none', id }, { line: ctx.line }));
  } else {
    const mismatched: { formats?: number; encodings?: number } = {};
    if (formats.length > 1 && formats.length !== urls.length) mismatched.formats = formats.length;
    if (encodings.length > 1 && encodings.length !== urls.length) mismatched.encodings = encodings.length;
    if (Object.keys(mismatched).length) {
      findings.push(finding('catalog-resource-count-mismatch', { id, urls: urls.length, ...mismatched }, { urls: urls.length, formats: formats.length, encodings: encodings.length }));
    }
    urls.forEach((raw, i) => {
      const checked = checkResourceUrl(raw, { line: ctx.line, resource: i });
      if (checked.finding) findings.push(checked.finding);
      const declared: Resource['declared'] = {};
      const format = pick(formats, i);
      const encoding = pick(encodings, i);
      if (format) declared.format = format;
      if (encoding) declared.encoding = encoding;
      if (fields) declared.fields = fields;
      resources.push({ id: `${id}#${i}`, url: checked.url, declared });
    });
  }

  const dataset: Dataset = {
    id,
    title: get('title') ?? '',
    agency: get('agency') ?? '',
    source: 'data.gov.tw',
    timeZone: DATAGOVTW_TIME_ZONE,
    declared: {},
    officialBadge: badge.officialBadge,
    whitelisted: badge.whitelisted,
    findings,
    resources,
  };
  if (badge.officialBadgeRaw !== undefined) dataset.officialBadgeRaw = badge.officialBadgeRaw;
  const d = dataset.declared;
  const set = <K extends keyof typeof d>(k: K, v: (typeof d)[K] | undefined) => {
    if (v !== undefined) d[k] = v;
  };
  set('frequency', get('frequency'));
  set('fields', fields);
  if (formats.length) d.formats = formats;
  if (encodings.length && encodings.every((e) => e === encodings[0])) d.encoding = encodings[0];
  set('license', get('license'));
  set('description', get('description'));
  set('providerAttribute', get('providerAttribute'));
  set('category', get('category'));
  set('uploadMethod', get('uploadMethod'));

  for (const key of ['metadataUpdatedAt', 'publishedAt'] as const) {
    const raw = get(key);
    if (!raw) continue;
    const iso = parseTaiwanTime(raw);
    if (iso) dataset[key] = iso;
    else
      findings.push(finding('catalog-bad-time', { id, column: EXPORT_COLUMNS[key][0], raw }, { column: EXPORT_COLUMNS[key][0], raw }));
  }
  return dataset;
}

/** A row csv-parse could not parse at all: only its line and the error survive. */
export function unparsableRowDataset(line: number, error: string, raw: string | undefined): Dataset {
  return {
    id: `row-${line}`,
    title: '',
    agency: '',
    source: 'data.gov.tw',
    timeZone: DATAGOVTW_TIME_ZONE,
    declared: {},
    officialBadge: null,
    whitelisted: false,
    findings: [
      finding('catalog-row-malformed', { variant: 'unparsable', line, error }, { line, error, raw: raw === undefined ? undefined : raw.slice(0, 500) }),
    ],
    resources: [],
  };
}
