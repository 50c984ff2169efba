// encoding-match (編碼格式與資料相符): the declared 編碼格式 against the strictly detected encoding.
import type { MessageRef } from '../types.ts';
import { define } from '../types.ts';

const rule = 'encoding-match';

export const ENCODING_MATCH_MESSAGES = {
  'encoding-match.match': define<{ declared: string; reason: MessageRef }>({
    kind: 'indicator', rule,
    description: 'The declared encoding describes the bytes (a UTF-8 BOM, ASCII in a UTF-8 or Big5 declaration, a wider Big5 variant are not mismatches).',
    en: (p, f) => `declared "${p.declared}"; ${f.msg(p.reason)}`,
    zh: (p, f) => `宣告「${p.declared}」；${f.msg(p.reason)}`,
    example: { declared: 'UTF-8', reason: { code: 'encoding.decodes-as', params: { encoding: 'utf-8' } } },
  }),
  'encoding-match.mismatch': define<{ declared: string; detected: string; reason: MessageRef }>({
    kind: 'indicator', rule,
    description: 'The declared encoding does not describe the bytes; the evidence names the first byte that disproves it. docs/codes.md lists the reasons (encoding.*).',
    en: (p, f) => (f.legacy ? `declared "${p.declared}" but ${f.msg(p.reason)}` : `declared "${p.declared}", but ${f.msg(p.reason)}`),
    zh: (p, f) => `宣告「${p.declared}」，但${f.msg(p.reason)}`,
    fix: {
      zh: (p) => `宣告的編碼格式與檔案不符（偵測為 ${p.detected}）；請將檔案轉存為宣告的編碼（建議 UTF-8），或更正詮釋資料。`,
      en: (p) => `The declared encoding does not match the file (detected ${p.detected}); re-save the file in the declared encoding (UTF-8 recommended) or correct the metadata.`,
    },
    example: { declared: 'UTF-8', detected: 'big5', reason: { code: 'encoding.detected-other', params: { declared: 'UTF-8', detected: 'big5', invalid: { offset: 12, bytes: '0xa4' } } } },
  }),
  'encoding-match.undeclared': define<{ detected?: string; likely?: { encoding: string; evidence: string } }>({
    kind: 'indicator', rule,
    description: 'No 編碼格式 is declared. The ruleset option encoding-match.missingDeclaration (default fail) decides the verdict.',
    en: (p) => `no 編碼格式 declared; the file is ${p.detected ?? 'of unknown encoding'}${p.likely ? ` (${p.likely.evidence})` : ''}`,
    zh: (p) => `未宣告編碼格式；檔案${p.detected ? `為 ${p.detected}` : '的編碼無法判定'}${p.likely ? `（可能為 ${p.likely.encoding}）` : ''}`,
    fix: {
      zh: (p) => `請於詮釋資料填寫編碼格式（本檔案偵測為 ${p.detected ?? '未知'}）。`,
      en: (p) => `Declare the encoding in the metadata (this file is ${p.detected ?? 'unknown'}).`,
    },
    example: { detected: 'utf-8' },
  }),
  'encoding-match.self-describing': define<{ format: string; declared?: string }>({
    kind: 'indicator', rule,
    description: 'A format that fixes its own character encoding (XLSX, ODS, XLS, ZIP …). The ruleset option encoding-match.binaryFormats (default pass) decides the verdict.',
    en: (p) => `${p.format} fixes its own character encoding${p.declared ? `; declared "${p.declared}"` : ''}`,
    zh: (p) => `${p.format} 格式本身規定字元編碼${p.declared ? `；宣告「${p.declared}」` : ''}`,
    example: { format: 'xlsx', declared: 'UTF-8' },
  }),
  'encoding-match.archive-not-opened': define<{ format: string }>({
    kind: 'indicator', rule,
    description: 'A ZIP or KMZ under a ruleset whose encoding-match.archives option is not-evaluated (the 2017 platform checker: encoding_match 2).',
    en: (p) => `${p.format.toUpperCase()} archives are not opened under this ruleset (archives: not-evaluated)`,
    zh: (p) => `本規則集不開啟 ${p.format.toUpperCase()} 壓縮檔（archives: not-evaluated）`,
    example: { format: 'zip' },
  }),
  'encoding-match.archive-self-describing': define<{ format: string; formats: string[]; declared?: string }>({
    kind: 'indicator', rule,
    description: 'A ZIP whose entries have no text to check (workbooks fix their own encoding). encoding-match.binaryFormats decides the verdict.',
    en: (p) => `the ${p.format.toUpperCase()} entries fix their own character encoding (${p.formats.join(', ') || 'no entries'})${p.declared ? `; declared "${p.declared}"` : ''}`,
    zh: (p) => `${p.format.toUpperCase()} 內的檔案本身規定字元編碼（${p.formats.join('、') || '沒有檔案'}）${p.declared ? `；宣告「${p.declared}」` : ''}`,
    example: { format: 'zip', formats: ['xlsx'], declared: 'UTF-8' },
  }),
  'encoding-match.archive-undeclared': define<{ format: string; entries: { entry: string; detected: string }[] }>({
    kind: 'indicator', rule,
    description: 'No 編碼格式 is declared for a ZIP holding text files. encoding-match.missingDeclaration decides the verdict.',
    en: (p) => `no 編碼格式 declared; the ${p.format.toUpperCase()} entries are ${p.entries.map((e) => `${e.entry} (${e.detected})`).join(', ')}`,
    zh: (p) => `未宣告編碼格式；${p.format.toUpperCase()} 內的檔案為 ${p.entries.map((e) => `${e.entry}（${e.detected}）`).join('、')}`,
    fix: {
      zh: (p) => `請於詮釋資料填寫編碼格式（壓縮檔內的檔案偵測為 ${[...new Set(p.entries.map((e) => e.detected))].join('、')}）。`,
      en: (p) => `Declare the encoding in the metadata (the files in the archive are ${[...new Set(p.entries.map((e) => e.detected))].join(', ')}).`,
    },
    example: { format: 'zip', entries: [{ entry: 'a.csv', detected: 'utf-8' }] },
  }),
  'encoding-match.archive-match': define<{ declared: string; entries: { entry: string; detected: string }[] }>({
    kind: 'indicator', rule,
    description: "Every text entry of a ZIP matches the declared encoding, each judged as if it were published on its own.",
    en: (p) => `declared "${p.declared}"; every text entry matches: ${p.entries.map((e) => `${e.entry} (${e.detected})`).join(', ')}`,
    zh: (p) => `宣告「${p.declared}」；壓縮檔內每個文字檔皆相符：${p.entries.map((e) => `${e.entry}（${e.detected}）`).join('、')}`,
    example: { declared: 'UTF-8', entries: [{ entry: 'a.csv', detected: 'utf-8' }, { entry: 'b.csv', detected: 'utf-8' }] },
  }),
  'encoding-match.archive-mismatch': define<{ declared: string; total: number; wrong: { entry: string; detected: string; reason: MessageRef }[] }>({
    kind: 'indicator', rule,
    description: 'Text entries of a ZIP whose encoding does not match the declaration, each named with the reason (as for a file on its own).',
    en: (p, f) => `declared "${p.declared}" but ${p.wrong.length} of ${p.total} text entr${p.total === 1 ? 'y does' : 'ies do'} not match: ${p.wrong.slice(0, 3).map((w) => `${w.entry}: ${f.msg(w.reason)}`).join('; ')}${p.wrong.length > 3 ? '; …' : ''}`,
    zh: (p, f) => `宣告「${p.declared}」，但 ${p.total} 個文字檔中有 ${p.wrong.length} 個不符：${p.wrong.slice(0, 3).map((w) => `${w.entry}：${f.msg(w.reason)}`).join('；')}${p.wrong.length > 3 ? '；…' : ''}`,
    fix: {
      zh: (p) => `壓縮檔內的檔案與宣告的編碼格式不符（${p.wrong.slice(0, 3).map((w) => `${w.entry} 偵測為 ${w.detected}`).join('、')}）；請將檔案轉存為宣告的編碼（建議 UTF-8），或更正詮釋資料。`,
      en: (p) => `Files in the archive do not match the declared encoding (${p.wrong.slice(0, 3).map((w) => `${w.entry} is ${w.detected}`).join(', ')}); re-save them in the declared encoding (UTF-8 recommended) or correct the metadata.`,
    },
    example: { declared: 'UTF-8', total: 2, wrong: [{ entry: 'a.csv', detected: 'big5', reason: { code: 'encoding.detected-other', params: { declared: 'UTF-8', detected: 'big5', invalid: { offset: 12, bytes: '0xa4' } } } }] },
  }),
  'encoding-match.no-text': define<{ declared: string }>({
    kind: 'indicator', rule,
    description: 'The content has no text whose encoding could be checked.',
    en: (p) => `no text to check against the declared "${p.declared}"`,
    zh: (p) => `沒有可與宣告的「${p.declared}」比對的文字內容`,
    example: { declared: 'UTF-8' },
  }),
  'encoding-match.not-asked': define<{ detected?: string }>({
    kind: 'indicator', rule,
    description: '`odbadge inspect` without --encoding: there is no declaration to compare, so the file is described, not judged.',
    en: (p) => `no --encoding given; the file is ${p.detected ?? 'unknown'}`,
    zh: (p) => `未指定 --encoding；檔案為 ${p.detected ?? '未知編碼'}`,
    example: { detected: 'utf-8' },
  }),
  'encoding-match.no-content': define<Record<string, never>>({
    kind: 'indicator', rule,
    description: 'Nothing was downloaded to inspect.',
    en: () => 'nothing to inspect',
    zh: () => '沒有可檢測的內容',
    example: {},
  }),
};
