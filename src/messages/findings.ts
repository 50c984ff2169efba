// Findings: problems with a dataset's catalogue entry, and what audit history shows about it. Emitted by the
// catalogue adapters (src/catalog), the evaluator (format-mismatch), the pipeline (internal-error) and the history
// store (src/store/audit-history.ts). The legacy renderings are the `message` / `messageZh` strings findings have
// always carried.
import { zhParen } from './common.ts';
import { define } from './types.ts';

type RowMalformed =
  | { variant: 'cell-count'; line: number; cells: number; expected: number }
  | { variant: 'unparsable'; line: number; error: string }
  | { variant: 'ckan-no-id' }
  | { variant: 'ckan-resource-not-object'; index: number; id: string }
  | { variant: 'ckan-package-not-object'; index: number };

type NoResourceUrl = { variant: 'none'; id: string } | { variant: 'resource'; id: string; index: number };

type InternalError =
  | { variant: 'process-died'; deaths: number }
  | { variant: 'shares-poison'; url: string; dataset: string; deaths: number }
  | { variant: 'exception'; error: string };

const apiZhError = (p: { error: string }) => zhParen(p.error);

export const FINDING_MESSAGES = {
  'catalog-row-malformed': define<RowMalformed>({
    kind: 'finding',
    description: 'A catalogue row or package could not be read as a dataset: an export row with the wrong number of cells or that cannot be parsed, a CKAN package or resource that is not an object or has no id.',
    en: (p) => {
      switch (p.variant) {
        case 'cell-count': return `Export row at line ${p.line} has ${p.cells} cells, the header has ${p.expected}; values were taken by position and may be misplaced`;
        case 'unparsable': return `Export row at line ${p.line} could not be parsed: ${p.error}`;
        case 'ckan-no-id': return 'CKAN package has neither name nor id';
        case 'ckan-resource-not-object': return `resource ${p.index} of ${p.id} is not an object`;
        case 'ckan-package-not-object': return `package ${p.index} of the search result is not an object`;
      }
    },
    zh: (p, f) => {
      switch (p.variant) {
        case 'cell-count': return `匯出檔第 ${p.line} 行有 ${p.cells} 欄，標題列為 ${p.expected} 欄；欄位值可能錯位`;
        case 'unparsable': return f.legacy ? `匯出檔第 ${p.line} 行無法解析：${p.error}` : `匯出檔第 ${p.line} 行無法解析（CSV 格式錯誤）`;
        case 'ckan-no-id': return 'CKAN 資料集沒有名稱（name）也沒有識別碼（id）';
        case 'ckan-resource-not-object': return `資料集 ${p.id} 的第 ${p.index} 筆資源格式錯誤（不是物件）`;
        case 'ckan-package-not-object': return `搜尋結果的第 ${p.index} 筆資料集格式錯誤（不是物件）`;
      }
    },
    fix: { zh: () => '請修正目錄中這一列（或這筆資料集）的格式。', en: () => 'Fix this row (or package) of the catalogue.' },
    example: { variant: 'cell-count', line: 12, cells: 20, expected: 22 },
  }),
  'catalog-missing-id': define<{ line: number }>({
    kind: 'finding',
    description: 'An export row has no 資料集識別碼 (dataset id); odbadge names it row-<line>.',
    en: (p) => `Export row at line ${p.line} has no 資料集識別碼`,
    zh: (p) => `匯出檔第 ${p.line} 行缺少資料集識別碼`,
    fix: { zh: () => '請為資料集填寫資料集識別碼。', en: () => 'Give the dataset its id (資料集識別碼).' },
    example: { line: 7 },
  }),
  'catalog-duplicate-id': define<{ id: string; line: number; first: number }>({
    kind: 'finding',
    description: 'The same dataset id appears on two rows of the export.',
    en: (p) => `Dataset id ${p.id} appears again at line ${p.line} (first at line ${p.first})`,
    zh: (p) => `資料集識別碼 ${p.id} 重複出現（第 ${p.first} 行與第 ${p.line} 行）`,
    fix: { zh: () => '每個資料集識別碼只能出現一次，請移除重複的列。', en: () => 'Each dataset id may appear once; remove the duplicate row.' },
    example: { id: '6069', line: 11, first: 3 },
  }),
  'catalog-unknown-badge': define<{ raw: string }>({
    kind: 'finding',
    description: 'The 品質檢測 (published badge) column holds a value odbadge does not recognise.',
    en: (p) => `Unrecognised 品質檢測 value ${JSON.stringify(p.raw)}`,
    zh: (p) => `無法辨識的品質檢測值「${p.raw}」`,
    example: { raw: '白金' },
  }),
  'catalog-no-resource-url': define<NoResourceUrl>({
    kind: 'finding',
    description: 'A dataset lists no download URL (資料下載網址 is empty), or one of its resources has none.',
    en: (p) => (p.variant === 'none' ? `Dataset ${p.id} lists no download URL (資料下載網址 is empty)` : `Dataset ${p.id}: resource ${p.index} has no URL`),
    zh: (p) => (p.variant === 'none' ? `資料集 ${p.id} 未提供資料下載網址` : `資料集 ${p.id} 的第 ${p.index} 筆資源沒有網址`),
    fix: { zh: () => '請提供資料資源的下載網址。', en: () => 'Give every resource its download URL.' },
    example: { variant: 'none', id: '1004' },
  }),
  'catalog-resource-count-mismatch': define<{ id: string; urls: number; formats?: number; encodings?: number }>({
    kind: 'finding',
    description: 'A dataset lists a different number of download URLs than of formats or encodings; values were paired by position.',
    en: (p) => `Dataset ${p.id} lists ${p.urls} download URLs but ${[p.formats !== undefined ? `${p.formats} formats` : '', p.encodings !== undefined ? `${p.encodings} encodings` : ''].filter(Boolean).join(' and ')}; values were paired by position`,
    zh: (p) => `資料集 ${p.id} 有 ${p.urls} 個下載網址，但檔案格式或編碼格式數量不一致；已依順序對應`,
    fix: { zh: () => '請讓檔案格式、編碼格式與下載網址一一對應。', en: () => 'List one format and one encoding per download URL.' },
    example: { id: '1003', urls: 3, formats: 2 },
  }),
  'catalog-url-html-wrapped': define<{ url: string }>({
    kind: 'finding',
    description: 'A download URL is wrapped in HTML markup (<a href=…>); odbadge uses the address inside.',
    en: (p) => `Download URL is wrapped in HTML markup; using ${p.url}`,
    zh: (p) => `資料下載網址含 HTML 標記；改用 ${p.url}`,
    fix: { zh: () => '請只填寫網址本身，不要包含 HTML 標記。', en: () => 'Give the bare URL, without HTML markup.' },
    example: { url: 'https://data.example.gov.tw/a.csv' },
  }),
  'catalog-bad-url': define<{ url: string }>({
    kind: 'finding',
    description: 'A download URL is not an http(s) URL (ftp:, a file path, free text).',
    en: (p) => `Download URL is not an http(s) URL: ${JSON.stringify(p.url.slice(0, 200))}`,
    zh: (p) => `資料下載網址不是 http(s) 網址：${p.url.slice(0, 200)}`,
    fix: { zh: () => '請提供可公開下載的 http 或 https 網址。', en: () => 'Give a public http or https URL.' },
    example: { url: 'ftp://ftp.example.gov.tw/a.csv' },
  }),
  'catalog-bad-time': define<{ id: string; column: string; raw: string }>({
    kind: 'finding',
    description: 'A date column (上架日期, 詮釋資料更新時間) holds something that is not a date.',
    en: (p) => `Dataset ${p.id}: ${p.column} ${JSON.stringify(p.raw)} is not a date`,
    zh: (p) => `資料集 ${p.id} 的${p.column}「${p.raw}」不是日期`,
    fix: { zh: () => '請以「年-月-日 時:分:秒」填寫日期。', en: () => 'Write the date as year-month-day hour:minute:second.' },
    example: { id: '6069', column: '詮釋資料更新時間', raw: '2019/13/45' },
  }),
  'catalog-agency-missing': define<{ id: string }>({
    kind: 'finding',
    description: 'A CKAN package names no organisation, so its agency is unknown.',
    en: (p) => `CKAN package ${p.id} names no organisation`,
    zh: (p) => `CKAN 資料集 ${p.id} 未標示提供機關（organization）`,
    fix: { zh: () => '請為資料集指定提供機關。', en: () => 'Assign the package to its organisation.' },
    example: { id: 'hk-lab-stats' },
  }),
  'catalog-frequency-missing': define<Record<string, never>>({
    kind: 'finding',
    description: 'A CKAN package declares no update frequency, neither at the top level nor in extras under any key odbadge knows.',
    en: () => 'no update frequency declared (neither at the top level nor in extras, under any known key)',
    zh: () => '未宣告更新頻率',
    fix: { zh: () => '請於詮釋資料填寫更新頻率。', en: () => 'Declare the update frequency in the metadata.' },
    example: {},
  }),
  'catalog-frequency-unknown': define<{ frequency: string; key: 'update_frequency' | 'frequency' }>({
    kind: 'finding',
    description: "The declared update frequency is not in odbadge's vocabulary (src/catalog/frequency.ts).",
    en: (p) => `${p.key} "${p.frequency}" is not in odbadge's vocabulary`,
    zh: (p) => `更新頻率「${p.frequency}」無法解讀（不在 odbadge 的詞彙中）`,
    fix: { zh: () => '請使用平臺的標準更新頻率選項（如 每1月、每1年、不定期）。', en: () => "Use the portal's standard frequency values (e.g. monthly, yearly, irregular)." },
    example: { frequency: '看心情', key: 'frequency' },
  }),
  'catalog-resource-url-missing': define<{ index: number; id: string; name?: string }>({
    kind: 'finding',
    description: 'A CKAN resource has no URL.',
    en: (p) => `resource ${p.index} of ${p.id} ("${p.name ?? ''}") has no URL`,
    zh: (p) => `資料集 ${p.id} 的第 ${p.index} 筆資源${p.name ? `「${p.name}」` : ''}沒有網址`,
    fix: { zh: () => '請提供資料資源的下載網址。', en: () => 'Give the resource its download URL.' },
    example: { index: 2, id: 'hk-lab-stats', name: 'Monthly figures' },
  }),
  'catalog-release-date-unknown': define<{ created: string }>({
    kind: 'finding',
    description: "metadata_created is the portal's migration date (DATA.GOV.HK, 2021-07-02), not a release date; the release date is unknown.",
    en: (p) => `metadata_created ${p.created.slice(0, 10)} is the portal's migration date, not a release date; the release date is unknown`,
    zh: (p) => `metadata_created ${p.created.slice(0, 10)} 為平台遷移日期，並非發布日期`,
    fix: { zh: () => '請於資料資源填寫發布日期（datePublished）。', en: () => 'State the release date on the resources (datePublished).' },
    example: { created: '2021-07-02T09:10:11' },
  }),
  'catalog-api-timeout': define<{ id: string; error: string }>({
    kind: 'finding',
    description: "data.gov.tw's API v2 lookup of the dataset (--enrich) timed out; the export's values are used.",
    en: (p) => `API v2 lookup of ${p.id} failed: ${p.error}`,
    zh: (p, f) => (f.legacy ? `API v2 查詢資料集 ${p.id} 失敗：${p.error}` : `API v2 查詢資料集 ${p.id} 逾時${apiZhError(p)}`),
    example: { id: '6069', error: 'timed out after 30000 ms' },
  }),
  'catalog-api-unreachable': define<{ id: string; error: string }>({
    kind: 'finding',
    description: "data.gov.tw's API v2 could not be reached for the dataset (--enrich); the export's values are used.",
    en: (p) => `API v2 lookup of ${p.id} failed: ${p.error}`,
    zh: (p, f) => (f.legacy ? `API v2 查詢資料集 ${p.id} 失敗：${p.error}` : `API v2 查詢資料集 ${p.id} 失敗（無法連線）${apiZhError(p)}`),
    example: { id: '6069', error: 'connect ECONNREFUSED 203.0.113.7:443' },
  }),
  'catalog-api-http-error': define<{ id: string; status: number }>({
    kind: 'finding',
    description: "data.gov.tw's API v2 answered the dataset lookup with an error status.",
    en: (p) => `API v2 lookup of ${p.id} answered HTTP ${p.status}`,
    zh: (p) => `API v2 查詢資料集 ${p.id} 回應 HTTP ${p.status}`,
    example: { id: '6069', status: 404 },
  }),
  'catalog-api-malformed': define<{ id: string; error: string }>({
    kind: 'finding',
    description: "data.gov.tw's API v2 answer for the dataset is not JSON.",
    en: (p) => `API v2 answer for ${p.id} is not JSON: ${p.error}`,
    zh: (p) => `API v2 對資料集 ${p.id} 的回應不是 JSON`,
    example: { id: '6069', error: 'Unexpected token < in JSON at position 0' },
  }),
  'catalog-api-unsuccessful': define<{ id: string; success: unknown }>({
    kind: 'finding',
    description: "data.gov.tw's API v2 answer for the dataset says success=false or has no result.",
    en: (p) => `API v2 answer for ${p.id} has success=${JSON.stringify(p.success)} or no result`,
    zh: (p) => `API v2 對資料集 ${p.id} 回應失敗或無 result`,
    example: { id: '6069', success: false },
  }),
  'archive-capture-evidence': define<{ captures: number; url: string; latest: string }>({
    kind: 'finding',
    description: "DATA.GOV.HK's historical archive holds captures of a resource; the newest capture time is used as evidence of an update, labelled as a capture time.",
    en: (p, f) => `historical archive holds ${p.captures} capture(s) of ${p.url}, newest ${f.date(p.latest)} (a capture time, not a declared update time)`,
    zh: (p, f) => `歷史檔案庫有 ${p.captures} 次擷取，最新為 ${f.date(p.latest)}（擷取時間，非機關宣告之更新時間）`,
    example: { captures: 3, url: 'https://www.labour.gov.hk/tc/stats/a.csv', latest: '2024-03-01T01:30:00.000Z' },
  }),
  'format-mismatch': define<{ resource: number; declared: string; detected: string; url: string }>({
    kind: 'finding',
    description: 'A resource declared as one format (檔案格式) holds another (sniffed from its content).',
    en: (p) => `resource ${p.resource} is declared ${p.declared} but its content is ${p.detected} (${p.url})`,
    zh: (p) => `資料資源 ${p.resource} 宣告為 ${p.declared}，實際內容為 ${p.detected}；請更正檔案格式。`,
    fix: { zh: () => '請更正檔案格式，或提供宣告格式的檔案。', en: () => 'Correct the declared format, or publish a file in the declared format.' },
    example: { resource: 1, declared: 'CSV', detected: 'html', url: 'https://data.example.gov.tw/a.csv' },
  }),
  'mostly-refused-as-private': define<{ refused: number; resources: number }>({
    kind: 'finding',
    description: 'A run-level warning: most resources were refused as private, loopback or link-local addresses — an on-premises portal audited without --allow-private-network. Such a run is never a baseline for trends, 品質進步獎 or diff.',
    en: (p) => `${p.refused} of ${p.resources} resources were refused as private, loopback or link-local addresses; if this portal is on your own network, audit it with --allow-private-network. This run is not used as a baseline for trends, 品質進步獎 or diff.`,
    zh: (p) => `${p.resources} 筆資料資源中有 ${p.refused} 筆位於私有、迴路或鏈路本地位址而被拒絕連線；若此平臺位於您的內部網路，請加上 --allow-private-network 重新稽核。本次稽核不作為趨勢、品質進步獎或差異比較的基準。`,
    example: { refused: 40, resources: 42 },
  }),
  'internal-error': define<InternalError>({
    kind: 'finding',
    description: "odbadge itself failed on the dataset (a bug, or a resource that killed its process twice); its resource indicators are unsure.",
    en: (p) => {
      switch (p.variant) {
        case 'process-died': return `odbadge's process ended ${p.deaths} times while auditing this dataset (killed, or out of memory); it was not audited again so that the rest of the audit could finish`;
        case 'shares-poison': return `resource ${p.url} is also listed by dataset ${p.dataset}, whose audit ended odbadge's process ${p.deaths} times; not audited again`;
        case 'exception': return `odbadge failed on this dataset: ${p.error}`;
      }
    },
    zh: (p) => {
      switch (p.variant) {
        case 'process-died': return `稽核此資料集時 odbadge 程序已中止 ${p.deaths} 次（遭終止或記憶體不足）；為完成其餘稽核，不再重新稽核此資料集。`;
        case 'shares-poison': return `資料資源 ${p.url} 亦屬於資料集 ${p.dataset}，稽核該資料集時 odbadge 程序已中止 ${p.deaths} 次；不再重新稽核。`;
        case 'exception': return 'odbadge 處理此資料集時發生內部錯誤；其餘資料集不受影響。';
      }
    },
    fix: { zh: () => '這是 odbadge 的問題，請附上 results.json 回報。', en: () => 'This is odbadge failing, not the data: report it with results.json.' },
    example: { variant: 'process-died', deaths: 2 },
  }),
  'metadata-claims-update-without-content-change': define<{ before: string; now: string; run: number }>({
    kind: 'finding',
    description: "Between two audits the metadata update time moved, but no resource's content changed.",
    en: (p, f) => `the metadata update time moved from ${f.date(p.before)} to ${f.date(p.now)} since run ${p.run}, but no resource's content changed`,
    zh: (p, f) => `詮釋資料更新時間已由 ${f.date(p.before)} 改為 ${f.date(p.now)}，但所有資料資源內容均未變更；請確認資料確實已更新。`,
    fix: { zh: () => '請確認資料確實已更新，或不要只更新詮釋資料的時間。', en: () => 'Check that the data was really updated; do not touch only the metadata time.' },
    example: { before: '2024-01-01T00:00:00.000Z', now: '2024-02-01T00:00:00.000Z', run: 3 },
  }),
  'content-changed-without-metadata-update': define<{ resources: number; now: string; run: number }>({
    kind: 'finding',
    description: 'Between two audits a resource changed, but the metadata update time stayed the same.',
    en: (p, f) => `${p.resources} resource(s) changed since run ${p.run} but the metadata update time stayed ${f.date(p.now)}`,
    zh: (p, f) => `資料資源內容已變更，但詮釋資料更新時間仍為 ${f.date(p.now)}；請同步更新詮釋資料。`,
    fix: { zh: () => '更新資料時請一併更新詮釋資料的更新時間。', en: () => 'Update the metadata update time whenever the data changes.' },
    example: { resources: 1, now: '2024-01-01T00:00:00.000Z', run: 3 },
  }),
};
