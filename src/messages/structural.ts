// Structural errors of a table, named as frictionless names them (blank-row, extra-cell …) plus the spreadsheet
// and document ones odbadge adds. The type is the code. Templates receive the error's position (row, field, cell)
// with its parameters; the English rendering is the error's `message`.
import { define } from './types.ts';

/** Where a structural error is: physical row (header = 1), field (1-based), spreadsheet cell or range. */
export interface Position {
  row: number | null;
  field: number | null;
  cell?: string;
}

/** `sheet`: reported by the spreadsheet checker, which names cells (a CSV error names fields). */
type At<P> = P & Position & { sheet?: boolean };

/** "row 5", or "rows 3–4 (a header spread over 2 rows)" / 第 5 列, 第 3–4 列（標題跨 2 列）. */
export const headerRows = (p: { headerFrom: number; headerTo: number; headerRows: number }, zh: boolean) =>
  zh
    ? p.headerFrom === p.headerTo ? `第 ${p.headerFrom} 列` : `第 ${p.headerFrom}–${p.headerTo} 列（標題跨 ${p.headerRows} 列）`
    : p.headerFrom === p.headerTo ? `row ${p.headerFrom}` : `rows ${p.headerFrom}–${p.headerTo} (a header spread over ${p.headerRows} rows)`;

type SourceError =
  | { variant: 'empty' }
  | { variant: 'unclosed-quote' }
  | { variant: 'csv-parse'; error: string }
  | { variant: 'inspector-failed'; error: string }
  | { variant: 'unreadable'; problem: string };

