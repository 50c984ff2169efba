// The bytes of each demo resource, generated deterministically from (seed, dataset, resource).
// Tables look like labour statistics; the scenario decides how the bytes are broken (or merely unusual).
import { gzipSync } from 'node:zlib';
import { buildZip } from '../util/zip-writer.ts';
import { toCsv } from '../util/csv.ts';
import iconv from 'iconv-lite';
import { createRng, type Rng } from './random.ts';
import type { DemoDataset, DemoPortal, DemoResource, DemoColumn } from './types.ts';

type Kind =
  | 'year' | 'month' | 'county' | 'industry' | 'occupation' | 'category' | 'count' | 'money' | 'rate'
  | 'orgName' | 'address' | 'phone' | 'seq' | 'fund' | 'date' | 'item' | 'agency' | 'course' | 'accidentType' | 'text';

interface ColumnTemplate {
  name: string;
  alias: string;
  kind: Kind;
}

const col = (name: string, alias: string, kind: Kind): ColumnTemplate => ({ name, alias, kind });

/** Column sets chosen by keywords in the dataset title; the first match wins. */
const TEMPLATES: { test: RegExp; columns: ColumnTemplate[] }[] = [
  { test: /薪資|工資|所得/, columns: [col('年度', 'year', 'year'), col('行業別', 'industry', 'industry'), col('職類別', 'occupation', 'occupation'), col('受僱員工人數', 'employees', 'count'), col('平均薪資', 'avg_wage', 'money')] },
  { test: /基金|投資|匯率|債券|股票|經營概況/, columns: [col('年度', 'year', 'year'), col('基金名稱', 'fund', 'fund'), col('運用規模', 'scale', 'money'), col('收益數', 'income', 'money'), col('收益率', 'yield', 'rate')] },
  { test: /名單|名冊|清單|機構|一覽表|電話|醫院|地址/, columns: [col('序號', 'no', 'seq'), col('名稱', 'name', 'orgName'), col('縣市', 'county', 'county'), col('地址', 'address', 'address'), col('電話', 'phone', 'phone')] },
  { test: /保險|投保|給付|勞保|農保|國保|年金|退休/, columns: [col('年度', 'year', 'year'), col('月份', 'month', 'month'), col('類別', 'category', 'category'), col('投保單位數', 'units', 'count'), col('被保險人數', 'insured', 'count')] },
  { test: /災害|職災|安全|衛生|傷病|檢查|危險/, columns: [col('年度', 'year', 'year'), col('行業別', 'industry', 'industry'), col('災害類型', 'accident_type', 'accidentType'), col('死亡人數', 'deaths', 'count'), col('失能傷害人數', 'injuries', 'count')] },
  { test: /訓練|職訓|就業|求職|職缺|技能|檢定|創業|課程/, columns: [col('年度', 'year', 'year'), col('縣市', 'county', 'county'), col('訓練職類', 'course', 'course'), col('結訓人數', 'trainees', 'count'), col('就業人數', 'employed', 'count')] },
  { test: /.*/, columns: [col('年度', 'year', 'year'), col('機關名稱', 'agency', 'agency'), col('項目', 'item', 'item'), col('人數', 'count', 'count')] },
];

/** The columns a dataset's files carry, by title. */
export function columnsForTitle(title: string): DemoColumn[] {
  const t = TEMPLATES.find((x) => x.test.test(title)) ?? TEMPLATES[TEMPLATES.length - 1];
  return t.columns.map(({ name, alias, kind }) => ({ name, alias, kind }));
}

