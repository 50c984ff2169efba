// Builds AuditResult fixtures from a compact description: per agency, how many datasets hold each badge.
// Each badge gets the indicator pattern the real pipeline gives it (a silver fails encoding-match, a bronze holds a
// PDF, a "none" answers 404), so reports, fix-first and agreement see realistic evidence.
import type { AuditResult } from '../../src/model.ts';
import type { DatasetResult, IndicatorResult } from '../../src/model.ts';
import { scoreAgencies } from '../../src/score/agency-score.ts';
import { loadRuleset } from '../../src/score/ruleset.ts';

export type BadgeCounts = { gold?: number; silver?: number; bronze?: number; none?: number; bonus?: number };

const pass = (evidence: string): IndicatorResult => ({ verdict: 'pass', evidence });
const notEval = (after: string): IndicatorResult => ({ verdict: 'not-evaluated', evidence: `not evaluated: ${after} did not pass` });

export function indicatorsFor(badge: string, bonus = false): Record<string, IndicatorResult> {
  const base: Record<string, IndicatorResult> = {
    'link-valid': pass('HTTP 200 from https://data.example.gov.tw/file'),
    'direct-download': pass('HTTP 200, 1200 bytes of csv'),
    structured: pass('CSV with one header row and 3 columns in every record'),
    'encoding-match': pass('declared UTF-8, detected utf-8'),
    'fields-match': pass('declared fields equal the header'),
    timely: pass('declared "不定期" (irregular): cannot be late'),
    'oas-valid': bonus ? pass('OpenAPI 3.0 document is valid') : { verdict: 'not-evaluated', evidence: 'no OpenAPI document is declared for this dataset' },
  };
  if (badge === 'silver') {
    base['encoding-match'] = { verdict: 'fail', evidence: 'declared UTF-8 but the bytes are Big5: byte 0xA4 at offset 12 is not UTF-8', hint: { zh: '請將編碼格式改為 BIG5，或將檔案轉存為 UTF-8。', en: 'Declare BIG5, or re-save the file as UTF-8.' } };
  } else if (badge === 'bronze') {
    base.structured = { verdict: 'fail', evidence: 'content is pdf (starts with %PDF), which is not structured data', hint: { zh: '請改以結構化格式提供資料。', en: 'Publish the data in a structured format.' } };
    base['encoding-match'] = notEval('structured');
    base['fields-match'] = notEval('structured');
  } else if (badge === 'none') {
    base['link-valid'] = { verdict: 'fail', evidence: 'HTTP 404 from https://data.example.gov.tw/gone', hint: { zh: '請更新資料下載網址。', en: 'Update the download URL.' } };
    base['direct-download'] = notEval('link-valid');
    base.structured = notEval('direct-download');
    base['encoding-match'] = notEval('structured');
    base['fields-match'] = notEval('structured');
  }
  return base;
}

export interface RunSpec {
  startedAt: string;
  agencies: Record<string, BadgeCounts>;
  /** dataset title → the platform's badge, for agreement tests; others get their own badge. */
  official?: Record<string, string>;
  titles?: (agency: string, badge: string, i: number) => string;
}

export function buildRun(spec: RunSpec): AuditResult {
  const rs = loadRuleset();
  const datasets: DatasetResult[] = [];
  let n = 0;
  for (const [agency, counts] of Object.entries(spec.agencies)) {
    let bonusLeft = counts.bonus ?? 0;
    for (const badge of ['gold', 'silver', 'bronze', 'none'] as const) {
      for (let i = 0; i < (counts[badge] ?? 0); i++) {
        const title = spec.titles?.(agency, badge, i) ?? `${agency}${badge}資料${i + 1}`;
        const bonus = badge === 'gold' && bonusLeft-- > 0;
        const indicators = indicatorsFor(badge, bonus);
        datasets.push({
          id: String(++n), title, agency, badge, officialBadge: spec.official?.[title] ?? badge, whitelisted: false, bonus, indicators, findings: [],
          resources: [{
            id: `${n}#0`, url: `https://data.example.gov.tw/${n}.${badge === 'bronze' ? 'pdf' : 'csv'}`,
            fetch: { kind: badge === 'none' ? 'http-error' : 'ok', status: badge === 'none' ? 404 : 200, finalUrl: `https://data.example.gov.tw/${n}`, bytes: 1200, truncated: false, attempts: 1, redirects: 0, elapsedMs: 20 },
            ...(badge === 'none' ? {} : { facts: { format: badge === 'bronze' ? 'pdf' : 'csv', formatEvidence: 'sniffed', structured: badge !== 'bronze', structuredEvidence: '', notes: [], structuralErrors: [], structuralErrorCount: 0 } }),
            indicators: Object.fromEntries(Object.entries(indicators).filter(([k]) => k !== 'timely' && k !== 'oas-valid')),
          }],
        });
      }
    }
  }
  return {
    odbadge: '0.1.0',
    ruleset: { id: rs.id, title: rs.title, source: rs.source },
    catalog: { source: 'fixture', datasets: datasets.length, findings: 0, complete: true },
    startedAt: spec.startedAt,
    finishedAt: spec.startedAt,
    datasets,
    agencies: scoreAgencies(datasets, rs),
    stats: { resources: datasets.length, distinctUrls: datasets.length, bytes: 1200 * datasets.length, requests: datasets.length, retries: 0 },
  };
}
