// The shape of data.gov.tw for the portal-scale benchmark: ~53,000 datasets of ~590 agencies, ≈ 2.8 resources each
// (many with 1–3, a tail to 30), a CSV/JSON/XML mix with a few PDFs, resources spread over H hosts with per-host
// median latencies, body sizes log-normal around 12 KB, and the defects users meet (2 % 404, 1 % HTML landing
// pages, Big5 declared UTF-8, blank/title/subtotal rows, malformed JSON/XML, stale metadata …) at realistic rates.
//
// Everything is drawn from (seed, dataset index), so dataset i is the same every time it is asked for and nothing
// of the portal needs to be held: the simulator rebuilds a dataset per request, the results generator per row.
// Bodies, landing and error pages, scenarios and their truth come from the demo portal (src/demo) — one
// implementation of what a resource looks like.
import { exportCsvRow, exportCsvStart } from '../../src/catalog/datagovtw-export.ts';
import {
  columnsForTitle, landingPage, loginPage, noDataBody, notFoundPage, renderResource,
} from '../../src/demo/content.ts';
import { taiwanIso, taiwanTimeText, type DemoColumn, type DemoDataset, type DemoFormat, type DemoPortal, type DemoResource } from '../../src/demo/portal.ts';
import { createRng, type Rng } from '../../src/demo/random.ts';
import { minBadge, SCENARIOS, type ScenarioId } from '../../src/demo/scenarios.ts';
import { LOCAL_GOVERNMENTS } from '../../src/score/groups.ts';

export interface ShapeOptions {
  datasets: number;
  hosts: number;
  /** Median of the per-host median latencies, ms. */
  latencyMs: number;
  seed?: number;
  /** The instant metadata times are relative to (ms); the audit judges timeliness against its own clock. */
  now?: number;
}

/** A resource of the simulated portal: a demo resource plus the host it lives on. */
export interface SimResource extends DemoResource {
  host: number;
}

export interface SimDataset extends DemoDataset {
  index: number;
  resources: SimResource[];
}

/** What a host answers to one request. `first` names the resource when this is its own URL (not a helper hop). */
export interface Reply {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
  first?: { dataset: number; resource: number };
}

/** The h-th host's address: 127.0.x.(10…249), never outside 127.0.0.0/8 (Linux routes all of it to lo). */
export function hostAddress(h: number): string {
  return `127.0.${Math.floor(h / 240)}.${10 + (h % 240)}`;
}

// ---------------------------------------------------------------- the numbers (each is a modelling choice)

/** Resources per dataset: [count, weight]; 6–10 and 11–30 drawn uniformly. Mean ≈ 2.8. */
const RESOURCE_COUNTS: [number | [number, number], number][] = [[1, 34], [2, 24], [3, 26], [4, 6], [5, 3], [[6, 10], 5], [[11, 30], 2]];
/** Spread of per-host medians (log-normal σ) and of each response around its host's median. */
const HOST_LATENCY_SIGMA = 0.5;
const RESPONSE_LATENCY_SIGMA = 0.3;
/** Body sizes: log-normal, median 12 KB, σ 1.2 (p95 ≈ 86 KB, the largest of 150,000 ≈ 2–3 MB), capped at 8 MB. */
const BODY_MEDIAN = 12 * 1024;
const BODY_SIGMA = 1.2;
const BODY_CAP = 8 * 1024 * 1024;
/** How unevenly agencies publish: weight of the r-th agency ∝ 1/√r. ~90 datasets per agency on average. */
const DATASETS_PER_AGENCY = 90;
/** Share of an agency's resources on its own host; the rest sit on shared platforms (any host). */
const OWN_HOST = 0.85;

