// structured (屬結構化資料): a fixed-column table without structural errors, or well-formed JSON/XML.
import { raiseHint, STRUCTURAL_MESSAGES } from '../structural.ts';
import type { Fmt, MessageRef } from '../types.ts';
import { define } from '../types.ts';

const rule = 'structured';

const UNSTRUCTURED = {
  zh: () => '請改以結構化格式（CSV、JSON、XML 等）提供資料，而非 PDF、Word 或圖片。',
  en: () => 'Publish the data in a structured format (CSV, JSON, XML …), not PDF, Word or images.',
};

/**
 * The inspector's conclusion: its message when the facts carry one (`structuredRef`), else the English text they
 * carry (facts recorded by an older odbadge and reused by a re-audit).
 */
export interface InspectorWhy {
  why?: MessageRef;
  evidence?: string;
}
const why = (p: InspectorWhy, f: Fmt) => (p.why ? f.msg(p.why) : (p.evidence ?? ''));

export interface Shown {
  type: string;
  row: number | null;
  field: number | null;
  cell?: string;
}

/** "blank-label at field 3" / "標題欄位空白（第 3 欄）". */
function describe(e: Shown, f: Fmt): string {
  if (f.lang === 'en') {
    const where = [e.cell, e.row !== null ? `row ${e.row}` : null, e.field !== null ? `field ${e.field}` : null].filter(Boolean).join(', ');
    return `${e.type}${where ? ` at ${where}` : ''}`;
  }
  const label = (STRUCTURAL_MESSAGES as Record<string, { label?: { zh: string } }>)[e.type]?.label?.zh ?? e.type;
  const where = [e.cell, e.row !== null ? `第 ${e.row} 列` : null, e.field !== null ? `第 ${e.field} 欄` : null].filter(Boolean).join('，');
  return `${label}${where ? `（${where}）` : ''}`;
}

export interface Hit {
  name: string;
  limit: number;
  observed?: number;
  where?: string;
  message: string;
}

