// The demo portal: 勞動部 and its agencies as a data.gov.tw-style catalogue, built from seed 004's 562 real
// dataset names and usage counts, with the real-world failures of badge-rules.md §7 planted in known places.
// Deterministic: the same seed and `now` give the same portal. The truth (scenarios, expected badges) travels
// with it so tests and the demo report can measure how often odbadge agrees.
import type { Badge } from '../model.ts';
import { createRng, type Rng } from './random.ts';
import { columnsForTitle } from './content.ts';
import { loadSeedUsage, type SeedUsage } from './extract-seed-usage.ts';
import {
  DATASET_SCENARIOS, FAILURE_COUNTS, FINE_COUNTS, PINNED, SCENARIOS, minBadge,
  type DatasetScenarioId, type ScenarioId,
} from './scenarios.ts';

export type { ScenarioId, DatasetScenarioId } from './scenarios.ts';

export const DEFAULT_SEED = 20171110; // the day of the seed's meeting
export const DEFAULT_NOW = new Date('2026-11-01T00:00:00+08:00');
export const ORG_CODE = 'A17000000J'; // 勞動部's agency code, as in its real resource ids

export type { DemoAgency, DemoColumn, DemoDataset, DemoFormat, DemoPortal, DemoResource } from './types.ts';
import type { DemoAgency, DemoColumn, DemoDataset, DemoFormat, DemoPortal, DemoResource } from './types.ts';

const AGENCY_SLUGS: Record<string, string> = {
  勞動部: 'mol',
  勞動部勞工保險局: 'bli',
  勞動部勞動力發展署: 'wda',
  勞動部職業安全衛生署: 'osha',
  勞動部勞動基金運用局: 'blf',
  勞動部勞動及職業安全衛生研究所: 'ilosh',
  勞動部勞動力發展署技能檢定中心: 'wdasc',
};

const DEFAULT_CATEGORY: Record<string, string> = {
  勞動部勞動基金運用局: '投資理財',
  勞動部職業安全衛生署: '公共資訊',
  勞動部勞動及職業安全衛生研究所: '公共資訊',
};

/** Declared 更新頻率 (data.gov.tw vocabulary) with weights and period in days (0 = irregular, cannot be late). */
const FREQUENCIES: { text: string; weight: number; days: number; object?: { Frequency: string; unittime: string } }[] = [
  { text: '每1年', weight: 30, days: 365, object: { Frequency: '1', unittime: '年' } },
  { text: '每1月', weight: 22, days: 30, object: { Frequency: '1', unittime: '月' } },
  { text: '不定期', weight: 14, days: 0 },
  { text: '每3月', weight: 9, days: 91, object: { Frequency: '3', unittime: '月' } },
  { text: '每年', weight: 6, days: 365 },
  { text: '每年一次', weight: 3, days: 365 },
  { text: '每月', weight: 4, days: 30 },
  { text: '每1日', weight: 4, days: 1, object: { Frequency: '1', unittime: '日' } },
  { text: '每日', weight: 2, days: 1 },
  { text: '不定期更新', weight: 3, days: 0 },
  { text: '每1時', weight: 2, days: 1 / 24, object: { Frequency: '1', unittime: '時' } },
];

const BADGE_TEXT: Record<string, string> = { gold: '金標章', silver: '銀標章', bronze: '銅標章', none: '無' };
const SURNAMES = ['陳', '林', '黃', '張', '李', '王', '吳', '劉', '蔡', '楊', '許', '鄭'];
const GIVEN = ['淑芬', '志明', '雅婷', '家豪', '怡君', '建宏', '美玲', '俊傑', '佩君', '宗翰'];
const DAY = 86_400_000;

function weighted<T extends { weight: number }>(rng: Rng, items: T[]): T {
  const total = items.reduce((s, x) => s + x.weight, 0);
  let r = rng.next() * total;
  for (const x of items) if ((r -= x.weight) < 0) return x;
  return items[items.length - 1];
}

/** Taiwan local time, no zone: `YYYY-MM-DD HH:mm:ss.000000` (data.gov.tw's export format). */
export function taiwanTimeText(ms: number): string {
  return new Date(ms + 8 * 3_600_000).toISOString().slice(0, 19).replace('T', ' ') + '.000000';
}

/** ISO 8601 with the +08:00 offset. */
export function taiwanIso(ms: number): string {
  return new Date(ms + 8 * 3_600_000).toISOString().slice(0, 19) + '+08:00';
}

function declaredFieldsText(columns: DemoColumn[], style: 'plain' | 'alias', sep: string): string {
  return columns.map((c) => (style === 'alias' ? `${c.name}(${c.alias})` : c.name)).join(sep);
}

