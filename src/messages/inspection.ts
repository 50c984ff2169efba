// What the inspectors conclude about a body's structure (ResourceFacts.structuredEvidence, as a message
// `structuredRef`), and why a declared 編碼格式 does or does not describe the bytes. The structured and
// encoding-match rules quote these inside their own messages.
import { STRUCTURAL_MESSAGES } from './structural.ts';
import type { Fmt, MessageRef } from './types.ts';
import { define } from './types.ts';

const plural = (n: number, one: string, many = `${one}s`) => (n === 1 ? one : many);

/** "2 blank-row, 1 subtotal-row" / "空白列 2 個、小計／合計列 1 個". */
export function countsText(counts: Record<string, number>, f: Fmt): string {
  if (f.lang === 'en') return Object.entries(counts).map(([t, n]) => `${n} ${t}`).join(', ');
  return Object.entries(counts).map(([t, n]) => `${(STRUCTURAL_MESSAGES as Record<string, { label?: { zh: string } }>)[t]?.label?.zh ?? t} ${n} 個`).join('、');
}

export interface Entry {
  name: string;
  format: string;
  note?: string;
}

const where = (p: { line?: number; column?: number }, zh: boolean) =>
  p.line === undefined ? '' : zh ? `（第 ${p.line} 行第 ${p.column ?? '?'} 字）` : ` at line ${p.line}, column ${p.column ?? '?'}`;

