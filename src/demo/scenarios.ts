// What can happen to a demo resource, and what a correct checker must conclude about it.
// Failures come from badge-rules.md §7 and the complaints of seed 004 附件三; "fine" variants are things a
// naive checker gets wrong although the resource deserves gold.

import type { Badge } from '../model.ts';

export type ScenarioId =
  // fine: gold
  | 'ok'
  | 'retry-after-503' // 503 + Retry-After on the first request, then the data
  | 'redirect-chain' // 301 → 302 → 307 → the data
  | 'big5-declared-big5'
  | 'utf8-bom'
  | 'csv-as-html' // CSV bytes labelled Content-Type: text/html
  | 'gzip' // Content-Encoding: gzip, sent whatever the request asked for
  | 'api-capped-1000' // a JSON API answering exactly 1,000 records: gold, but worth a warning
  // reachability
  | 'not-found'
  | 'timeout' // accepts the connection, never answers
  // not the data itself
  | 'html-landing' // 200 HTML page with the file behind an icon
  | 'login-redirect'
  | 'no-data-200' // 查無資料 with status 200
  // encoding and fields
  | 'big5-declared-utf8'
  | 'missing-field' // a declared 主要欄位說明 name is not in the file
  // structure
  | 'blank-row'
  | 'subtotal-row'
  | 'title-row'
  | 'ragged-rows'
  | 'unstructured-pdf'
  | 'unstructured-odt'
  | 'malformed-json'
  | 'malformed-xml';

export type DatasetScenarioId = 'stale';

export interface ScenarioInfo {
  /** The best badge a resource in this scenario can earn (the dataset takes the minimum over its resources). */
  badge: Badge;
  /** The first indicator a correct checker fails, in gate order. */
  fails?: string;
  /** The failure may go away on a later try, so a careful checker may say `unsure` instead of `fail`. */
  transient?: boolean;
  /** What a correct checker should report about it. */
  expect: string;
}

export const SCENARIOS: Record<ScenarioId, ScenarioInfo> = {
  ok: { badge: 'gold', expect: 'passes every indicator' },
  'retry-after-503': { badge: 'gold', expect: 'honours Retry-After, retries once, then passes' },
  'redirect-chain': { badge: 'gold', expect: 'follows three redirects to the data, then passes' },
  'big5-declared-big5': { badge: 'gold', expect: 'Big5 bytes declared BIG5: encoding matches' },
  'utf8-bom': { badge: 'gold', expect: 'a UTF-8 BOM is not a mismatch' },
  'csv-as-html': { badge: 'gold', expect: 'judges by content: CSV despite Content-Type text/html' },
  gzip: { badge: 'gold', expect: 'decodes Content-Encoding: gzip and judges the CSV inside' },
  'api-capped-1000': { badge: 'gold', expect: 'passes, with a warning that exactly 1,000 records may be a silent cap' },
  'not-found': { badge: 'none', fails: 'link-valid', expect: 'link fails with HTTP 404' },
  timeout: { badge: 'none', fails: 'link-valid', transient: true, expect: 'link times out (unsure or fail; never a hang)' },
  'html-landing': { badge: 'none', fails: 'direct-download', expect: 'linkable, but a 200 HTML landing page is not a direct download' },
  'login-redirect': { badge: 'none', fails: 'direct-download', expect: 'redirected to a login page: not a direct download' },
  'no-data-200': { badge: 'none', fails: 'direct-download', expect: 'status 200 but the body says 查無資料: no data came back' },
  'big5-declared-utf8': { badge: 'silver', fails: 'encoding-match', expect: 'declared UTF-8, the bytes are Big5 ("ANSI")' },
  'missing-field': { badge: 'silver', fails: 'fields-match', expect: 'a declared field is missing from the file' },
  'blank-row': { badge: 'bronze', fails: 'structured', expect: 'a blank row inside the table' },
  'subtotal-row': { badge: 'bronze', fails: 'structured', expect: 'a 合計 subtotal row' },
  'title-row': { badge: 'bronze', fails: 'structured', expect: 'a title line above the header' },
  'ragged-rows': { badge: 'bronze', fails: 'structured', expect: 'rows with too many / too few cells' },
  'unstructured-pdf': { badge: 'bronze', fails: 'structured', expect: 'PDF is unstructured' },
  'unstructured-odt': { badge: 'bronze', fails: 'structured', expect: 'ODT is unstructured' },
  'malformed-json': { badge: 'bronze', fails: 'structured', expect: 'JSON does not parse' },
  'malformed-xml': { badge: 'bronze', fails: 'structured', expect: 'XML is not well-formed' },
};