const EXT: Record<DemoFormat, string> = { CSV: '.csv', JSON: '.json', XML: '.xml', PDF: '.pdf', ODT: '.odt' };

export function buildDemoPortal(opts: { seed?: number; now?: Date; usage?: SeedUsage } = {}): DemoPortal {
  const seed = opts.seed ?? DEFAULT_SEED;
  const nowMs = Math.floor((opts.now ?? DEFAULT_NOW).getTime() / 1000) * 1000;
  const usage = opts.usage ?? loadSeedUsage();
  const rng = createRng(seed, 'portal');

  const agencyNames = [...new Set(usage.datasets.map((d) => d.agency))];
  const agencies: DemoAgency[] = agencyNames.map((name, i) => ({ name, slug: AGENCY_SLUGS[name] ?? `agency${i + 1}`, hostIndex: i }));
  const newByTitle = new Map(usage.newDatasets.map((d) => [d.title, d]));

  // ---- 1. datasets with ordinary, healthy resources
  const datasets: DemoDataset[] = usage.datasets.map((row) => {
    const added = newByTitle.get(row.title);
    const freq = weighted(rng, FREQUENCIES);
    const columns = columnsForTitle(row.title);
    const formats: DemoFormat[] = ['CSV'];
    if (rng.chance(0.3)) formats.push('JSON');
    if (rng.chance(0.15)) formats.push('XML');
    const publishedMs = added
      ? Date.parse('2017-04-20T00:00:00+08:00') + rng.int(0, 190) * DAY
      : Date.parse('2013-06-01T00:00:00+08:00') + rng.int(0, 1400) * DAY;
    // Fresh: updated within the declared period (irregular: any time in the last two years).
    const periodMs = freq.days > 0 ? freq.days * DAY : 730 * DAY;
    const updatedMs = nowMs - Math.floor(periodMs * (0.05 + 0.6 * rng.next()) / 1000) * 1000;
    const fieldStyle = rng.chance(0.15) ? 'alias' : 'plain';
    const sep = rng.chance(0.9) ? '、' : rng.pick(['，', ',']);
    const id = String(6000 + row.no);
    const ds: DemoDataset = {
      id,
      no: row.no,
      title: row.title,
      agency: row.agency,
      description: added?.description ?? `${row.agency.replace(/^勞動部(?=.)/, '')}提供之${row.title}資料。`,
      category: added?.category ?? DEFAULT_CATEGORY[row.agency] ?? rng.pick(['求職及就業', '求職及就業', '公共資訊']),
      providerAttribute: rng.chance(0.85) ? '原始資料' : '系統介接程式',
      uploadMethod: rng.chance(0.7) ? '檔案上傳' : '介接',
      license: '政府資料開放授權條款-第1版',
      cost: '免費',
      frequency: freq.text,
      frequencyStyle: freq.object && rng.chance(0.4) ? 'object' : 'string',
      contactName: `${rng.pick(SURNAMES)}${rng.pick(GIVEN)}`,
      contactPhone: `02-${rng.int(2000, 8999)}-${String(rng.int(0, 9999)).padStart(4, '0')}#${rng.int(100, 899)}`,
      publishedAt: taiwanIso(publishedMs).slice(0, 10),
      metadataUpdatedAt: taiwanIso(updatedMs),
      metadataUpdatedAtText: taiwanTimeText(updatedMs),
      officialBadgeText: '',
      usage: { views: row.views, downloads: row.downloads },
      newIn2017: Boolean(added),
      resources: [],
      scenarios: [],
      expectedBadge: 'gold',
      truth: { officialAgrees: true, expectedBonus: false, stale: false },
    };
    ds.resources = formats.map((format, index) => makeResource(rng, ds, index, format, columns, fieldStyle, sep, updatedMs));
    return ds;
  });

  const byTitle = new Map(datasets.map((d) => [d.title, d]));
  const failing = new Set<DemoDataset>();

  // ---- 2. failures: each on its own dataset; pinned complaints first, then random datasets
  const failurePool = rng.shuffle(datasets.filter((d) => !(d.title in PINNED)));
  const failureKinds = Object.keys(FAILURE_COUNTS) as (keyof typeof FAILURE_COUNTS)[];
  const pinnedFine: [DemoDataset, ScenarioId][] = [];
  for (const [title, scenario] of Object.entries(PINNED)) {
    const ds = byTitle.get(title);
    if (!ds) continue;
    if (scenario === 'stale' || SCENARIOS[scenario as ScenarioId].badge !== 'gold') applyFailure(rng, ds, scenario, nowMs), failing.add(ds);
    else pinnedFine.push([ds, scenario as ScenarioId]);
  }
  for (const kind of failureKinds) {
    const already = datasets.filter((d) => d.scenarios.includes(kind)).length;
    for (let i = already; i < FAILURE_COUNTS[kind]; i++) {
      const ds = failurePool.pop()!;
      applyFailure(rng, ds, kind, nowMs);
      failing.add(ds);
    }
  }

  // ---- 3. fine variants on healthy resources of the right format
  for (const [ds, scenario] of pinnedFine) {
    const r = pickResourceFor(rng, ds, scenario, true);
    if (r) r.scenario = scenario;
  }
  for (const [scenario, count] of Object.entries(FINE_COUNTS) as [ScenarioId, number][]) {
    let have = datasets.flatMap((d) => d.resources).filter((r) => r.scenario === scenario).length;
    const pool = rng.shuffle(datasets.filter((d) => !failing.has(d) && !(d.title in PINNED)));
    for (const ds of pool) {
      if (have >= count) break;
      const r = pickResourceFor(rng, ds, scenario, false);
      if (!r) continue;
      r.scenario = scenario;
      have++;
    }
  }

  // ---- 4. OpenAPI documents: the JSON APIs of eight healthy datasets, one document invalid
  const apiDatasets = datasets.filter((d) => !failing.has(d) && d.resources.some((r) => r.format === 'JSON' && SCENARIOS[r.scenario].badge === 'gold'));
  const jobs = byTitle.get('台灣就業通網站職缺清單');
  const oasChosen = [...(jobs && apiDatasets.includes(jobs) ? [jobs] : []), ...rng.shuffle(apiDatasets.filter((d) => d !== jobs))].slice(0, 8);
  oasChosen.forEach((ds, i) => {
    const r = ds.resources.find((x) => x.format === 'JSON')!;
    const format = i % 2 === 0 ? 'yaml' : 'json';
    r.oas = { path: `/OdService/oas/${ds.id}.${format}`, valid: i !== oasChosen.length - 1, format };
    ds.providerAttribute = '系統介接程式';
    ds.truth.expectedBonus = r.oas.valid;
  });

  // ---- 5. truth, then the platform's own badge (mostly right, sometimes out of date)
  for (const ds of datasets) {
    let badge: Badge = ds.truth.stale ? DATASET_SCENARIOS.stale.badge : 'gold';
    for (const r of ds.resources) {
      const info = SCENARIOS[r.scenario];
      r.truth = { badge: info.badge, ...(info.fails ? { fails: info.fails } : {}), ...(info.transient ? { transient: true } : {}), expect: info.expect };
      badge = minBadge(badge, info.badge);
      if (r.scenario !== 'ok' && !ds.scenarios.includes(r.scenario)) ds.scenarios.push(r.scenario);
    }
    ds.expectedBadge = badge;
  }
  const disagree = new Set(rng.shuffle([...datasets]).slice(0, 24));
  for (const ds of datasets) {
    let official = ds.expectedBadge;
    if (disagree.has(ds)) {
      // gold on the platform but broken now (checked before it broke), or a transient failure on the platform's day
      official = official === 'gold' ? rng.pick(['silver', 'bronze', 'none']) : 'gold';
      ds.truth.officialAgrees = false;
    }
    ds.officialBadgeText = BADGE_TEXT[official];
    for (const r of ds.resources) r.qcLevel = ds.truth.officialAgrees ? BADGE_TEXT[r.truth.badge] : ds.officialBadgeText;
  }

  return { seed, now: new Date(nowMs).toISOString(), source: usage.source, agencies, datasets };
}

