// 資料即時性: updated as often as the declared 更新頻率. The official rule and grace period are not public, so
// ours is explicit: late when the newest trusted evidence of an update is older than period × graceFactor.
import { frequencyParam, parseFrequency } from '../catalog/frequency.ts';
import { msg, type EvidenceSource } from '../messages/index.ts';
import { option } from './options.ts';
import { datasetRule, fail, pass, unsure, verdict } from './rule.ts';

const SOURCES = ['resource-updated', 'content-change', 'archive-capture', 'http-last-modified', 'metadata-updated'] as const satisfies readonly EvidenceSource[];

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

export const timely = datasetRule({
  id: 'timely',
  scope: 'dataset',
  title: { zh: '資料即時性', en: 'Updated as declared' },
  docs: 'src/rules/timely.md',
  source: '政府資料開放優質標章 (2017) 易於理解; rule details are odbadge\'s own (not public)',
  options: {
    graceFactor: option.number(1.5, 'A dataset is late when its newest update is older than the declared period × this factor.', { minimum: 1 }),
    minWindowDays: option.number(1, 'The shortest window, in days, whatever the period (every 30 minutes is not judged to the minute).', { minimum: 0 }),
    realtimeWindowDays: option.number(1, 'The window, in days, for a real-time (即時) frequency.', { minimum: 0 }),
    unknownFrequency: option.oneOf(['unsure', 'fail'], 'unsure', "Verdict when the declared frequency is not in odbadge's vocabulary."),
    evidence: option.list(SOURCES, 'Evidence sources the rule may use, most trusted first.', SOURCES),
  },
  check({ dataset, resources, options, now }) {
    const declared = dataset.declared.frequency?.trim();
    if (!declared) return fail(msg('timely.undeclared', {}));
    const f = parseFrequency(declared);
    if (f.kind === 'irregular' || f.kind === 'static') return pass(msg('timely.cannot-be-late', { declared, kind: f.kind }), { frequency: f.kind });
    if (f.kind === 'unknown') return verdict(options.unknownFrequency, msg('timely.unknown-frequency', { declared }));
    const grace = options.graceFactor;
    const windowDays = f.kind === 'realtime' ? options.realtimeWindowDays : Math.max(f.periodDays * grace, options.minWindowDays);

    const found: Partial<Record<EvidenceSource, Date>> = {
      'resource-updated': latest(resources.map((r) => r.resource.declared.updatedAt)),
      'content-change': latest(resources.map((r) => r.contentChangedAt)),
      'archive-capture': latest(resources.flatMap((r) => r.resource.archiveCaptures ?? [])),
      'http-last-modified': latest(resources.filter((r) => r.fetch.kind === 'ok').map((r) => r.fetch.headers['last-modified'])),
      'metadata-updated': latest([dataset.metadataUpdatedAt]),
    };
    const source = options.evidence.find((s) => found[s]);
    const seen = Object.fromEntries(Object.entries(found).filter(([, d]) => d).map(([s, d]) => [s, d!.toISOString()]));
    const frequency = frequencyParam(f);
    if (!source) return unsure(msg('timely.no-update-time', { declared, frequency }));
    const at = found[source]!;
    const ageDays = Math.max(0, (now.getTime() - at.getTime()) / DAY_MS);
    const detail = { frequency: declared, periodDays: f.kind === 'regular' ? f.periodDays : null, graceFactor: grace, windowDays, evidenceSource: source, lastUpdate: at.toISOString(), ageDays: +ageDays.toFixed(2), seen };
    const judged = { declared, frequency, lastUpdate: at.toISOString(), source, ageDays, windowDays };
    if (ageDays <= windowDays) return pass(msg('timely.on-time', judged), detail);
    return fail(msg('timely.late', judged), detail);
  },
});