const COUNTIES = ['臺北市', '新北市', '桃園市', '臺中市', '臺南市', '高雄市', '基隆市', '新竹市', '新竹縣', '苗栗縣', '彰化縣', '南投縣', '雲林縣', '嘉義市', '嘉義縣', '屏東縣', '宜蘭縣', '花蓮縣', '臺東縣', '澎湖縣', '金門縣', '連江縣'];
const INDUSTRIES = ['製造業', '營造業', '批發及零售業', '運輸及倉儲業', '住宿及餐飲業', '金融及保險業', '醫療保健服務業', '教育業', '礦業及土石採取業', '出版影音及資通訊業'];
const OCCUPATIONS = ['主管及監督人員', '專業人員', '技術員及助理專業人員', '事務支援人員', '服務及銷售工作人員', '技藝有關工作人員', '機械設備操作及組裝人員', '基層技術工及勞力工'];
const CATEGORIES = ['產業工人', '職業工人', '漁會甲類', '外僑', '自願加保', '政府機關'];
const FUNDS = ['新制勞工退休基金', '舊制勞工退休基金', '勞工保險基金', '就業保險基金', '國民年金保險基金', '積欠工資墊償基金'];
const COURSES = ['電腦輔助機械製圖', '照顧服務員', '餐飲廚藝', '室內配線', '網頁設計', '會計實務', '美容美髮', '汽車修護', '數位行銷', '冷凍空調'];
const ACCIDENTS = ['墜落、滾落', '感電', '被夾、被捲', '物體倒塌、崩塌', '被刺、割、擦傷', '與有害物等之接觸', '交通事故'];
const ITEMS = ['申請件數', '核定件數', '受理人次', '服務人次', '補助件數', '查核件數'];
const ORG_SUFFIX = ['醫院', '診所', '職業訓練中心', '就業服務站', '工會', '事業單位', '協會'];
const ROADS = ['中山路', '中正路', '民生路', '復興路', '和平路', '忠孝東路', '建國路', '成功路'];
const DISTRICT_CODES = ['02', '03', '04', '05', '06', '07', '08'];

function value(kind: Kind, rng: Rng, row: number, ctx: { agency: string }): string {
  switch (kind) {
    case 'year': return String(114 - (row % 10)); // ROC years, as the agencies publish them
    case 'month': return String((row % 12) + 1);
    case 'county': return rng.pick(COUNTIES);
    case 'industry': return rng.pick(INDUSTRIES);
    case 'occupation': return rng.pick(OCCUPATIONS);
    case 'category': return rng.pick(CATEGORIES);
    case 'count': return String(rng.int(3, 98_000));
    case 'money': return String(rng.int(24_000, 95_000));
    case 'rate': return (rng.int(-300, 1200) / 100).toFixed(2);
    case 'orgName': return rng.pick(COUNTIES).slice(0, 2) + rng.pick(['仁愛', '博愛', '安康', '福田', '長青', '光明', '信義']) + rng.pick(ORG_SUFFIX);
    case 'address': return `${rng.pick(COUNTIES)}${rng.pick(ROADS)}${rng.int(1, 5)}段${rng.int(1, 399)}號`;
    case 'phone': return `${rng.pick(DISTRICT_CODES)}-${rng.int(2000, 8999)}-${String(rng.int(0, 9999)).padStart(4, '0')}`;
    case 'seq': return String(row + 1);
    case 'fund': return rng.pick(FUNDS);
    case 'date': return `${rng.int(105, 114)}/${String(rng.int(1, 12)).padStart(2, '0')}/${String(rng.int(1, 28)).padStart(2, '0')}`;
    case 'item': return rng.pick(ITEMS);
    case 'agency': return ctx.agency;
    case 'course': return rng.pick(COURSES);
    case 'accidentType': return rng.pick(ACCIDENTS);
    case 'text': return '';
  }
}

export interface Table {
  header: string[];
  rows: string[][];
}

/** The table behind every file of a dataset (CSV, JSON and XML resources carry the same records). */
export function generateTable(seed: number, dataset: DemoDataset, resource: DemoResource): Table {
  const rng = createRng(seed, `table:${dataset.id}`);
  const columns = resource.columns;
  const rows: string[][] = [];
  for (let r = 0; r < resource.recordCount; r++) {
    rows.push(columns.map((c) => value(c.kind as Kind, rng, r, { agency: dataset.agency })));
  }
  return { header: columns.map((c) => c.name), rows };
}