function makeResource(
  rng: Rng, ds: DemoDataset, index: number, format: DemoFormat, columns: DemoColumn[],
  fieldStyle: 'plain' | 'alias', sep: string, updatedMs: number,
): DemoResource {
  const resourceId = `${ORG_CODE}-${ds.id.padStart(6, '0')}-${index}`;
  // Many real download URLs carry no extension: a checker must judge by content.
  const ext = rng.chance(0.5) ? EXT[format].toLowerCase() : '';
  const encoding = format === 'CSV' ? rng.pick(['UTF-8', 'UTF-8', 'UTF-8', 'UTF8', 'utf-8']) : 'UTF-8';
  return {
    index,
    id: `${ds.id}#${index}`,
    resourceId,
    path: `/OdService/download/${resourceId}${ext}`,
    format,
    description: `${ds.title}-${format}`,
    declaredEncoding: encoding,
    declaredFields: declaredFieldsText(columns, fieldStyle, sep),
    fieldStyle: rng.chance(0.6) ? 'string' : 'list',
    declaredColumns: columns,
    columns,
    recordCount: rng.int(8, 40),
    lineEnding: rng.chance(0.6) ? '\r\n' : '\n',
    updatedAt: taiwanIso(updatedMs),
    scenario: 'ok',
    qcLevel: '',
    truth: { badge: 'gold', expect: SCENARIOS.ok.expect },
  };
}