export const INSPECTION_MESSAGES = {
  'inspect.failed': define<Record<string, never>>({
    kind: 'inspection',
    description: 'The inspector failed on the body (a bug in odbadge); nothing is judged.',
    en: () => 'not judged: the inspector failed',
    zh: () => '未判定：檢測程式無法處理此檔案',
    example: {},
  }),
  'inspect.empty-body': define<Record<string, never>>({
    kind: 'inspection',
    description: 'The body is empty (0 bytes after decoding).',
    en: () => 'the body is empty: there is no data to structure',
    zh: () => '內容是空的，沒有任何資料',
    example: {},
  }),
  'inspect.document': define<{ format: string; image?: boolean }>({
    kind: 'inspection',
    description: 'The body is a document or an image (PDF, DOC, DOCX, ODT, PNG …), not data.',
    en: (p) => `${p.format.toUpperCase()} is a document${p.image === false ? '' : '/image'} format, not structured data`,
    zh: (p) => `${p.format.toUpperCase()} 是文件或圖片格式，不是結構化資料`,
    example: { format: 'pdf' },
  }),
  'inspect.shapefile': define<Record<string, never>>({
    kind: 'inspection',
    description: 'An ESRI shapefile: geometry odbadge does not parse.',
    en: () => 'ESRI shapefile: not inspected',
    zh: () => 'ESRI shapefile 圖資：未檢測',
    example: {},
  }),
  'inspect.format-unknown': define<{ sniffed: string }>({
    kind: 'inspection',
    description: 'The format could not be recognised from the content, the Content-Type or the declared format.',
    en: (p) => `format not recognised (${p.sniffed}); not judged`,
    zh: () => '無法辨識檔案格式，未判定',
    example: { sniffed: 'no known signature' },
  }),
  'inspect.workbook-cut': define<{ format: string }>({
    kind: 'inspection',
    description: 'A workbook was cut at the download size cap; a cut workbook cannot be opened.',
    en: (p) => `not judged: the ${p.format.toUpperCase()} body was cut at the download size cap, and a cut workbook cannot be opened`,
    zh: (p) => `未判定：${p.format.toUpperCase()} 檔案超過下載大小上限而被截斷，截斷的活頁簿無法開啟`,
    example: { format: 'xlsx' },
  }),
  'inspect.html-page': define<{ login?: boolean; excerpt?: string }>({
    kind: 'inspection',
    description: 'The body is an HTML page (a landing or login page), not data.',
    en: (p) => (p.login ? 'an HTML login page, not data' : `an HTML page${p.excerpt ? ` ("${p.excerpt}")` : ''}, not data`),
    zh: (p) => (p.login ? 'HTML 登入頁面，不是資料' : `HTML 網頁${p.excerpt ? `（「${p.excerpt}」）` : ''}，不是資料`),
    example: { excerpt: '工會團體名冊 - 勞動部' },
  }),
  'inspect.text-message': define<{ excerpt: string }>({
    kind: 'inspection',
    description: 'The body is a short text message (查無資料 …), not data.',
    en: (p) => `a text message ("${p.excerpt}"), not data`,
    zh: (p) => `文字訊息（「${p.excerpt}」），不是資料`,
    example: { excerpt: '查無資料' },
  }),
  'inspect.plain-text': define<Record<string, never>>({
    kind: 'inspection',
    description: 'Plain text without a table structure.',
    en: () => 'plain text without a table structure',
    zh: () => '純文字，沒有表格結構',
    example: {},
  }),
  'inspect.message-not-table': define<{ excerpt: string }>({
    kind: 'inspection',
    description: 'A CSV body that is a one-line message (查無資料) instead of a table.',
    en: (p) => `a one-line message ("${p.excerpt}") instead of a table`,
    zh: (p) => `一行訊息（「${p.excerpt}」），而不是表格`,
    example: { excerpt: 'resourceId:ANJ-0001 查無資料。' },
  }),
  'inspect.table': define<{ fields: number; records: number; delimiter: string }>({
    kind: 'inspection',
    description: 'A fixed-column table without structural errors.',
    en: (p) => `fixed-column table: ${p.fields} fields, ${p.records} records, no structural errors (delimiter ${JSON.stringify(p.delimiter)})`,
    zh: (p) => `固定欄位表格：${p.fields} 個欄位、${p.records} 筆資料，無結構錯誤（分隔符號 ${JSON.stringify(p.delimiter)}）`,
    example: { fields: 12, records: 300, delimiter: ',' },
  }),
  'inspect.table-errors': define<{ total: number; counts: Record<string, number>; first: MessageRef }>({
    kind: 'inspection',
    description: 'A table with structural errors (listed in the facts).',
    en: (p, f) => `${p.total} structural ${plural(p.total, 'error')} (${countsText(p.counts, f)}); first: ${f.msg(p.first)}`,
    zh: (p, f) => `${p.total} 個結構錯誤（${countsText(p.counts, f)}）；第一個：${f.msg(p.first)}`,
    example: { total: 1, counts: { 'blank-row': 1 }, first: { code: 'blank-row', params: { row: 14, field: null } } },
  }),
  'inspect.json': define<{ shape: string; path?: string; records?: number }>({
    kind: 'inspection',
    description: 'Well-formed JSON, with where its records are.',
    en: (p) => `well-formed JSON (${p.shape}${p.path ? ` at ${p.path}` : ''}${p.records !== undefined ? `, ${p.records} records` : ''})`,
    zh: (p) => `格式正確的 JSON（${p.shape}${p.path ? `，位於 ${p.path}` : ''}${p.records !== undefined ? `，${p.records} 筆資料` : ''}）`,
    example: { shape: 'records', path: '$.result.records', records: 100 },
  }),
  'inspect.xml': define<{ root?: string; element?: string; records?: number }>({
    kind: 'inspection',
    description: 'Well-formed XML, with its repeating record element.',
    en: (p) => `well-formed XML (root <${p.root ?? '?'}>${p.element ? `, ${p.records ?? 0} <${p.element}> records` : ''})`,
    zh: (p) => `格式正確的 XML（根元素 <${p.root ?? '?'}>${p.element ? `，${p.records ?? 0} 筆 <${p.element}> 資料` : ''}）`,
    example: { root: 'dataset', element: 'record', records: 42 },
  }),
  'inspect.document-cut': define<{ what: 'JSON' | 'XML'; line?: number; column?: number }>({
    kind: 'inspection',
    description: 'A JSON or XML body was cut at the download size cap, so it ends early; not judged.',
    en: (p) => `not judged: the body was cut at the size cap, so the ${p.what} ends early${where(p, false)}`,
    zh: (p) => `未判定：內容超過大小上限而被截斷，${p.what} 提前結束${where(p, true)}`,
    example: { what: 'JSON', line: 20000, column: 3 },
  }),
  'inspect.malformed': define<{ what: 'JSON' | 'XML'; error?: string; line?: number; column?: number }>({
    kind: 'inspection',
    description: 'A JSON or XML body that is not well-formed.',
    en: (p) => `malformed ${p.what}${where(p, false)}: ${p.error ?? ''}`.trim(),
    zh: (p) => `${p.what} 格式錯誤${where(p, true)}`,
    example: { what: 'XML', error: "Not well-formed XML: Expected closing tag '年度'", line: 8, column: 3 },
  }),
  'inspect.archive-document': define<{ format: string }>({
    kind: 'inspection',
    description: 'A ZIP that is an office document (DOCX, ODT), not data.',
    en: (p) => `${p.format.toUpperCase()} is a document format, not structured data`,
    zh: (p) => `${p.format.toUpperCase()} 是文件格式，不是結構化資料`,
    example: { format: 'docx' },
  }),
  'inspect.zip-in-zip': define<Record<string, never>>({
    kind: 'inspection',
    description: 'A ZIP inside a ZIP: not opened.',
    en: () => 'a ZIP inside a ZIP: not opened',
    zh: () => 'ZIP 內的 ZIP：未開啟',
    example: {},
  }),
  'inspect.zip-empty': define<{ complete: boolean }>({
    kind: 'inspection',
    description: 'A ZIP archive with no entries, or none that could be read.',
    en: (p) => (p.complete ? 'the ZIP archive is empty' : 'no ZIP entries could be read'),
    zh: (p) => (p.complete ? 'ZIP 壓縮檔是空的' : '無法讀取 ZIP 壓縮檔內的任何檔案'),
    example: { complete: true },
  }),
  'inspect.zip-not-structured': define<{ bad: number; entries: number; shown: Entry[] }>({
    kind: 'inspection',
    description: 'Some entries of a ZIP are not structured data (a PDF inside, a table with errors).',
    en: (p) => `${p.bad} of ${p.entries} ZIP entries ${p.bad === 1 ? 'is' : 'are'} not structured data: ${p.shown.map((e) => `${e.name} (${e.format}${e.note ? `: ${e.note}` : ''})`).join('; ')}`,
    zh: (p) => `ZIP 壓縮檔的 ${p.entries} 個檔案中有 ${p.bad} 個不是結構化資料：${p.shown.map((e) => `${e.name}（${e.format}）`).join('、')}`,
    example: { bad: 1, entries: 2, shown: [{ name: 'report.pdf', format: 'pdf' }] },
  }),
  'inspect.zip-unjudged': define<{ unsure: number; entries: number; shown: Entry[] }>({
    kind: 'inspection',
    description: 'Some entries of a ZIP could not be judged.',
    en: (p) => `${p.unsure} of ${p.entries} ZIP entries could not be judged: ${p.shown.map((e) => `${e.name}${e.note ? ` (${e.note})` : ''}`).join(', ')}`,
    zh: (p) => `ZIP 壓縮檔的 ${p.entries} 個檔案中有 ${p.unsure} 個無法判定：${p.shown.map((e) => e.name).join('、')}`,
    example: { unsure: 1, entries: 1, shown: [{ name: 'map.shp', format: 'shp', note: 'shapefile component, not parsed' }] },
  }),
  'inspect.zip': define<{ entries: number; kml: boolean; shown: Entry[]; more: number }>({
    kind: 'inspection',
    description: 'Every entry of a ZIP (KML entries of a KMZ) is structured data.',
    en: (p) => `every one of the ${p.entries} ${p.kml ? 'KML' : 'ZIP'} entries is structured data: ${p.shown.map((e) => `${e.name} (${e.format})`).join(', ')}${p.more > 0 ? `, … ${p.more} more` : ''}`,
    zh: (p) => `${p.kml ? 'KMZ' : 'ZIP'} 內的 ${p.entries} 個${p.kml ? ' KML ' : ''}檔案都是結構化資料：${p.shown.map((e) => `${e.name}（${e.format}）`).join('、')}${p.more > 0 ? `，另 ${p.more} 個` : ''}`,
    example: { entries: 2, kml: false, shown: [{ name: 'a.csv', format: 'csv' }, { name: 'b.csv', format: 'csv' }], more: 0 },
  }),
  'inspect.workbook-problem': define<{ problem: string; unreadable: boolean }>({
    kind: 'inspection',
    description: 'The workbook reader could not read the file (corrupt, or it did not finish in time).',
    en: (p) => p.problem,
    zh: (p) => (p.unreadable ? '活頁簿無法讀取' : '活頁簿未能完成檢測（檔案可能損壞或讀取逾時）'),
    example: { problem: 'the XLSX workbook cannot be read: end of central directory record not found', unreadable: true },
  }),
  'inspect.workbook-empty': define<{ format: string; sheets: number }>({
    kind: 'inspection',
    description: 'A workbook whose sheets hold no data.',
    en: (p) => `${p.format.toUpperCase()} workbook with ${p.sheets} ${plural(p.sheets, 'sheet')} and no data`,
    zh: (p) => `${p.format.toUpperCase()} 活頁簿有 ${p.sheets} 個工作表，但沒有資料`,
    example: { format: 'xlsx', sheets: 3 },
  }),
  'inspect.workbook': define<{ format: string; sheets: { name: string; fields: number; records: number }[] }>({
    kind: 'inspection',
    description: 'A workbook whose every sheet with data is a fixed-column table.',
    en: (p) => `${p.format.toUpperCase()} workbook: ${p.sheets.map((x) => `${x.name} (${x.fields} fields, ${x.records} records)`).join(', ')}; no merged cells, formulas, blank or summary rows`,
    zh: (p) => `${p.format.toUpperCase()} 活頁簿：${p.sheets.map((x) => `${x.name}（${x.fields} 個欄位、${x.records} 筆資料）`).join('、')}；無合併儲存格、公式、空白列或合計列`,
    example: { format: 'xlsx', sheets: [{ name: 'Sheet1', fields: 5, records: 120 }] },
  }),
  'inspect.workbook-errors': define<{ bad: number; sheets: number; counts: { name: string; counts: Record<string, number> }[]; first?: MessageRef }>({
    kind: 'inspection',
    description: 'Sheets of a workbook that are not fixed-column tables.',
    en: (p, f) => `${p.bad} of ${p.sheets} ${plural(p.sheets, 'sheet')} not a fixed-column table: ${p.counts.map((x) => `${x.name}: ${countsText(x.counts, f)}`).join('; ')}; first: ${f.msg(p.first)}`,
    zh: (p, f) => `${p.sheets} 個工作表中有 ${p.bad} 個不是固定欄位表格：${p.counts.map((x) => `${x.name}：${countsText(x.counts, f)}`).join('；')}；第一個：${f.msg(p.first)}`,
    example: { bad: 1, sheets: 2, counts: [{ name: 'Sheet2', counts: { 'blank-row': 1 } }], first: { code: 'blank-row', params: { row: 4, field: null, range: 'Sheet2!A4:C4', sheet: true } } },
  }),
};