function escapeXml(v: string): string {
  return v.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;');
}

/** The CSV text of a resource, with the structural breakage its scenario calls for. */
function csvText(table: Table, dataset: DemoDataset, resource: DemoResource): string {
  const lines: string[][] = [table.header, ...table.rows];
  switch (resource.scenario) {
    case 'title-row': // a spreadsheet export with the report title in A1
      lines.unshift([`${dataset.title}統計表`, ...table.header.slice(1).map(() => '')]);
      break;
    case 'blank-row':
      lines.splice(Math.min(6, lines.length), 0, table.header.map(() => ''));
      break;
    case 'subtotal-row': {
      const total = table.header.map((_, i) => {
        const kind = resource.columns[i].kind;
        if (kind === 'count' || kind === 'money') return String(table.rows.reduce((s, r) => s + Number(r[i]), 0));
        return '';
      });
      total[0] = '合計';
      lines.push(total);
      break;
    }
    case 'ragged-rows':
      if (lines.length > 4) {
        lines[2] = [...lines[2], '備註：含追溯調整'];
        lines[4] = lines[4].slice(0, -1);
      }
      break;
  }
  // A resource's content as the agency published it: cells as given, no BOM (the scenario adds one where it wants).
  return toCsv(lines, { eol: resource.lineEnding, bom: false, defuse: false });
}

function recordsOf(table: Table): Record<string, string>[] {
  return table.rows.map((r) => Object.fromEntries(table.header.map((h, i) => [h, r[i]])));
}

function jsonText(table: Table, resource: DemoResource): string {
  const text = JSON.stringify(recordsOf(table), null, 1);
  // A server that died mid-response: the text stops inside a record.
  if (resource.scenario === 'malformed-json') return text.slice(0, Math.floor(text.length * 0.7));
  return text;
}

function xmlText(table: Table, dataset: DemoDataset, resource: DemoResource): string {
  const out = ['<?xml version="1.0" encoding="UTF-8"?>', `<dataset title="${escapeXml(dataset.title)}">`];
  table.rows.forEach((r, ri) => {
    out.push('  <record>');
    table.header.forEach((h, i) => {
      // Mismatched closing tag in the third record: not well-formed.
      const close = resource.scenario === 'malformed-xml' && ri === 2 && i === 0 ? `${h}資料` : h;
      out.push(`    <${h}>${escapeXml(r[i])}</${close}>`);
    });
    out.push('  </record>');
  });
  out.push('</dataset>');
  return out.join('\n') + '\n';
}

/** A small but valid PDF (one page, ASCII text; the title goes in the metadata). */
export function minimalPdf(title: string): Buffer {
  const hexTitle = 'FEFF' + Buffer.from(title, 'utf16le').swap16().toString('hex').toUpperCase();
  const stream = 'BT /F1 18 Tf 72 720 Td (Ministry of Labor - statistical report) Tj ET';
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>',
    `<< /Length ${stream.length} >>\nstream\n${stream}\nendstream`,
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
    `<< /Title <${hexTitle}> /Producer (odbadge demo) >>`,
  ];
  let pdf = '%PDF-1.4\n';
  const offsets: number[] = [];
  objects.forEach((o, i) => {
    offsets.push(Buffer.byteLength(pdf, 'latin1'));
    pdf += `${i + 1} 0 obj\n${o}\nendobj\n`;
  });
  const xref = Buffer.byteLength(pdf, 'latin1');
  pdf += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  pdf += offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('');
  pdf += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R /Info 6 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(pdf, 'latin1');
}

/** A ZIP of stored (uncompressed) entries; the ODT spec wants `mimetype` first and stored. */
export function storedZip(entries: { name: string; data: Buffer }[]): Buffer {
  return buildZip(entries.map((e) => ({ ...e, stored: true })));
}

