// timely (資料即時性): updated as often as the declared 更新頻率, judged on the newest trusted update time.
import { frequencyText, type FrequencyParam } from '../format.ts';
import type { Fmt } from '../types.ts';
import { define } from '../types.ts';

const rule = 'timely';

export type EvidenceSource = 'resource-updated' | 'archive-capture' | 'http-last-modified' | 'content-change' | 'metadata-updated';

const SOURCE: Record<EvidenceSource, { en: string; zh: string }> = {
  'resource-updated': { en: 'the resource update time in the catalogue', zh: '目錄中的資料資源更新時間' },
  'archive-capture': { en: 'a historical-archive capture time (when the archive saw this version, not a declared update time)', zh: '歷史檔案庫的擷取時間（檔案庫看到此版本的時間，非宣告的更新時間）' },
  'http-last-modified': { en: 'the HTTP Last-Modified header', zh: 'HTTP Last-Modified 標頭' },
  'content-change': { en: 'a content change seen between odbadge audits', zh: 'odbadge 兩次稽核之間觀察到的內容變更' },
  'metadata-updated': { en: 'the metadata update time (詮釋資料更新時間)', zh: '詮釋資料更新時間' },
};

export interface Judged {
  declared: string;
  frequency: FrequencyParam;
  lastUpdate: string;
  source: EvidenceSource;
  ageDays: number;
  windowDays: number;
}

const expected = (p: { frequency: FrequencyParam }, f: Fmt) => frequencyText(p.frequency, f);

function judged(p: Judged, f: Fmt): string {
  if (f.lang === 'zh') {
    return `宣告「${p.declared}」（${expected(p, f)}）；最近更新 ${f.date(p.lastUpdate)}（依${SOURCE[p.source].zh}），距今 ${f.days(p.ageDays)}；容許 ${f.days(p.windowDays)}`;
  }
  return `declared "${p.declared}" (${expected(p, f)}); last update ${f.date(p.lastUpdate)} per ${SOURCE[p.source].en}, ${f.days(p.ageDays)} ago; allowed ${f.days(p.windowDays)}`;
}

export const TIMELY_MESSAGES = {
  'timely.on-time': define<Judged>({
    kind: 'indicator', rule,
    description: 'The newest trusted update is within period × graceFactor (timely.graceFactor, default 1.5) of the declared frequency.',
    en: (p, f) => judged(p, f),
    zh: (p, f) => judged(p, f),
    example: { declared: '每1月', frequency: { kind: 'regular', every: 1, unit: 'month', periodDays: 31 }, lastUpdate: '2024-02-20T02:00:00.000Z', source: 'resource-updated', ageDays: 10.2, windowDays: 46.5 },
  }),
  'timely.late': define<Judged>({
    kind: 'indicator', rule,
    description: 'The newest trusted update is older than period × graceFactor.',
    en: (p, f) => `${judged(p, f)}: late by ${f.days(p.ageDays - p.windowDays)}`,
    zh: (p, f) => `${judged(p, f)}：逾期 ${f.days(p.ageDays - p.windowDays)}`,
    fix: {
      zh: (p) => `資料已 ${Math.round(p.ageDays)} 天未更新，超過宣告的更新頻率「${p.declared}」；請更新資料，或更正更新頻率。`,
      en: (p) => `The data has not been updated for ${Math.round(p.ageDays)} days, longer than the declared "${p.declared}"; update it or correct the frequency.`,
    },
    example: { declared: '每1年', frequency: { kind: 'regular', every: 1, unit: 'year', periodDays: 366 }, lastUpdate: '2021-03-01T00:00:00.000Z', source: 'metadata-updated', ageDays: 1096, windowDays: 549 },
  }),
  'timely.cannot-be-late': define<{ declared: string; kind: 'irregular' | 'static' }>({
    kind: 'indicator', rule,
    description: 'An irregular (不定期) or static frequency cannot be late.',
    en: (p) => `declared "${p.declared}" (${p.kind}): cannot be late`,
    zh: (p) => `宣告「${p.declared}」（${p.kind === 'static' ? '不更新' : '不定期'}），無逾期問題`,
    example: { declared: '不定期', kind: 'irregular' },
  }),
  'timely.undeclared': define<Record<string, never>>({
    kind: 'indicator', rule,
    description: 'No 更新頻率 (update frequency) is declared.',
    en: () => 'no 更新頻率 declared',
    zh: () => '未宣告更新頻率',
    fix: { zh: () => '請於詮釋資料填寫更新頻率（如 每1月、每1年、不定期）。', en: () => 'Declare an update frequency in the metadata (e.g. 每1月, 每1年, 不定期).' },
    example: {},
  }),
  'timely.unknown-frequency': define<{ declared: string }>({
    kind: 'indicator', rule,
    description: "The declared frequency is not in odbadge's vocabulary; timely.unknownFrequency (default unsure) decides the verdict.",
    en: (p) => `unknown 更新頻率 "${p.declared}"`,
    zh: (p) => `無法解讀的更新頻率「${p.declared}」`,
    fix: {
      zh: (p) => `無法解讀更新頻率「${p.declared}」，請使用平臺的標準選項。`,
      en: (p) => `The frequency "${p.declared}" is not a known value; use the portal's standard vocabulary.`,
    },
    example: { declared: '看心情' },
  }),
  'timely.no-update-time': define<{ declared: string; frequency: FrequencyParam }>({
    kind: 'indicator', rule,
    description: 'No source gives an update time (catalogue, archive, Last-Modified, history, metadata).',
    en: (p, f) => `declared "${p.declared}" (${expected(p, f)}) but no update time is available from any source`,
    zh: (p, f) => `宣告「${p.declared}」（${expected(p, f)}），但沒有任何來源提供更新時間`,
    fix: {
      zh: () => '無法取得資料更新時間；請於詮釋資料維護更新時間，或讓伺服器回傳 Last-Modified。',
      en: () => 'No update time is available; keep the metadata update time current or have the server send Last-Modified.',
    },
    example: { declared: '每1月', frequency: { kind: 'regular', every: 1, unit: 'month', periodDays: 31 } },
  }),
};
