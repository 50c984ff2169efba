// fields-match (主要欄位說明與資料相符): the declared 主要欄位說明 against the file's field names.
import { define } from '../types.ts';

const rule = 'fields-match';

const DECLARE = {
  zh: () => '請於詮釋資料填寫主要欄位說明，以「、」分隔，與檔案欄位名稱一致。',
  en: () => "Declare the main fields in the metadata, separated by 、, matching the file's field names.",
};

export const FIELDS_MATCH_MESSAGES = {
  'fields-match.match': define<{ fields: number; extra: string[] }>({
    kind: 'indicator', rule,
    description: "The declared fields equal the file's (or, with fields-match.strictness subset, are all in it).",
    en: (p) => `all ${p.fields} field(s) match the declared list${p.extra.length ? ` (extra in file: ${p.extra.join('、')})` : ''}`,
    zh: (p) => `${p.fields} 個欄位皆與宣告相符${p.extra.length ? `（檔案另有：${p.extra.join('、')}）` : ''}`,
    example: { fields: 5, extra: [] },
  }),
  'fields-match.mismatch': define<{ missing: string[]; extra: string[] }>({
    kind: 'indicator', rule,
    description: 'Declared fields missing from the file, or (strictness exact) fields in the file that are not declared.',
    en: (p) =>
      [p.missing.length ? `declared but not in the file: ${p.missing.join('、')}` : '', p.extra.length ? `in the file but not declared: ${p.extra.join('、')}` : ''].filter(Boolean).join('; '),
    zh: (p) =>
      [p.missing.length ? `宣告了但檔案沒有：${p.missing.join('、')}` : '', p.extra.length ? `檔案有但未宣告：${p.extra.join('、')}` : ''].filter(Boolean).join('；'),
    fix: {
      zh: () => '主要欄位說明須與檔案欄位名稱一致（可用「中文名(英文名)」）；請更新詮釋資料或檔案標題列。',
      en: () => "The declared fields must equal the file's field names (a 中文名(alias) form is accepted); update the metadata or the header row.",
    },
    example: { missing: ['備註'], extra: [] },
  }),
  'fields-match.undeclared': define<{ fields: number }>({
    kind: 'indicator', rule,
    description: 'No 主要欄位說明 is declared.',
    en: (p) => `no 主要欄位說明 declared; the file has ${p.fields} field(s)`,
    zh: (p) => `未宣告主要欄位說明；檔案有 ${p.fields} 個欄位`,
    fix: DECLARE,
    example: { fields: 7 },
  }),
  'fields-match.no-fields': define<{ format: string }>({
    kind: 'indicator', rule,
    description: 'The content has no field names to compare (a PDF, an image): not evaluated under fields-match.noFields not-evaluated (the default).',
    en: (p) => `no field names found in the ${p.format} content`,
    zh: (p) => `${p.format} 內容中找不到欄位名稱`,
    example: { format: 'pdf' },
  }),
  'fields-match.nothing-to-compare': define<{ format: string }>({
    kind: 'indicator', rule,
    description: 'The content has no field names to compare, under fields-match.noFields fail (the 2017 platform checker: desc_match 0).',
    en: (p) => `no field names found in the ${p.format} content to compare with the declared 主要欄位說明`,
    zh: (p) => `${p.format} 內容中找不到可與主要欄位說明比對的欄位名稱`,
    fix: {
      zh: () => '檔案內容沒有可比對的欄位名稱；請以具標題列的結構化格式提供資料。',
      en: () => 'The content has no field names to compare; publish the data in a structured format with a header row.',
    },
    example: { format: 'pdf' },
  }),
  'fields-match.archive-match': define<{ entries: number }>({
    kind: 'indicator', rule,
    description: "Every table of a ZIP has the declared fields, each compared as if it were published on its own.",
    en: (p) => `every one of the ${p.entries} entries' fields matches the declared list`,
    zh: (p) => `壓縮檔內 ${p.entries} 個檔案的欄位皆與宣告相符`,
    example: { entries: 2 },
  }),
  'fields-match.archive-mismatch': define<{ total: number; wrong: { entry: string; missing: string[]; extra: string[] }[] }>({
    kind: 'indicator', rule,
    description: 'Tables of a ZIP whose fields differ from the declaration, each named with what is missing or extra.',
    en: (p) => `${p.wrong.length} of ${p.total} entries do not match the declared fields: ${p.wrong.slice(0, 3).map((w) => `${w.entry}: ${[w.missing.length ? `declared but not in the file: ${w.missing.join('、')}` : '', w.extra.length ? `in the file but not declared: ${w.extra.join('、')}` : ''].filter(Boolean).join('; ')}`).join(' | ')}`,
    zh: (p) => `壓縮檔內 ${p.total} 個檔案中有 ${p.wrong.length} 個欄位與宣告不符：${p.wrong.slice(0, 3).map((w) => `${w.entry}：${[w.missing.length ? `宣告了但檔案沒有：${w.missing.join('、')}` : '', w.extra.length ? `檔案有但未宣告：${w.extra.join('、')}` : ''].filter(Boolean).join('；')}`).join('｜')}`,
    fix: {
      zh: () => '壓縮檔內每個檔案的欄位都須與主要欄位說明一致；請更新詮釋資料或檔案標題列。',
      en: () => 'Every file in the archive must have the declared fields; update the metadata or the header rows.',
    },
    example: { total: 2, wrong: [{ entry: 'b.csv', missing: ['人口'], extra: ['面積'] }] },
  }),
  'fields-match.archive-not-opened': define<{ format: string }>({
    kind: 'indicator', rule,
    description: 'A ZIP or KMZ under a ruleset whose fields-match.archives option is not-evaluated (the 2017 platform checker: desc_match 2).',
    en: (p) => `${p.format.toUpperCase()} archives are not opened under this ruleset (archives: not-evaluated)`,
    zh: (p) => `本規則集不開啟 ${p.format.toUpperCase()} 壓縮檔（archives: not-evaluated）`,
    example: { format: 'zip' },
  }),
  'fields-match.not-asked': define<{ fields: number }>({
    kind: 'indicator', rule,
    description: '`odbadge inspect` without --fields: there is no declaration to compare, so the fields are counted, not judged.',
    en: (p) => `no --fields given; the file has ${p.fields} field(s)`,
    zh: (p) => `未指定 --fields；檔案有 ${p.fields} 個欄位`,
    example: { fields: 7 },
  }),
  'fields-match.no-content': define<Record<string, never>>({
    kind: 'indicator', rule,
    description: 'Nothing was downloaded to inspect.',
    en: () => 'nothing to inspect',
    zh: () => '沒有可檢測的內容',
    example: {},
  }),
};