export function minimalOdt(title: string, paragraphs: string[]): Buffer {
  const content =
    '<?xml version="1.0" encoding="UTF-8"?>\n' +
    '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" ' +
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2"><office:body><office:text>' +
    `<text:h>${escapeXml(title)}</text:h>` +
    paragraphs.map((p) => `<text:p>${escapeXml(p)}</text:p>`).join('') +
    '</office:text></office:body></office:document-content>\n';
  const manifest =
    '<?xml version="1.0" encoding="UTF-8"?>\n' +
    '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">' +
    '<manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.text"/>' +
    '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>' +
    '</manifest:manifest>\n';
  return storedZip([
    { name: 'mimetype', data: Buffer.from('application/vnd.oasis.opendocument.text') },
    { name: 'META-INF/manifest.xml', data: Buffer.from(manifest) },
    { name: 'content.xml', data: Buffer.from(content) },
  ]);
}

export interface RenderedBody {
  body: Buffer;
  contentType: string;
  contentEncoding?: 'gzip';
}

const UTF8_BOM = Buffer.from([0xef, 0xbb, 0xbf]);

/** The bytes served when the resource finally answers with its data (after any redirects / retries). */
export function renderResource(portal: DemoPortal, dataset: DemoDataset, resource: DemoResource): RenderedBody {
  const table = generateTable(portal.seed, dataset, resource);
  switch (resource.format) {
    case 'PDF':
      return { body: minimalPdf(dataset.title), contentType: 'application/pdf' };
    case 'ODT':
      return {
        body: minimalOdt(dataset.title, table.rows.slice(0, 20).map((r) => r.join(' '))),
        contentType: 'application/vnd.oasis.opendocument.text',
      };
    case 'JSON':
      return { body: Buffer.from(jsonText(table, resource), 'utf8'), contentType: 'application/json; charset=utf-8' };
    case 'XML':
      return { body: Buffer.from(xmlText(table, dataset, resource), 'utf8'), contentType: 'application/xml; charset=utf-8' };
    case 'CSV': {
      const text = csvText(table, dataset, resource);
      switch (resource.scenario) {
        case 'big5-declared-big5':
        case 'big5-declared-utf8':
          return { body: iconv.encode(text, 'big5'), contentType: 'text/csv' };
        case 'utf8-bom':
          return { body: Buffer.concat([UTF8_BOM, Buffer.from(text, 'utf8')]), contentType: 'text/csv; charset=utf-8' };
        case 'csv-as-html':
          return { body: Buffer.from(text, 'utf8'), contentType: 'text/html; charset=utf-8' };
        case 'gzip':
          return { body: gzipSync(Buffer.from(text, 'utf8')), contentType: 'text/csv; charset=utf-8', contentEncoding: 'gzip' };
        default:
          return { body: Buffer.from(text, 'utf8'), contentType: 'text/csv; charset=utf-8' };
      }
    }
  }
}

const page = (title: string, body: string) =>
  `<!DOCTYPE html>\n<html lang="zh-Hant"><head><meta charset="utf-8"><title>${escapeXml(title)}</title></head>\n<body>${body}</body></html>\n`;

/** The download hidden behind an icon on a page (seed 004 附件三 31). */
export function landingPage(dataset: DemoDataset, fileHref: string): string {
  return page(
    `${dataset.title} - ${dataset.agency}`,
    `<header><h1>${escapeXml(dataset.agency)}</h1><nav><a href="/">首頁</a></nav></header>\n` +
      `<main><h2>${escapeXml(dataset.title)}</h2><p>${escapeXml(dataset.description)}</p>\n` +
      `<p>檔案下載：<a href="${escapeXml(fileHref)}"><img src="/images/icon-csv.png" alt="CSV" width="32" height="32"></a></p></main>`,
  );
}

