// Agreement with the platform's own badge (品質檢測): a confusion matrix and every disagreement with our evidence.
// Where we rate lower, the evidence is the indicators that keep the dataset below the official tier; where we rate
// higher, it is the passing evidence of the indicators the official badge says were not met.
import type { AuditResult } from '../model.ts';
import type { Bilingual, DatasetResult, IndicatorResult, OfficialCodes } from '../model.ts';
import { OFFICIAL_CODE_INDICATORS, OFFICIAL_CODE_NAMES } from '../score/official-codes.ts';
import type { TierSpec } from './fix-first.ts';
import { verdictIn } from './reader-lang.ts';

export interface Disagreement {
  id: string;
  title: string;
  agency: string;
  official: string;
  ours: string;
  direction: 'ours-lower' | 'ours-higher';
  /** `message`: the evidence for a reader, { zh, en }, where the result carries one. */
  evidence: { indicator: string; verdict: string; evidence: string; message?: Bilingual }[];
}

export interface Agreement {
  /** Tier ids from the top down, then "none"; official values outside this list are added at the end. */
  labels: string[];
  /** matrix[official][ours] = count */
  matrix: Record<string, Record<string, number>>;
  compared: number;
  agree: number;
  /** agree / compared, or null when nothing could be compared. */
  rate: number | null;
  /** Datasets whose catalogue carries no official badge. */
  withoutOfficial: number;
  disagreements: Disagreement[];
  /** odbadge's official-profile codes against the per-resource codes the catalogue published, where it did. */
  codes: CodeAgreement;
}

export interface CodeDisagreement {
  dataset: string;
  title: string;
  /** 1-based resource number within the dataset. */
  resource: number;
  code: keyof OfficialCodes;
  published: 0 | 1 | 2;
  ours: 0 | 1 | 2 | null;
  /** Our evidence for the indicator behind the code. */
  evidence: string;
  /** The same for a reader, { zh, en }, where the result carries a message. */
  message?: Bilingual;
}

export interface CodeAgreement {
  /** Resources whose catalogue entry carries published codes. */
  resources: number;
  /** Per code: how many resources could be compared and agreed. */
  perCode: Record<keyof OfficialCodes, { compared: number; agree: number }>;
  disagreements: CodeDisagreement[];
}

/** Compares, resource by resource, the codes the platform published with those odbadge's official profile gives. */
export function codeAgreement(datasets: Iterable<DatasetResult>): CodeAgreement {
  const perCode = Object.fromEntries(OFFICIAL_CODE_NAMES.map((n) => [n, { compared: 0, agree: 0 }])) as CodeAgreement['perCode'];
  const disagreements: CodeDisagreement[] = [];
  let resources = 0;
  for (const d of datasets) {
    d.resources.forEach((r, i) => {
      if (!r.published || !r.official) return;
      resources++;
      for (const code of OFFICIAL_CODE_NAMES) {
        const published = r.published[code];
        if (published === undefined || published === null) continue;
        perCode[code].compared++;
        const ours = r.official[code];
        if (ours === published) perCode[code].agree++;
        else disagreements.push({ dataset: d.id, title: d.title, resource: i + 1, code, published, ours, evidence: indicatorEvidence(r.indicators, code), ...indicatorMessage(r.indicators, code) });
      }
    });
  }
  return { resources, perCode, disagreements };
}

function indicatorEvidence(ind: DatasetResult['resources'][number]['indicators'], code: keyof OfficialCodes): string {
  const r = ind[OFFICIAL_CODE_INDICATORS[code]];
  return r ? `${r.verdict}: ${r.evidence}` : 'no verdict recorded';
}

function indicatorMessage(ind: Record<string, IndicatorResult>, code: keyof OfficialCodes): { message?: Bilingual } {
  const r = ind[OFFICIAL_CODE_INDICATORS[code]];
  return r?.message ? { message: { zh: `${verdictIn(r.verdict, 'zh')}：${r.message.zh}`, en: `${r.verdict}: ${r.message.en}` } } : {};
}

export function agreement(results: AuditResult, rs: TierSpec): Agreement {
  const order = rs.tiers.map((t) => t.id);
  const labels = [...order].reverse().concat('none');
  const level = (b: string) => order.indexOf(b); // -1 for none / unknown
  const cumulative = (b: string) => rs.tiers.slice(0, level(b) + 1).flatMap((t) => t.indicators);
  const matrix: Record<string, Record<string, number>> = {};
  let compared = 0;
  let agree = 0;
  let withoutOfficial = 0;
  const disagreements: Disagreement[] = [];
  const ev = (d: DatasetResult, ids: string[]) => ids.map((id) => {
    const r = d.indicators[id];
    return { indicator: id, verdict: r?.verdict ?? 'not-evaluated', evidence: r?.evidence ?? 'no verdict recorded', ...(r?.message ? { message: r.message } : {}) };
  });
  for (const d of results.datasets) {
    const off = d.officialBadge;
    if (off === null || off === undefined || off === '') {
      withoutOfficial++;
      continue;
    }
    if (!labels.includes(off)) labels.push(off);
    compared++;
    matrix[off] ??= {};
    matrix[off][d.badge] = (matrix[off][d.badge] ?? 0) + 1;
    if (off === d.badge) {
      agree++;
      continue;
    }
    const lower = level(d.badge) < level(off);
    disagreements.push({
      id: d.id, title: d.title, agency: d.agency, official: off, ours: d.badge,
      direction: lower ? 'ours-lower' : 'ours-higher',
      evidence: lower
        ? ev(d, cumulative(off).filter((id) => d.indicators[id]?.verdict !== 'pass'))
        : ev(d, cumulative(d.badge).filter((id) => !cumulative(off).includes(id))),
    });
  }
  return { labels, matrix, compared, agree, rate: compared ? agree / compared : null, withoutOfficial, disagreements, codes: codeAgreement(results.datasets) };
}