/** Per-resource defects and harmless oddities, by format; the rest are plain `ok`. Probabilities per resource. */
const ANY: [ScenarioId, number][] = [['not-found', 0.02], ['html-landing', 0.01], ['redirect-chain', 0.01], ['no-data-200', 0.003], ['login-redirect', 0.002]];
const BY_FORMAT: Partial<Record<DemoFormat, [ScenarioId, number][]>> = {
  CSV: [
    ['utf8-bom', 0.05], ['big5-declared-big5', 0.02], ['big5-declared-utf8', 0.015], ['csv-as-html', 0.01], ['gzip', 0.01],
    ['title-row', 0.01], ['subtotal-row', 0.008], ['blank-row', 0.006], ['ragged-rows', 0.006],
  ],
  JSON: [['malformed-json', 0.01], ['gzip', 0.01]],
  XML: [['malformed-xml', 0.01]],
};
/** Dataset-level: a declared field the files lack; metadata several periods old. */
const MISSING_FIELD = 0.015;
const STALE = 0.04;
/** A resource replaced by a document (說明文件 as PDF/ODT): unstructured. */
const PDF = 0.015;
const ODT = 0.003;

const FREQUENCIES: { text: string; days: number; weight: number }[] = [
  { text: '每1年', days: 365, weight: 30 }, { text: '每1月', days: 30, weight: 22 }, { text: '不定期', days: 0, weight: 20 },
  { text: '每3月', days: 91, weight: 10 }, { text: '每6月', days: 182, weight: 6 }, { text: '每1日', days: 1, weight: 6 },
  { text: '每1週', days: 7, weight: 3 },
];

const CENTRAL = [
  '內政部', '外交部', '國防部', '財政部', '教育部', '法務部', '經濟部', '交通部', '勞動部', '農業部', '衛生福利部', '環境部',
  '文化部', '數位發展部', '國家發展委員會', '國家科學及技術委員會', '大陸委員會', '金融監督管理委員會', '海洋委員會',
  '原住民族委員會', '客家委員會', '行政院主計總處', '行政院人事行政總處', '國家通訊傳播委員會', '公平交易委員會',
];
const CENTRAL_UNITS = ['', '統計處', '資訊處', '秘書處', '綜合規劃司', '北區分署', '中區分署', '南區分署', '東區分署', '訓練中心',
  '檢驗局', '管理局', '研究所', '博物館', '圖書館', '資料中心', '服務處', '保險局', '署', '基金運用局'];
const LOCAL_UNITS = ['', '主計處', '交通局', '環境保護局', '衛生局', '教育局', '社會局', '民政局', '地政局', '工務局', '都市發展局',
  '文化局', '財政局', '警察局', '消防局', '觀光傳播局', '經濟發展局', '勞動局', '農業局', '水利局'];
/** Title topics; their keywords pick the demo's column templates (wages, funds, registers, insurance, accidents …). */
const TOPICS = [
  '平均薪資統計', '基金運用概況', '醫療機構名冊', '投保單位統計', '職業災害統計', '職業訓練課程', '受理案件統計', '補助核定清單',
  '公共設施一覽表', '人口統計', '交通事故統計', '預算執行情形', '服務據點地址', '勞工保險給付', '就業服務統計', '檢查結果統計',
  '年金給付統計', '機構電話一覽表', '技能檢定合格人數', '創業貸款統計',
];

// ---------------------------------------------------------------- draws

function normal(rng: Rng): number {
  // Box–Muller; 1 − u keeps log() away from 0.
  return Math.sqrt(-2 * Math.log(1 - rng.next())) * Math.cos(2 * Math.PI * rng.next());
}
export const logNormal = (rng: Rng, median: number, sigma: number) => median * Math.exp(sigma * normal(rng));

function weighted<T>(rng: Rng, items: [T, number][]): T {
  const total = items.reduce((s, [, w]) => s + w, 0);
  let r = rng.next() * total;
  for (const [x, w] of items) if ((r -= w) < 0) return x;
  return items[items.length - 1][0];
}