export function loginPage(returnUrl: string): string {
  return page(
    '會員登入',
    `<h1>會員登入</h1><form method="post" action="/sso/login?returnUrl=${encodeURIComponent(returnUrl)}">` +
      '<label>帳號 <input name="account"></label><label>密碼 <input type="password" name="password"></label>' +
      '<button type="submit">登入</button></form>',
  );
}

export const notFoundPage = (path: string) => page('404 Not Found', `<h1>404 Not Found</h1><p>找不到網頁：${escapeXml(path)}</p>`);
export const serviceUnavailablePage = () => page('503 Service Unavailable', '<h1>503 Service Unavailable</h1><p>系統維護中，請稍後再試。</p>');
export const agencyHomePage = (agency: string) => page(agency, `<h1>${escapeXml(agency)}</h1><p>政府資料開放專區</p>`);

/** 查無資料 with status 200, as seed 004 附件三 23 quotes it. */
export function noDataBody(resource: DemoResource): string {
  return `resourceId:${resource.resourceId} 查無資料。`;
}

// ---------------------------------------------------------------- OpenAPI

/** A small YAML emitter for plain JSON data; strings are double-quoted (valid YAML) so nothing is misread. */
export function toYaml(value: unknown, indent = 0): string {
  const pad = ' '.repeat(indent);
  const key = (k: string) => (/^[A-Za-z_][\w-]*$/.test(k) ? k : JSON.stringify(k));
  const scalar = (v: unknown) => (typeof v === 'string' ? JSON.stringify(v) : String(v));
  const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
  if (Array.isArray(value)) {
    if (value.length === 0) return `${pad}[]\n`;
    return value
      .map((v) => {
        if (isObj(v) || Array.isArray(v)) {
          const inner = toYaml(v, indent + 2);
          return `${pad}- ${inner.slice(indent + 2)}`;
        }
        return `${pad}- ${scalar(v)}\n`;
      })
      .join('');
  }
  if (isObj(value)) {
    const entries = Object.entries(value);
    if (entries.length === 0) return `${pad}{}\n`;
    return entries
      .map(([k, v]) => {
        if ((isObj(v) && Object.keys(v).length) || (Array.isArray(v) && v.length)) return `${pad}${key(k)}:\n${toYaml(v, indent + 2)}`;
        if (isObj(v)) return `${pad}${key(k)}: {}\n`;
        if (Array.isArray(v)) return `${pad}${key(k)}: []\n`;
        return `${pad}${key(k)}: ${scalar(v)}\n`;
      })
      .join('');
  }
  return `${pad}${scalar(value)}\n`;
}

/** An OpenAPI 3.0 document for a JSON resource. The invalid one has no `info.version` and a response without description. */
export function oasDocument(dataset: DemoDataset, resource: DemoResource, serverOrigin: string): { text: string; contentType: string } {
  const oas = resource.oas!;
  const properties = Object.fromEntries(resource.columns.map((c) => [c.name, { type: 'string', description: c.alias }]));
  const okResponse: Record<string, unknown> = {
    description: '成功',
    content: { 'application/json': { schema: { type: 'array', items: { type: 'object', properties } } } },
  };
  const doc: Record<string, unknown> = {
    openapi: '3.0.3',
    info: { title: `${dataset.title} API`, description: dataset.description, version: '1.0.0' },
    servers: [{ url: serverOrigin }],
    paths: {
      [resource.path]: {
        get: {
          summary: dataset.title,
          operationId: `get${dataset.id}`,
          parameters: [{ name: 'count', in: 'query', required: false, schema: { type: 'integer', maximum: 1000 } }],
          responses: { '200': okResponse },
        },
      },
    },
  };
  if (!oas.valid) {
    delete (doc.info as Record<string, unknown>).version;
    delete okResponse.description;
  }
  return oas.format === 'yaml'
    ? { text: toYaml(doc), contentType: 'application/yaml; charset=utf-8' }
    : { text: JSON.stringify(doc, null, 2) + '\n', contentType: 'application/json; charset=utf-8' };
}