function replaceResources(rng: Rng, ds: DemoDataset, format: DemoFormat): DemoResource {
  const tmpl = ds.resources[0];
  const r = makeResource(rng, ds, 0, format, tmpl.columns, 'plain', '、', Date.parse(ds.metadataUpdatedAt));
  r.declaredFields = tmpl.declaredFields;
  ds.resources = [r];
  return r;
}

function ensureFormat(rng: Rng, ds: DemoDataset, format: DemoFormat): DemoResource {
  const found = ds.resources.find((r) => r.format === format);
  if (found) return found;
  const t = ds.resources[0];
  const r = makeResource(rng, ds, ds.resources.length, format, t.columns, 'plain', '、', Date.parse(ds.metadataUpdatedAt));
  r.declaredFields = t.declaredFields;
  ds.resources.push(r);
  return r;
}

function applyFailure(rng: Rng, ds: DemoDataset, kind: ScenarioId | DatasetScenarioId, nowMs: number): void {
  ds.scenarios.push(kind);
  switch (kind) {
    case 'stale': {
      // A regular frequency, and metadata several periods old: late under any sensible grace factor.
      const freq = rng.pick(FREQUENCIES.filter((f) => f.days >= 30 && f.object));
      ds.frequency = freq.text;
      const updatedMs = nowMs - Math.round(freq.days * 4 + 30) * DAY - rng.int(0, 86_399) * 1000;
      ds.metadataUpdatedAt = taiwanIso(updatedMs);
      ds.metadataUpdatedAtText = taiwanTimeText(updatedMs);
      for (const r of ds.resources) r.updatedAt = ds.metadataUpdatedAt;
      ds.truth.stale = true;
      return;
    }
    case 'unstructured-pdf':
    case 'unstructured-odt': {
      const r = replaceResources(rng, ds, kind === 'unstructured-pdf' ? 'PDF' : 'ODT');
      r.scenario = kind;
      return;
    }
    case 'malformed-json':
      ensureFormat(rng, ds, 'JSON').scenario = kind;
      return;
    case 'malformed-xml':
      ensureFormat(rng, ds, 'XML').scenario = kind;
      return;
    case 'big5-declared-utf8':
    case 'blank-row':
    case 'subtotal-row':
    case 'title-row':
    case 'ragged-rows': {
      const r = ds.resources.find((x) => x.format === 'CSV')!;
      r.scenario = kind;
      if (kind === 'big5-declared-utf8') r.declaredEncoding = rng.pick(['UTF-8', 'UTF8']);
      return;
    }
    case 'missing-field': {
      // 主要欄位說明 is one value per dataset in the export, so the wrong declaration covers every resource:
      // a 備註 column the files never had.
      for (const r of ds.resources) {
        r.scenario = kind;
        r.declaredColumns = [...r.columns, { name: '備註', alias: 'note', kind: 'text' }];
        const sep = ['、', '，', ','].find((s) => r.declaredFields.includes(s)) ?? '、';
        r.declaredFields = r.declaredFields + sep + (r.declaredFields.includes('(') ? '備註(note)' : '備註');
      }
      return;
    }
    default: {
      // link / download failures: on any one of the dataset's resources
      const r = rng.pick(ds.resources);
      r.scenario = kind;
      return;
    }
  }
}

/** A healthy resource that can carry this fine variant, or null. */
function pickResourceFor(rng: Rng, ds: DemoDataset, scenario: ScenarioId, force: boolean): DemoResource | null {
  const fits = (r: DemoResource) => {
    if (r.scenario !== 'ok') return false;
    switch (scenario) {
      case 'big5-declared-big5': case 'utf8-bom': case 'csv-as-html': return r.format === 'CSV';
      case 'gzip': return r.format === 'CSV' || r.format === 'JSON';
      case 'api-capped-1000': return r.format === 'JSON';
      default: return true;
    }
  };
  if (force && scenario === 'api-capped-1000') ensureFormat(rng, ds, 'JSON');
  const candidates = ds.resources.filter(fits);
  if (!candidates.length) return null;
  const r = rng.pick(candidates);
  if (scenario === 'big5-declared-big5') r.declaredEncoding = rng.pick(['BIG5', 'BIG5', 'Big5', 'BIG-5', 'CP950']);
  if (scenario === 'api-capped-1000') r.recordCount = 1000;
  return r;
}
