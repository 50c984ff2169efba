// 資料即時性: updated as often as the declared 更新頻率. The official rule and grace period are not public, so
// ours is explicit: late when the newest trusted evidence of an update is older than period × graceFactor.
import { describeFrequency, parseFrequency } from '../catalog/frequency.ts';
import { fail, opt, pass, unsure, type DatasetRule } from './rule.ts';

type Source = 'resource-updated' | 'archive-capture' | 'http-last-modified' | 'content-change' | 'metadata-updated';

const SOURCE_LABEL: Record<Source, string> = {
  'resource-updated': 'the resource update time in the catalogue',
  'archive-capture': 'a historical-archive capture time (when the archive saw this version, not a declared update time)',
  'http-last-modified': 'the HTTP Last-Modified header',
  'content-change': 'a content change seen between odbadge audits',
  'metadata-updated': 'the metadata update time (詮釋資料更新時間)',
};

const DAY_MS = 86_400_000;

function latest(values: (string | undefined)[]): Date | undefined {
  let best: Date | undefined;
  for (const v of values) {
    if (!v) continue;
    const d = new Date(v);
    if (!Number.isNaN(d.getTime()) && (!best || d > best)) best = d;
  }
  return best;
}

const fmtDays = (d: number) => (d >= 2 ? `${Math.round(d)} days` : `${+(d * 24).toFixed(1)} hours`);

export const timely: DatasetRule = {
  id: 'timely',
  scope: 'dataset',
  title: { zh: '資料即時性', en: 'Updated as declared' },
  docs: 'src/rules/timely.md',
  source: '政府資料開放優質標章 (2017) 易於理解; rule details are odbadge\'s own (not public)',
  check({ dataset, resources, options, now }) {
    const declared = dataset.declared.frequency?.trim();
    if (!declared) {
      return fail('no 更新頻率 declared', {
        zh: '請於詮釋資料填寫更新頻率（如 每1月、每1年、不定期）。',
        en: 'Declare an update frequency in the metadata (e.g. 每1月, 每1年, 不定期).',
      });
    }
    const f = parseFrequency(declared);
    if (f.kind === 'irregular' || f.kind === 'static') {
      return pass(`declared "${declared}" (${f.kind}): cannot be late`, { frequency: f.kind });
    }
    if (f.kind === 'unknown') {
      const hint = { zh: `無法解讀更新頻率「${declared}」，請使用平臺的標準選項。`, en: `The frequency "${declared}" is not a known value; use the portal's standard vocabulary.` };
      return opt<'unsure' | 'fail'>(options, 'unknownFrequency', 'unsure') === 'fail' ? fail(`unknown 更新頻率 "${declared}"`, hint) : unsure(`unknown 更新頻率 "${declared}"`, hint);
    }
    const grace = opt(options, 'graceFactor', 1.5);
    const windowDays = f.kind === 'realtime'
      ? opt(options, 'realtimeWindowDays', 1)
      : Math.max(f.periodDays * grace, opt(options, 'minWindowDays', 1));

    const found: Partial<Record<Source, Date>> = {
      'resource-updated': latest(resources.map((r) => r.resource.declared.updatedAt)),
      'content-change': latest(resources.map((r) => r.contentChangedAt)),
      'archive-capture': latest(resources.flatMap((r) => r.resource.archiveCaptures ?? [])),
      'http-last-modified': latest(resources.filter((r) => r.fetch.kind === 'ok').map((r) => r.fetch.headers['last-modified'])),
      'metadata-updated': latest([dataset.metadataUpdatedAt]),
    };
    const order = opt<Source[]>(options, 'evidence', ['resource-updated', 'content-change', 'archive-capture', 'http-last-modified', 'metadata-updated']);
    const source = order.find((s) => found[s]);
    const seen = Object.fromEntries(Object.entries(found).filter(([, d]) => d).map(([s, d]) => [s, d!.toISOString()]));
    const expected = f.kind === 'realtime' ? 'real-time' : describeFrequency(f);
    if (!source) {
      return unsure(`declared "${declared}" (${expected}) but no update time is available from any source`, {
        zh: '無法取得資料更新時間；請於詮釋資料維護更新時間，或讓伺服器回傳 Last-Modified。',
        en: 'No update time is available; keep the metadata update time current or have the server send Last-Modified.',
      });
    }
    const at = found[source]!;
    const ageDays = Math.max(0, (now.getTime() - at.getTime()) / DAY_MS);
    const detail = { frequency: declared, periodDays: f.kind === 'regular' ? f.periodDays : null, graceFactor: grace, windowDays, evidenceSource: source, lastUpdate: at.toISOString(), ageDays: +ageDays.toFixed(2), seen };
    const evidence = `declared "${declared}" (${expected}); last update ${at.toISOString()} per ${SOURCE_LABEL[source]}, ${fmtDays(ageDays)} ago; allowed ${fmtDays(windowDays)}`;
    if (ageDays <= windowDays) return pass(evidence, detail);
    return fail(`${evidence}: late by ${fmtDays(ageDays - windowDays)}`, {
      zh: `資料已 ${Math.round(ageDays)} 天未更新，超過宣告的更新頻率「${declared}」；請更新資料，或更正更新頻率。`,
      en: `The data has not been updated for ${Math.round(ageDays)} days, longer than the declared "${declared}"; update it or correct the frequency.`,
    }, detail);
  },
};
