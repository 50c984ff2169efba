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

/**
 * Agreement, one dataset at a time. `keep` bounds the disagreements listed (the counts stay exact: disagreements =
 * compared − agree), so a whole portal's are not held in memory; reports show the first ones.
 */
export class AgreementCollector {
  readonly #rs: TierSpec;
  readonly #keep: number;
  readonly #order: string[];
  readonly labels: string[];
  readonly matrix: Record<string, Record<string, number>> = {};
  compared = 0;
  agree = 0;
  withoutOfficial = 0;
  readonly disagreements: Disagreement[] = [];
  readonly #codes: CodeAgreement;

  constructor(rs: TierSpec, o: { keep?: number } = {}) {
    this.#rs = rs;
    this.#keep = o.keep ?? Infinity;
    this.#order = rs.tiers.map((t) => t.id);
    this.labels = [...this.#order].reverse().concat('none');
    this.#codes = noCodes();
  }

  add(d: DatasetResult): void {
    addCodes(this.#codes, d, this.#keep);
    const level = (b: string) => this.#order.indexOf(b); // -1 for none / unknown
    const cumulative = (b: string) => this.#rs.tiers.slice(0, level(b) + 1).flatMap((t) => t.indicators);
    const ev = (ids: string[]) => ids.map((id) => {
      const r = d.indicators[id];
      return { indicator: id, verdict: r?.verdict ?? 'not-evaluated', evidence: r?.evidence ?? 'no verdict recorded', ...(r?.message ? { message: r.message } : {}) };
    });
    const off = d.officialBadge;
    if (off === null || off === undefined || off === '') {
      this.withoutOfficial++;
      return;
    }
    if (!this.labels.includes(off)) this.labels.push(off);
    this.compared++;
    this.matrix[off] ??= {};
    this.matrix[off][d.badge] = (this.matrix[off][d.badge] ?? 0) + 1;
    if (off === d.badge) {
      this.agree++;
      return;
    }
    if (this.disagreements.length >= this.#keep) return;
    const lower = level(d.badge) < level(off);
    this.disagreements.push({
      id: d.id, title: d.title, agency: d.agency, official: off, ours: d.badge,
      direction: lower ? 'ours-lower' : 'ours-higher',
      evidence: lower
        ? ev(cumulative(off).filter((id) => d.indicators[id]?.verdict !== 'pass'))
        : ev(cumulative(d.badge).filter((id) => !cumulative(off).includes(id))),
    });
  }

  result(): Agreement {
    return {
      labels: this.labels, matrix: this.matrix, compared: this.compared, agree: this.agree,
      rate: this.compared ? this.agree / this.compared : null, withoutOfficial: this.withoutOfficial,
      disagreements: this.disagreements, codes: this.#codes,
    };
  }
}

/** Compares, resource by resource, the codes the platform published with those odbadge's official profile gives. */
export function codeAgreement(datasets: Iterable<DatasetResult>): CodeAgreement {
  const c = noCodes();
  for (const d of datasets) addCodes(c, d, Infinity);
  return c;
}

function noCodes(): CodeAgreement {
  return { resources: 0, perCode: Object.fromEntries(OFFICIAL_CODE_NAMES.map((n) => [n, { compared: 0, agree: 0 }])) as CodeAgreement['perCode'], disagreements: [] };
}

/** Adds one dataset's resources to a code agreement, listing at most `keep` disagreements. */
function addCodes(c: CodeAgreement, d: DatasetResult, keep: number): void {
  d.resources.forEach((r, i) => {
    if (!r.published || !r.official) return;
    c.resources++;
    for (const code of OFFICIAL_CODE_NAMES) {
      const published = r.published[code];
      if (published === undefined || published === null) continue;
      c.perCode[code].compared++;
      const ours = r.official[code];
      if (ours === published) c.perCode[code].agree++;
      else if (c.disagreements.length < keep) c.disagreements.push({ dataset: d.id, title: d.title, resource: i + 1, code, published, ours, evidence: indicatorEvidence(r.indicators, code), ...indicatorMessage(r.indicators, code) });
    }
  });
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
  const c = new AgreementCollector(rs);
  for (const d of results.datasets) c.add(d);
  return c.result();
}