// ------------------------------------------------------------------------------------------ encodings

const up = (s: string) => s.toUpperCase();
// Reasons that start "declared X, but …" lose that prefix outside the legacy text: the encoding-match rule says
// `declared "X", but <reason>` itself (the evidence used to read `declared "UTF-8" but declared UTF-8, detected big5`).

export const ENCODING_MESSAGES = {
  'encoding.unrecognised-name': define<{ declared: string; detected: string }>({
    kind: 'encoding',
    description: 'The declared encoding is not a name odbadge recognises (其他, UTF-8/BIG5 …).',
    en: (p) => `declared encoding "${p.declared}" is not a recognised encoding name; detected ${p.detected}`,
    zh: (p) => `宣告的「${p.declared}」不是可辨識的編碼名稱；偵測為 ${p.detected}`,
    example: { declared: '其他', detected: 'utf-8' },
  }),
  'encoding.binary': define<{ want: string }>({
    kind: 'encoding',
    description: 'The body is binary, not text.',
    en: (p) => `body is binary, not ${p.want} text`,
    zh: (p) => `內容是二進位資料，不是 ${p.want} 文字`,
    example: { want: 'utf-8' },
  }),
  'encoding.ascii': define<{ label: string }>({
    kind: 'encoding',
    description: 'Pure ASCII, which every declared ASCII-compatible encoding describes.',
    en: (p) => `body is pure ASCII, which is valid ${p.label}`,
    zh: (p) => `內容為純 ASCII，符合 ${p.label}`,
    example: { label: 'UTF-8' },
  }),
  'encoding.only-ascii': define<{ declared: string }>({
    kind: 'encoding',
    description: 'Declared a non-ASCII-compatible encoding, but the body is single-byte ASCII text.',
    en: (p, f) => `${f.legacy ? `declared ${p.declared}, but ` : ''}the body is single-byte ASCII text`,
    zh: () => '內容為單位元組 ASCII 文字',
    example: { declared: 'UTF-16' },
  }),
  'encoding.non-ascii': define<{ offset?: number; bytes?: string }>({
    kind: 'encoding',
    description: 'Declared ASCII, but the body has non-ASCII UTF-8 text.',
    en: (p, f) => `${f.legacy ? 'declared ASCII, but ' : ''}the body has non-ASCII UTF-8 text${p.bytes ? ` (byte ${p.bytes} at offset ${p.offset})` : ''}`,
    zh: (p) => `內容含非 ASCII 的 UTF-8 文字${p.bytes ? `（位移 ${p.offset} 的位元組 ${p.bytes}）` : ''}`,
    example: { offset: 10, bytes: '0xe4' },
  }),
  'encoding.utf8-bom': define<Record<string, never>>({
    kind: 'encoding',
    description: 'UTF-8 with a byte order mark: not a mismatch.',
    en: () => 'UTF-8 with a byte order mark (a BOM is not a mismatch)',
    zh: () => 'UTF-8（含 BOM，不算不符）',
    example: {},
  }),
  'encoding.decodes-as': define<{ encoding: string; latinCaveat?: boolean }>({
    kind: 'encoding',
    description: 'The body decodes cleanly in the declared encoding.',
    en: (p) => `decodes cleanly as ${up(p.encoding)}${p.latinCaveat ? ' (although the text looks like single-byte Latin-1/CP1252)' : ''}`,
    zh: (p) => `可完整以 ${up(p.encoding)} 解碼${p.latinCaveat ? '（但文字看來像單位元組 Latin-1/CP1252）' : ''}`,
    example: { encoding: 'utf-8' },
  }),
  'encoding.utf16': define<{ detected: string; bom: boolean }>({
    kind: 'encoding',
    description: 'Declared UTF-16 and the body is UTF-16.',
    en: (p) => `detected ${up(p.detected)}${p.bom ? ' with a byte order mark' : ''}`,
    zh: (p) => `偵測為 ${up(p.detected)}${p.bom ? '（含 BOM）' : ''}`,
    example: { detected: 'utf-16le', bom: true },
  }),
  'encoding.detected-other': define<{ declared: string; detected: string; invalid?: { offset: number; bytes: string } }>({
    kind: 'encoding',
    description: 'The body is in another encoding than the declared one.',
    en: (p, f) => `${f.legacy ? `declared ${p.declared}, detected ${p.detected}` : `the file is ${p.detected}`}${p.invalid ? `: byte ${p.invalid.bytes} at offset ${p.invalid.offset} is not valid UTF-8` : ''}`,
    zh: (p) => `檔案實際為 ${p.detected}${p.invalid ? `：位移 ${p.invalid.offset} 的位元組 ${p.invalid.bytes} 不是有效的 UTF-8` : ''}`,
    example: { declared: 'UTF-8', detected: 'big5', invalid: { offset: 12, bytes: '0xa4' } },
  }),
  'encoding.unicode-not-big5': define<{ declared: string; detected: string }>({
    kind: 'encoding',
    description: 'Declared a Big5 encoding, but the body is UTF-8 or UTF-16.',
    en: (p, f) => `${f.legacy ? `declared ${p.declared}, but ` : ''}the body is ${up(p.detected)}${p.detected === 'utf-8' ? ' (valid UTF-8 with non-ASCII text)' : ''}`,
    zh: (p) => `內容為 ${up(p.detected)}${p.detected === 'utf-8' ? '（含非 ASCII 文字的有效 UTF-8）' : ''}`,
    example: { declared: 'BIG5', detected: 'utf-8' },
  }),
  'encoding.byte-not-in': define<{ declared: string; want: string; offset: number; bytes: string; needs?: string }>({
    kind: 'encoding',
    description: 'A byte of the body is not in the declared encoding (BIG5 declared for a file that needs CP950 or HKSCS).',
    en: (p, f) => `${f.legacy ? `declared ${p.declared}, but ` : ''}byte ${p.bytes} at offset ${p.offset} is not ${up(p.want)}${p.needs ? `; the file needs ${up(p.needs)}` : ''}`,
    zh: (p) => `位移 ${p.offset} 的位元組 ${p.bytes} 不屬於 ${up(p.want)}${p.needs ? `；檔案需要 ${up(p.needs)}` : ''}`,
    example: { declared: 'BIG5', want: 'big5', offset: 2048, bytes: '0xf9 0xd6', needs: 'cp950' },
  }),
  'encoding.single-byte-but-utf8': define<{ label: string }>({
    kind: 'encoding',
    description: 'Declared a single-byte encoding (latin1 …), but the body is valid UTF-8 with non-ASCII text: likely mislabelled.',
    en: (p, f) => (f.legacy ? `declared ${p.label}, a single-byte encoding, but the body is valid UTF-8 with non-ASCII text: likely mislabelled` : 'the body is valid UTF-8 with non-ASCII text, not a single-byte encoding: likely mislabelled'),
    zh: () => '內容是含非 ASCII 文字的有效 UTF-8，不是單位元組編碼，可能標示錯誤',
    example: { label: '"latin1" (windows-1252)' },
  }),
  'encoding.single-byte-but-big5': define<{ label: string; detected: string }>({
    kind: 'encoding',
    description: 'Declared a single-byte encoding, but the body is Chinese text in a Big5 encoding.',
    en: (p, f) => `${f.legacy ? `declared ${p.label}, but ` : ''}the body decodes cleanly as ${up(p.detected)} (double-byte Chinese text), not as single-byte text`,
    zh: (p) => `內容可完整以 ${up(p.detected)} 解碼（雙位元組中文），不是單位元組文字`,
    example: { label: 'windows-1252', detected: 'big5' },
  }),
  'encoding.undefined-bytes': define<{ label: string; name: string; bytes: string[]; more: boolean }>({
    kind: 'encoding',
    description: 'Bytes of the body are undefined in the declared single-byte encoding.',
    en: (p, f) => `${f.legacy ? `declared ${p.label}, but ` : ''}byte${p.bytes.length > 1 || p.more ? 's' : ''} ${p.bytes.join(', ')}${p.more ? ' …' : ''} ${p.bytes.length > 1 || p.more ? 'are' : 'is'} not defined in ${p.name}`,
    zh: (p) => `位元組 ${p.bytes.join('、')}${p.more ? ' …' : ''} 在 ${p.name} 中沒有定義`,
    example: { label: '"cp1252" (windows-1252)', name: 'windows-1252', bytes: ['0x81'], more: false },
  }),
  'encoding.single-byte': define<{ name: string; likely?: string }>({
    kind: 'encoding',
    description: 'Every byte is defined in the declared single-byte encoding (which can be disproved, not proved).',
    en: (p) => `every byte is defined in ${p.name}${p.likely ? ` (the text reads more like ${p.likely})` : ''}`,
    zh: (p) => `每個位元組在 ${p.name} 中都有定義${p.likely ? `（文字較像 ${p.likely}）` : ''}`,
    example: { name: 'windows-1252' },
  }),
};