export const STRUCTURAL_MESSAGES = {
  'source-error': define<At<SourceError>>({
    kind: 'structural-error',
    label: { zh: '來源無法讀取', en: 'source-error' },
    description: 'The source cannot be read as a table at all: it is empty, a quoted cell never closes, the parser or the workbook reader gave up.',
    en: (p) => {
      switch (p.variant) {
        case 'empty': return 'the source is empty: no header and no rows';
        case 'unclosed-quote': return `a quoted cell opened at row ${p.row} is never closed: the rest of the file cannot be split into rows`;
        case 'csv-parse': return `CSV parsing stopped at row ${p.row}: ${p.error}`;
        case 'inspector-failed': return `inspection failed: ${p.error}`;
        case 'unreadable': return p.problem;
      }
    },
    zh: (p) => {
      switch (p.variant) {
        case 'empty': return '來源是空的：沒有標題列也沒有資料列';
        case 'unclosed-quote': return `第 ${p.row} 列開始的引號欄位沒有結束，之後的內容無法分列`;
        case 'csv-parse': return `CSV 解析在第 ${p.row} 列中止`;
        case 'inspector-failed': return '檢測程式無法處理此檔案';
        case 'unreadable': return '檔案無法讀取';
      }
    },
    fix: { zh: () => '請確認檔案完整且可正常開啟。', en: () => 'Check that the file is complete and opens.' },
    example: { variant: 'unclosed-quote', row: 12, field: null },
  }),
  'blank-header': define<At<Record<never, never>>>({
    kind: 'structural-error',
    label: { zh: '標題列空白', en: 'blank-header' },
    description: 'The first row, which should be the header, is empty.',
    en: () => 'the first row (the header) is empty',
    zh: () => '第一列（標題列）是空的',
    fix: { zh: () => '請讓第一列為欄位名稱。', en: () => 'Make the first row the field names.' },
    example: { row: null, field: null },
  }),
  'blank-label': define<At<Record<never, never>>>({
    kind: 'structural-error',
    label: { zh: '標題欄位空白', en: 'blank-label' },
    description: 'A header cell has no name.',
    en: (p) => (p.sheet ? `header cell ${p.cell} has no name` : `header field ${p.field} has no name`),
    zh: (p) => (p.sheet ? `標題儲存格 ${p.cell} 沒有名稱` : `標題第 ${p.field} 欄沒有名稱`),
    fix: { zh: () => '請為每一欄填寫欄位名稱。', en: () => 'Name every column.' },
    example: { row: null, field: 3 },
  }),
  'duplicate-label': define<At<{ label: string; first: number | string }>>({
    kind: 'structural-error',
    label: { zh: '欄位名稱重複', en: 'duplicate-label' },
    description: 'Two header cells have the same name.',
    en: (p) => (p.sheet ? `header cell ${p.cell} "${p.label}" repeats ${p.first}` : `header field ${p.field} "${p.label}" repeats field ${p.first}`),
    zh: (p) => (p.sheet ? `標題儲存格 ${p.cell}「${p.label}」與 ${p.first} 重複` : `標題第 ${p.field} 欄「${p.label}」與第 ${p.first} 欄重複`),
    fix: { zh: () => '請讓每一欄的名稱都不相同。', en: () => 'Give every column a different name.' },
    example: { row: null, field: 4, label: '年度', first: 1 },
  }),
  'missing-cell': define<At<{ label: string }>>({
    kind: 'structural-error',
    label: { zh: '缺少欄位值', en: 'missing-cell' },
    description: 'A row has fewer values than the header has fields.',
    en: (p) => `row ${p.row} has no value for field ${p.field} "${p.label}"`,
    zh: (p) => `第 ${p.row} 列缺少第 ${p.field} 欄「${p.label}」的值`,
    fix: { zh: () => '每一列的欄位數須與標題列相同。', en: () => 'Give every row as many values as the header has fields.' },
    example: { row: 9, field: 5, label: '人數' },
  }),
  'extra-cell': define<At<{ width?: number; from?: string; to?: string }>>({
    kind: 'structural-error',
    label: { zh: '多出欄位值', en: 'extra-cell' },
    description: "A row has a value beyond the header's fields.",
    en: (p) => (p.sheet ? `${p.cell} holds a value outside the header's columns (${p.from}–${p.to})` : `row ${p.row} has an extra value in field ${p.field} (the header has ${p.width} fields)`),
    zh: (p) => (p.sheet ? `${p.cell} 有值，但位於標題欄位（${p.from}–${p.to}）之外` : `第 ${p.row} 列第 ${p.field} 欄多出一個值（標題列只有 ${p.width} 欄）`),
    fix: { zh: () => '每一列的欄位數須與標題列相同。', en: () => 'Give every row as many values as the header has fields.' },
    example: { row: 9, field: 6, width: 5 },
  }),
  'blank-row': define<At<{ range?: string }>>({
    kind: 'structural-error',
    label: { zh: '空白列', en: 'blank-row' },
    description: 'A row is completely blank.',
    en: (p) => `row ${p.row} is completely blank${p.range ? ` (${p.range})` : ''}`,
    zh: (p) => `第 ${p.row} 列是空白列${p.range ? `（${p.range}）` : ''}`,
    fix: { zh: () => '請刪除空白列。', en: () => 'Delete blank rows.' },
    example: { row: 14, field: null },
  }),
  'subtotal-row': define<At<{ text: string; where: number | string }>>({
    kind: 'structural-error',
    label: { zh: '小計／合計列', en: 'subtotal-row' },
    description: 'A row is a subtotal or total (小計, 合計, 總計 …) among the records.',
    en: (p) => `row ${p.row} is a summary row ("${p.text}" in ${typeof p.where === 'number' ? `field ${p.where}` : p.where}); totals belong in a separate table`,
    zh: (p) => `第 ${p.row} 列是小計／合計列（${typeof p.where === 'number' ? `第 ${p.where} 欄` : p.where}「${p.text}」）`,
    fix: { zh: () => '合計應另外提供，不要放在資料列中。', en: () => 'Publish totals in a separate table.' },
    example: { row: 30, field: null, text: '合計', where: 1 },
  }),
  'title-row': define<At<{ text?: string; values?: number; headerFrom: number; headerTo: number; headerRows: number }>>({
    kind: 'structural-error',
    label: { zh: '標題說明列', en: 'title-row' },
    description: 'A line above the real header holds a title (one value alone), as printed tables do.',
    en: (p) =>
      p.sheet
        ? `row ${p.row} holds ${p.values === undefined || p.values === 1 ? `a single value ("${(p.text ?? '').slice(0, 60)}")` : `${p.values} values`} in ${p.cell}, above the real header at ${headerRows(p, false)}`
        : `row ${p.row} holds a single value ("${(p.text ?? '').slice(0, 60)}") above what looks like the real header at ${headerRows(p, false)}`,
    zh: (p) =>
      `第 ${p.row} 列${p.values !== undefined && p.values !== 1 ? `有 ${p.values} 個值` : `只有一個值「${(p.text ?? '').slice(0, 60)}」`}，位於真正的標題列（${headerRows(p, true)}）之上`,
    fix: { zh: () => '請刪除表格上方的標題說明列，讓第一列即為欄位名稱。', en: () => 'Delete the title lines above the table so that the first row is the header.' },
    example: { row: 1, field: null, text: '勞動部大事紀統計表', headerFrom: 2, headerTo: 2, headerRows: 1 },
  }),
  'second-header-row': define<At<{ range?: string; labels?: string[] }>>({
    kind: 'structural-error',
    label: { zh: '第二標題列', en: 'second-header-row' },
    description: 'A row repeats the header, or a second header row stands under the first (男 / 女 under 人口).',
    en: (p) =>
      p.labels
        ? `row ${p.row} (${p.range}) is a second header row (${p.labels.map((l) => `"${l}"`).join(', ')} over columns of numbers); use one header row`
        : `row ${p.row} repeats the header${p.range ? ` (${p.range})` : ''}`,
    zh: (p) => (p.labels ? `第 ${p.row} 列是第二層標題列（${p.labels.map((l) => `「${l}」`).join('、')}）` : `第 ${p.row} 列重複了標題列`),
    fix: { zh: () => '表格只能有一列標題。', en: () => 'Use exactly one header row.' },
    example: { row: 3, field: null, range: 'Sheet1!A3:D3', labels: ['男', '女'] },
  }),
  'merged-cell': define<At<{ rows?: number }>>({
    kind: 'structural-error',
    label: { zh: '合併儲存格', en: 'merged-cell' },
    description: 'Merged cells in a spreadsheet.',
    en: (p) => `merged cells ${p.cell}${p.rows ? ` (spanning ${p.rows} rows)` : ''}`,
    zh: (p) => `合併儲存格 ${p.cell}${p.rows ? `（跨 ${p.rows} 列）` : ''}`,
    fix: { zh: () => '請取消合併儲存格，每個儲存格各自填值。', en: () => 'Unmerge the cells and fill each one.' },
    example: { row: 7, field: 2, cell: 'Sheet1!B7:D7' },
  }),
  formula: define<At<{ formula?: string }>>({
    kind: 'structural-error',
    label: { zh: '公式', en: 'formula' },
    description: 'A spreadsheet cell holds a formula instead of a value.',
    en: (p) => `formula in ${p.cell}${p.formula ? `: =${p.formula.slice(0, 80)}` : ''}; publish the values, not the formulas`,
    zh: (p) => `${p.cell} 是公式${p.formula ? `（=${p.formula.slice(0, 80)}）` : ''}`,
    fix: { zh: () => '請以數值取代公式後再發布。', en: () => 'Publish the values, not the formulas.' },
    example: { row: 12, field: 4, cell: 'Sheet1!D12', formula: 'SUM(D2:D11)' },
  }),
  'malformed-json': define<At<{ error: string; line?: number; column?: number }>>({
    kind: 'structural-error',
    label: { zh: 'JSON 格式錯誤', en: 'malformed-json' },
    description: 'The body is not valid JSON.',
    en: (p) => `${p.error}${p.line !== undefined ? ` at line ${p.line}, column ${p.column ?? '?'}` : ''}`,
    zh: (p) => `JSON 格式錯誤${p.line !== undefined ? `（第 ${p.line} 行第 ${p.column ?? '?'} 字）` : ''}`,
    fix: { zh: () => '請提供語法正確的 JSON。', en: () => 'Publish syntactically valid JSON.' },
    example: { row: null, field: null, error: 'Not valid JSON: Unterminated string', line: 3, column: 17 },
  }),
  'malformed-xml': define<At<{ error: string; line?: number; column?: number }>>({
    kind: 'structural-error',
    label: { zh: 'XML 格式錯誤', en: 'malformed-xml' },
    description: 'The body is not well-formed XML.',
    en: (p) => `${p.error}${p.line !== undefined ? ` at line ${p.line}, column ${p.column ?? '?'}` : ''}`,
    zh: (p) => `XML 格式錯誤${p.line !== undefined ? `（第 ${p.line} 行第 ${p.column ?? '?'} 字）` : ''}`,
    fix: { zh: () => '請提供格式正確（well-formed）的 XML。', en: () => 'Publish well-formed XML.' },
    example: { row: null, field: null, error: "Not well-formed XML: Expected closing tag '年度'", line: 8, column: 3 },
  }),
  'limit-exceeded': define<At<{ name: string; limit: number; observed?: number; where?: string; detail: string }>>({
    kind: 'structural-error',
    label: { zh: '超出檢測上限', en: 'limit-exceeded' },
    description: 'The file reached an inspection limit (src/inspect/limits.ts): a property of the file, so it is not structured. The README lists the limits.',
    en: (p) => `stopped at the inspection limit ${p.name} = ${p.limit}: ${p.detail}${p.where && !p.detail.includes(p.where) ? ` (${p.where})` : ''}; ${raiseHint(p.name)}`,
    zh: (p) => `檔案超出檢測上限 ${p.name} = ${p.limit}${p.observed !== undefined ? `（檔案達 ${p.observed}）` : ''}${p.where ? `，位置：${p.where}` : ''}；可用 --limit ${p.name}=<n>（inspect）或 ODBADGE_LIMITS="${p.name}=<n>"（所有指令）調高`,
    fix: {
      zh: () => '檔案超出檢測上限（如單一儲存格過長、共用字串過多、壓縮比過高），無法視為可處理的結構化資料；請拆分或精簡檔案。若內容確屬正常，可依說明調高上限後重新檢測。',
      en: () => 'The file goes past an inspection limit (a cell too long, too many shared strings, a compression ratio of a zip bomb…), so it is not usable structured data; split or slim it. If the content is genuine, raise the limit as the evidence says and inspect again.',
    },
    example: { row: null, field: null, name: 'maxCellChars', limit: 1048576, observed: 300000000, where: 'Sheet1!A1', detail: 'shared string 1 has more than 1048576 characters' },
  }),
};

/** How to raise a limit, for evidence: the CLI option and the environment variable. */
export function raiseHint(name: string): string {
  return `raise it with --limit ${name}=<n> (inspect) or ODBADGE_LIMITS="${name}=<n>" (any command)`;
}