export const STRUCTURED_MESSAGES = {
  'structured.ok': define<{ format: string } & InspectorWhy>({
    kind: 'indicator', rule,
    description: 'A fixed-column table without structural errors, well-formed JSON or XML, or a ZIP of such files.',
    en: (p, f) => `${p.format}: ${why(p, f)}`,
    zh: (p, f) => `${p.format}：${why(p, f)}`,
    example: { format: 'csv', why: { code: 'inspect.table', params: { fields: 12, records: 300, delimiter: ',' } } },
  }),
  'structured.no-content': define<Record<string, never>>({
    kind: 'indicator', rule,
    description: 'Nothing was downloaded to inspect.',
    en: () => 'nothing to inspect',
    zh: () => '沒有可檢測的內容',
    example: {},
  }),
  'structured.archive-not-opened': define<{ format: string }>({
    kind: 'indicator', rule,
    description: 'A ZIP or KMZ under a ruleset whose structured.archives option is not-evaluated (the 2017 platform checker: structure 2).',
    en: (p) => `${p.format.toUpperCase()} archives are not opened under this ruleset (archives: not-evaluated)`,
    zh: (p) => `本規則集不開啟 ${p.format.toUpperCase()} 壓縮檔（archives: not-evaluated）`,
    example: { format: 'zip' },
  }),
  'structured.not-data-format': define<{ format: string; sniffed: string }>({
    kind: 'indicator', rule,
    description: 'The content is in a format that is not structured data (PDF, Word, an image, a web page); the ruleset lists the structured formats (structured.structuredFormats).',
    en: (p) => `content is ${p.format} (${p.sniffed}), which is not structured data`,
    zh: (p) => `內容為 ${p.format}，不是結構化資料`,
    fix: UNSTRUCTURED,
    example: { format: 'pdf', sniffed: 'starts with %PDF (Content-Type application/pdf, declared PDF)' },
  }),
  'structured.limit': define<{ format: string; first: Hit; more: string[] }>({
    kind: 'indicator', rule,
    description: 'The file reached an inspection limit: a property of the file, so fail (never unsure). The evidence names the limit and how to raise it.',
    en: (p) =>
      `${p.format}: stopped at the inspection limit ${p.first.name} = ${p.first.limit}${p.first.observed !== undefined ? ` (the file reaches ${p.first.observed})` : ''}: ${p.first.message}${p.first.where && !p.first.message.includes(p.first.where) ? ` at ${p.first.where}` : ''}${p.more.length ? `; ${p.more.length} more limit${p.more.length === 1 ? '' : 's'} (${p.more.join(', ')})` : ''}; ${raiseHint(p.first.name)}`,
    zh: (p) =>
      `${p.format}：超出檢測上限 ${p.first.name} = ${p.first.limit}${p.first.observed !== undefined ? `（檔案達 ${p.first.observed}）` : ''}${p.first.where ? `，位置：${p.first.where}` : ''}${p.more.length ? `；另超出 ${p.more.length} 項上限（${p.more.join('、')}）` : ''}；可用 --limit ${p.first.name}=<n>（inspect）或 ODBADGE_LIMITS="${p.first.name}=<n>"（所有指令）調高`,
    fix: STRUCTURAL_MESSAGES['limit-exceeded'].fix as { zh: () => string; en: () => string },
    example: { format: 'xlsx', first: { name: 'maxSharedStringsBytes', limit: 268435456, observed: 300000157, message: 'xl/sharedStrings.xml inflates to 300000157 bytes', where: 'xl/sharedStrings.xml' }, more: [] },
  }),
  'structured.errors': define<{ format: string; total: number; shown: Shown[] }>({
    kind: 'indicator', rule,
    description: 'The table has structural errors (blank or title rows, extra or missing cells, merged cells …); the first five are named. docs/codes.md lists every structural error type.',
    en: (p, f) => `${p.total} structural error(s) in ${p.format}: ${p.shown.map((e) => describe(e, f)).join('; ')}${p.total > p.shown.length ? '; …' : ''}`,
    zh: (p, f) => `${p.format} 有 ${p.total} 個結構錯誤：${p.shown.map((e) => describe(e, f)).join('；')}${p.total > p.shown.length ? '；…' : ''}`,
    fix: {
      zh: () => '表格須只有一列標題、每列欄位數相同，且不可有空白列、小計/合計列、標題說明列或合併儲存格；請依錯誤所列位置修正。',
      en: () => 'A table needs exactly one header row, the same number of fields in every row, and no blank, subtotal, title or merged rows; fix the rows listed.',
    },
    example: { format: 'csv', total: 2, shown: [{ type: 'blank-label', row: null, field: 3 }, { type: 'title-row', row: 1, field: null }] },
  }),
  'structured.not-structured': define<{ format: string } & InspectorWhy>({
    kind: 'indicator', rule,
    description: 'The inspector found the content not structured (a web page, a message, malformed JSON or XML, an empty body).',
    en: (p, f) => `${p.format}: ${why(p, f)}`,
    zh: (p, f) => `${p.format}：${why(p, f)}`,
    fix: UNSTRUCTURED,
    example: { format: 'json', why: { code: 'inspect.malformed', params: { what: 'JSON', error: 'Unterminated string', line: 3, column: 17 } } },
  }),
  'structured.unjudged': define<{ format: string } & InspectorWhy>({
    kind: 'indicator', rule,
    description: 'The structure could not be judged (a body cut at the size cap, an unknown format, a workbook the reader gave up on).',
    en: (p, f) => `${p.format}: could not judge the structure (${why(p, f)})`,
    zh: (p, f) => `${p.format}：無法判斷資料結構（${why(p, f)}）`,
    fix: { zh: () => '無法判斷資料結構，請確認檔案可正常開啟。', en: () => 'The structure could not be judged; check that the file opens.' },
    example: { format: 'unknown', why: { code: 'inspect.format-unknown', params: { sniffed: 'no known signature' } } },
  }),
};