export const DATASET_SCENARIOS: Record<DatasetScenarioId, ScenarioInfo> = {
  stale: { badge: 'silver', fails: 'timely', expect: 'metadata last updated several declared periods ago' },
};

/**
 * How many datasets get each failure (each on a distinct dataset, so the counts are exact) and how many resources
 * get each fine variant. Failing datasets: 102 of 562 (18 %), so about 82 % should end gold.
 */
export const FAILURE_COUNTS: Record<Exclude<ScenarioId, FineScenarioId> | DatasetScenarioId, number> = {
  'not-found': 10,
  timeout: 3, // each costs the checker a full time-out: keep few
  'html-landing': 8,
  'login-redirect': 4,
  'no-data-200': 5,
  'big5-declared-utf8': 12,
  'missing-field': 8,
  'blank-row': 6,
  'subtotal-row': 6,
  'title-row': 6,
  'ragged-rows': 5,
  'unstructured-pdf': 4,
  'unstructured-odt': 4,
  'malformed-json': 3,
  'malformed-xml': 3,
  stale: 15,
};

export type FineScenarioId = 'ok' | 'retry-after-503' | 'redirect-chain' | 'big5-declared-big5' | 'utf8-bom' | 'csv-as-html' | 'gzip' | 'api-capped-1000';

export const FINE_COUNTS: Record<Exclude<FineScenarioId, 'ok'>, number> = {
  'retry-after-503': 6,
  'redirect-chain': 8,
  'big5-declared-big5': 15,
  'utf8-bom': 40,
  'csv-as-html': 20,
  gzip: 15,
  'api-capped-1000': 3,
};

/** Datasets of seed 004 whose real complaints (附件三) the demo re-enacts. */
export const PINNED: Record<string, ScenarioId | DatasetScenarioId> = {
  勞工體格及健康檢查認可醫療機構: 'not-found', // 1: 檔案無法下載
  '15-29歲青年勞工就業狀況': 'timeout', // 14: ERR_CONNECTION_TIMED_OUT
  初任人員平均經常性薪資: 'retry-after-503', // 2, 12: 系統經修復後，已可正常下載
  '職業工會、漁會欠費名單': 'big5-declared-utf8', // 13: 從ANSI編碼格式更正為UTF-8
  '勞工保險平均投保薪資-按類別': 'big5-declared-utf8', // 25, 26: 設utf8還是亂碼
  完成申報之動力堆高機案件清單: 'unstructured-odt', // 11: 點選畫面中藍色odt圖樣
  就業博覽會及現場徵才資訊: 'no-data-200', // 23: 查無資料
  台灣就業通網站職缺清單: 'api-capped-1000', // 34: 限制每次查詢之資料量最多1000筆
  微型創業鳳凰創業課程: 'stale', // 17: 課程都已過期
  '101年至105年勞動部勞動力發展署自辦職前訓練班級資料': 'stale', // 32: 何時會公佈去年的資料
  台灣勞工季刊: 'html-landing', // 31: 找不到下載的地方
  微型企業創業貸款每年度相關數據統計: 'csv-as-html', // 5, 30: 點選「CSV」無法下載 (opens in the browser)
};

const ORDER: Badge[] = ['none', 'bronze', 'silver', 'gold'];
export function minBadge(a: Badge, b: Badge): Badge {
  return ORDER.indexOf(a) <= ORDER.indexOf(b) ? a : b;
}