/** Index into cumulative weights (binary search). */
function pickCumulative(cum: Float64Array, u: number): number {
  let lo = 0;
  let hi = cum.length - 1;
  const x = u * cum[hi];
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (cum[mid] > x) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

const BADGE_TEXT: Record<string, string> = { gold: '金標章', silver: '銀標章', bronze: '銅標章', none: '無' };
const EXT: Record<DemoFormat, string> = { CSV: '.csv', JSON: '.json', XML: '.xml', PDF: '.pdf', ODT: '.odt' };
const DAY = 86_400_000;
const PATH = /^\/od\/(\d+)\/(\d+)(?:\.[a-z]+)?(\/hop1|\/hop2|\/file)?$/;
const FIRST_ID = 10001;

export class PortalShape {
  readonly opts: Required<ShapeOptions>;
  readonly agencies: string[];
  /** Median latency of each host, ms. */
  readonly hostMedianMs: number[];
  readonly #agencyCum: Float64Array;
  /** Each agency's own hosts: [first, count] (hosts taken round the ring, big agencies on several). */
  readonly #agencyHosts: [number, number][];
  /** The demo renderer takes a portal for its seed only. */
  readonly #portal: DemoPortal;
  readonly #bytesPerRecord = new Map<string, number>();
  readonly #bodies = new Map<string, ReturnType<typeof renderResource>>();
  #cachedBytes = 0;
  readonly #datasets = new Map<number, SimDataset>();
  #jitter: Rng;

  constructor(opts: ShapeOptions) {
    this.opts = { seed: 53_000, now: Date.now(), ...opts };
    const { seed, hosts } = this.opts;
    const rng = createRng(seed, 'shape');
    const names = rng.shuffle([
      ...CENTRAL.flatMap((m) => CENTRAL_UNITS.map((u) => m + u)),
      ...LOCAL_GOVERNMENTS.flatMap((c) => LOCAL_UNITS.map((u) => `${c}政府${u}`)),
    ]);
    const count = Math.max(5, Math.min(names.length, Math.round(this.opts.datasets / DATASETS_PER_AGENCY)));
    this.agencies = names.slice(0, count);
    this.#agencyCum = new Float64Array(count);
    let sum = 0;
    for (let r = 0; r < count; r++) this.#agencyCum[r] = sum += 1 / Math.sqrt(r + 1);
    // Hosts roughly balanced: an agency with a large share of the catalogue gets proportionally many hosts, so no
    // single host's per-host limit (4 in flight, ≥ 100 ms between starts) bounds the audit before C / latency does.
    let next = 0;
    this.#agencyHosts = this.agencies.map((_, r) => {
      const share = (this.#agencyCum[r] - (r ? this.#agencyCum[r - 1] : 0)) / sum;
      const m = Math.max(1, Math.min(hosts, Math.round(share * hosts)));
      const first = next % hosts;
      next += m;
      return [first, m];
    });
    this.hostMedianMs = Array.from({ length: hosts }, () => logNormal(rng, this.opts.latencyMs, HOST_LATENCY_SIGMA));
    this.#portal = { seed, now: new Date(this.opts.now).toISOString(), source: 'portal-scale benchmark', agencies: [], datasets: [] };
    this.#jitter = createRng(seed, 'jitter');
  }

  /** Expected latency of a response on `host` (the log-normal's mean), ms. */
  meanLatency(host: number): number {
    return this.hostMedianMs[host] * Math.exp(RESPONSE_LATENCY_SIGMA ** 2 / 2);
  }

  /** One response's latency on `host`: its median, jittered. */
  latency(host: number): number {
    return logNormal(this.#jitter, this.hostMedianMs[host], RESPONSE_LATENCY_SIGMA);
  }

  /** Dataset i (0-based), the same every time. The last few thousand are kept: their resources are asked for together. */
  dataset(i: number): SimDataset {
    let d = this.#datasets.get(i);
    if (!d) {
      d = this.#draw(i);
      this.#datasets.set(i, d);
      if (this.#datasets.size > 4096) this.#datasets.delete(this.#datasets.keys().next().value!);
    }
    return d;
  }

  datasetById(id: string): SimDataset | undefined {
    const i = Number(id) - FIRST_ID;
    return Number.isInteger(i) && i >= 0 && i < this.opts.datasets ? this.dataset(i) : undefined;
  }

  #draw(i: number): SimDataset {
    const rng = createRng(this.opts.seed, `ds:${i}`);
    const nowMs = this.opts.now;
    const a = pickCumulative(this.#agencyCum, rng.next());
    const agency = this.agencies[a];
    const id = String(FIRST_ID + i);
    const title = `${agency}${rng.int(100, 114)}年${rng.pick(TOPICS)}`;
    const columns = columnsForTitle(title);
    const n = weighted(rng, RESOURCE_COUNTS);
    const k = typeof n === 'number' ? n : rng.int(n[0], n[1]);
    const formats = formatsFor(rng, k);
    const freq = weighted(rng, FREQUENCIES.map((f) => [f, f.weight]));
    const stale = rng.chance(STALE) && freq.days >= 30;
    const periodMs = freq.days > 0 ? freq.days * DAY : 730 * DAY;
    const updatedMs = stale
      ? nowMs - Math.round(freq.days * 4 + 30) * DAY
      : nowMs - Math.floor((periodMs * (0.05 + 0.6 * rng.next())) / 1000) * 1000;
    const alias = rng.chance(0.15);
    const declaredFields = (cols: DemoColumn[]) => cols.map((c) => (alias ? `${c.name}(${c.alias})` : c.name)).join('、');
    const missingField = rng.chance(MISSING_FIELD);
    const ds: SimDataset = {
      index: i, id, no: i + 1, title, agency,
      description: `${agency}提供之${title}資料。`,
      category: rng.pick(['公共資訊', '求職及就業', '生活安全及品質', '交通及通訊', '投資理財', '就醫', '文化休閒']),
      providerAttribute: rng.chance(0.85) ? '原始資料' : '系統介接程式',
      uploadMethod: rng.chance(0.7) ? '檔案上傳' : '介接',
      license: '政府資料開放授權條款-第1版', cost: '免費', frequency: freq.text, frequencyStyle: 'string',
      contactName: `${rng.pick(['陳', '林', '黃', '張', '李', '王'])}${rng.pick(['淑芬', '志明', '雅婷', '家豪', '怡君', '建宏'])}`,
      contactPhone: `02-${rng.int(2000, 8999)}-${String(rng.int(0, 9999)).padStart(4, '0')}`,
      publishedAt: taiwanIso(nowMs - rng.int(400, 4000) * DAY).slice(0, 10),
      metadataUpdatedAt: taiwanIso(updatedMs), metadataUpdatedAtText: taiwanTimeText(updatedMs),
      officialBadgeText: '', usage: { views: rng.int(10, 50_000), downloads: rng.int(0, 20_000) }, newIn2017: false,
      resources: [], scenarios: stale ? ['stale'] : [], expectedBadge: stale ? 'silver' : 'gold',
      truth: { officialAgrees: true, expectedBonus: false, stale },
    };
    const [ownFirst, ownCount] = this.#agencyHosts[a];
    ds.resources = formats.map((format, index): SimResource => {
      let scenario = format === 'PDF' || format === 'ODT' || !missingField ? scenarioFor(rng, format) : 'missing-field';
      // The demo's 合計 row sums count and money columns; in a register without any it is a bare label odbadge does
      // not call a subtotal, so the planted truth would be wrong.
      if (scenario === 'subtotal-row' && !columns.some((c) => c.kind === 'count' || c.kind === 'money')) scenario = 'ok';
      const resourceId = `${id}-${index}`;
      const csvEncoding = rng.pick(['UTF-8', 'UTF-8', 'UTF-8', 'UTF-8', 'utf-8', 'UTF8']);
      const declaredColumns = missingField ? [...columns, { name: '備註', alias: 'note', kind: 'text' }] : columns;
      const r: SimResource = {
        index, id: `${id}#${index}`, resourceId,
        path: `/od/${id}/${index}${rng.chance(0.5) ? EXT[format] : ''}`,
        format, description: `${title}-${format}`,
        declaredEncoding: scenario === 'big5-declared-big5' ? rng.pick(['BIG5', 'Big5', 'CP950']) : format === 'CSV' ? csvEncoding : 'UTF-8',
        declaredFields: declaredFields(declaredColumns), fieldStyle: 'string', declaredColumns, columns,
        recordCount: 0, lineEnding: rng.chance(0.6) ? '\r\n' : '\n', updatedAt: ds.metadataUpdatedAt, scenario, qcLevel: '',
        truth: { badge: SCENARIOS[scenario].badge, expect: SCENARIOS[scenario].expect },
        host: rng.chance(OWN_HOST) ? (ownFirst + rng.int(0, ownCount - 1)) % this.opts.hosts : rng.int(0, this.opts.hosts - 1),
      };
      r.recordCount = onGrid(Math.min(BODY_CAP, logNormal(rng, BODY_MEDIAN, BODY_SIGMA)) / this.#recordBytes(r));
      if (scenario !== 'ok' && !ds.scenarios.includes(scenario)) ds.scenarios.push(scenario);
      ds.expectedBadge = minBadge(ds.expectedBadge, r.truth.badge);
      return r;
    });
    // The platform's own 品質檢測: mostly what a correct checker finds, sometimes out of date, sometimes empty.
    const official = rng.chance(0.05) ? '' : rng.chance(0.9) ? ds.expectedBadge : rng.pick(['gold', 'silver', 'bronze', 'none']);
    ds.officialBadgeText = official ? BADGE_TEXT[official] : '';
    ds.truth.officialAgrees = official === ds.expectedBadge;
    return ds;
  }

  /**
   * A resource's bytes. Rendering cell by cell runs at ~10 MB/s, slower than odbadge inspects, so the simulator
   * would steal the audit's CPU: bodies are a function of (scenario, format, columns, line ending, record count)
   * — rendered for a stand-in dataset — and those up to 512 KB are kept (LRU, 128 MB), which serves ~95 % of
   * requests from memory. Identical bytes at different URLs cost odbadge the same: it fetches and inspects per URL.
   */
  #render(r: SimResource): ReturnType<typeof renderResource> {
    // Scenarios that do not change the bytes (a redirect chain, a wrong declaration) share the plain body.
    const scenario = BODY_SCENARIOS.has(r.scenario) ? r.scenario : 'ok';
    const key = `${scenario}|${r.format}|${r.columns.map((c) => c.name).join(',')}|${r.format === 'CSV' ? JSON.stringify(r.lineEnding) : ''}|${r.recordCount}`;
    const hit = this.#bodies.get(key);
    if (hit) {
      this.#bodies.delete(key);
      this.#bodies.set(key, hit);
      return hit;
    }
    const out = renderResource(this.#portal, { id: key, title: '資料集', agency: '機關', description: '' } as DemoDataset, { ...r, scenario });
    if (out.body.length <= 512 * 1024) {
      this.#bodies.set(key, out);
      this.#cachedBytes += out.body.length;
      for (const [k, v] of this.#bodies) {
        if (this.#cachedBytes <= 128 * 1024 * 1024) break;
        this.#bodies.delete(k);
        this.#cachedBytes -= v.body.length;
      }
    }
    return out;
  }

  /** Bytes one record takes in this resource's format and columns (measured once per kind on a 200-record table). */
  #recordBytes(r: SimResource): number {
    const key = `${r.format}|${r.columns.map((c) => c.kind).join(',')}`;
    let b = this.#bytesPerRecord.get(key);
    if (b === undefined) {
      const probe = { ...r, recordCount: 200, scenario: 'ok' as const };
      const body = renderResource(this.#portal, { id: 'probe', agency: '測試機關', title: '測試' } as DemoDataset, probe).body;
      b = r.format === 'PDF' || r.format === 'ODT' ? Infinity : body.length / 200;
      this.#bytesPerRecord.set(key, b);
    }
    return b;
  }

  /** The 22-column bulk export as data.gov.tw serves it (UTF-8 with BOM), resources on `origins[host]`. */
  exportCsv(origins: string[]): Buffer {
    const parts: Buffer[] = [Buffer.from(exportCsvStart())];
    let rows = '';
    for (let i = 0; i < this.opts.datasets; i++) {
      const d = this.dataset(i);
      const each = (f: (r: SimResource) => string) => d.resources.map(f);
      rows += exportCsvRow({
        id: d.id, title: d.title, providerAttribute: d.providerAttribute, category: d.category, quality: d.officialBadgeText,
        formats: each((r) => r.format), urls: each((r) => origins[r.host] + r.path), encodings: each((r) => r.declaredEncoding),
        uploadMethod: d.uploadMethod, description: d.description, fields: d.resources[0].declaredFields, agency: d.agency,
        frequency: d.frequency, license: d.license, charge: d.cost, contactName: d.contactName, contactPhone: d.contactPhone,
        publishedAt: `${d.publishedAt} 00:00:00.000000`, metadataUpdatedAt: d.metadataUpdatedAtText, amount: each((r) => String(r.recordCount)),
      });
      // 1,000 rows to a Buffer at a time: the 53,000-row export is never one giant string.
      if ((i + 1) % 1000 === 0) {
        parts.push(Buffer.from(rows));
        rows = '';
      }
    }
    parts.push(Buffer.from(rows));
    return Buffer.concat(parts);
  }

  /** Which dataset and resource a request path on `host` names, or undefined (then 404). */
  locate(host: number, path: string): { dataset: SimDataset; resource: SimResource; sub: string } | undefined {
    const m = PATH.exec(path);
    if (!m) return undefined;
    const i = Number(m[1]) - FIRST_ID;
    if (!(i >= 0 && i < this.opts.datasets)) return undefined;
    const dataset = this.dataset(i);
    const resource = dataset.resources[Number(m[2])];
    const sub = m[3] ?? '';
    if (!resource || resource.host !== host || path !== resource.path + sub) return undefined;
    return { dataset, resource, sub };
  }

  /** What `host` answers to a GET of `url` (path and query), body rendered. */
  reply(host: number, url: string): Reply {
    const path = url.split('?')[0];
    if (path === '/sso/login') return page(200, loginPage(new URL(url, 'http://x').searchParams.get('returnUrl') ?? '/'));
    const at = this.locate(host, path);
    return at ? this.#answer(at.dataset, at.resource, at.sub) : page(404, notFoundPage(path));
  }

  /**
   * What fetching a resource ends in, redirects followed, with its table cut to `records` records: the results
   * generator judges each kind of resource by one small sample instead of rendering every body.
   */
  sample(dataset: SimDataset, resource: SimResource, records: number): { final: Reply; redirects: { status: number; location: string }[]; finalPath: string } {
    const small = { ...resource, recordCount: Math.min(resource.recordCount, records) };
    const redirects: { status: number; location: string }[] = [];
    let path = resource.path;
    for (let hop = 0; ; hop++) {
      const sub = path.startsWith(resource.path) ? path.slice(resource.path.length) : '';
      const r = path.startsWith('/sso/login') ? this.reply(resource.host, path) : this.#answer(dataset, small, sub);
      const location = r.headers.location;
      if (r.status < 300 || r.status >= 400 || !location || hop === 10) return { final: r, redirects, finalPath: path };
      redirects.push({ status: r.status, location });
      path = location;
    }
  }

  /** The demo server's scenarios (src/demo/server.ts serveResource), for one resource and helper path. */
  #answer(dataset: SimDataset, resource: SimResource, sub: string): Reply {
    const first = sub === '' ? { first: { dataset: dataset.index, resource: resource.index } } : {};
    const data = (): Reply => {
      const { body, contentType, contentEncoding } = this.#render(resource);
      const headers: Record<string, string> = { 'content-type': contentType, 'last-modified': new Date(resource.updatedAt).toUTCString() };
      if (contentEncoding) headers['content-encoding'] = contentEncoding;
      return { status: 200, headers, body, ...first };
    };
    const redirect = (status: number, location: string): Reply => ({ ...page(status, `<a href="${location}">moved</a>`, { location }), ...first });
    switch (resource.scenario) {
      case 'not-found':
        return { ...page(404, notFoundPage(resource.path)), ...first };
      case 'html-landing':
        return sub === '/file' ? data() : { ...page(200, landingPage(dataset, `${resource.path}/file`)), ...first };
      case 'login-redirect':
        return redirect(302, `/sso/login?returnUrl=${encodeURIComponent(resource.path)}`);
      case 'no-data-200':
        return { ...page(200, noDataBody(resource)), ...first };
      case 'redirect-chain':
        if (sub === '') return redirect(301, `${resource.path}/hop1`);
        if (sub === '/hop1') return redirect(302, `${resource.path}/hop2`);
        if (sub === '/hop2') return redirect(307, `${resource.path}/file`);
        return data();
      default:
        return sub === '' ? data() : page(404, notFoundPage(resource.path + sub));
    }
  }
}

const page = (status: number, text: string, headers: Record<string, string> = {}): Reply =>
  ({ status, headers: { 'content-type': 'text/html; charset=utf-8', ...headers }, body: Buffer.from(text) });

/**
 * Record counts on a 20 % geometric grid, so bodies repeat and can be cached (see #render); at least 8, so the
 * demo's structural defects (a blank row after the 6th line, ragged 2nd and 4th rows) land inside the table.
 */
function onGrid(records: number): number {
  return Math.max(8, Math.round(1.2 ** Math.round(Math.log(Math.max(1, records)) / Math.log(1.2))));
}

/** Scenarios that change a resource's bytes (the others change its declaration or what is served around it). */
const BODY_SCENARIOS = new Set<ScenarioId>([
  'utf8-bom', 'big5-declared-big5', 'big5-declared-utf8', 'csv-as-html', 'gzip', 'title-row', 'subtotal-row', 'blank-row',
  'ragged-rows', 'malformed-json', 'malformed-xml', 'unstructured-pdf', 'unstructured-odt',
]);

/** Formats of a dataset's k resources: the same table as CSV, JSON and XML is the common case; long tails are CSV. */
function formatsFor(rng: Rng, k: number): DemoFormat[] {
  let formats: DemoFormat[];
  if (k === 1) formats = [weighted<DemoFormat>(rng, [['CSV', 70], ['JSON', 18], ['XML', 12]])];
  else if (k === 2) formats = weighted<DemoFormat[]>(rng, [[['CSV', 'JSON'], 45], [['CSV', 'XML'], 20], [['CSV', 'CSV'], 25], [['JSON', 'XML'], 10]]);
  else {
    const triple = rng.chance(0.6);
    formats = Array.from({ length: k }, (_, j): DemoFormat => (triple && j < 3 ? (['CSV', 'JSON', 'XML'] as const)[j] : rng.chance(0.85) ? 'CSV' : 'JSON'));
  }
  return formats.map((f) => (rng.chance(PDF) ? 'PDF' : rng.chance(ODT) ? 'ODT' : f));
}

function scenarioFor(rng: Rng, format: DemoFormat): ScenarioId {
  if (format === 'PDF') return 'unstructured-pdf';
  if (format === 'ODT') return 'unstructured-odt';
  let u = rng.next();
  for (const [s, p] of [...ANY, ...(BY_FORMAT[format] ?? [])]) if ((u -= p) < 0) return s;
  return 'ok';
}
