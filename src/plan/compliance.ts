// Plan compliance: did each promised dataset arrive, on time, in the promised formats, updated as promised?
// Works on catalogue metadata only (readCatalog): no resource is downloaded.
import { parseFrequency, type Frequency } from '../catalog/frequency.ts';
import type { Dataset } from '../model.ts';
import { endOfMonthUtc8 } from './dates.ts';
import { bestMatch } from './match.ts';
import type { Plan, PlanRow } from './plan.ts';

export type ReleaseOutcome =
  | 'on-time' // released by the end of the promised month
  | 'late' // released, after the promised month
  | 'released-date-unknown' // found in the catalogue, but the catalogue gives no trustworthy release date
  | 'not-yet-due' // not in the catalogue, the promised month has not ended
  | 'overdue' // not in the catalogue, the promised month has ended
  | 'no-date'; // the plan gives no readable date and the dataset is not in the catalogue

export interface RowCompliance {
  row: Pick<PlanRow, 'section' | 'number' | 'name' | 'category' | 'date' | 'frequency' | 'formats'> & { agency: string };
  match: { id: string; title: string; agency: string; similarity: number } | null;
  /** shown when no dataset reached the threshold */
  bestCandidate?: { id: string; title: string; similarity: number };
  release: { outcome: ReleaseOutcome; releasedAt?: string; lateByDays?: number; dueBy?: string; note?: string };
  formats: { promised: string[]; present: string[]; missing: string[] } | null;
  frequency: {
    promised: string;
    declared: string | null;
    /** promised vs declared: same period / kind, different, or cannot tell */
    agreement: 'same' | 'different' | 'unknown';
    observed: { lastUpdate: string | null; source: string | null; ageDays: number | null; verdict: 'fresh' | 'stale' | 'cannot-be-late' | 'no-evidence' | 'unknown' };
  } | null;
  compliant: boolean | null;
}

export interface AgencyCompliance {
  agency: string;
  rows: number;
  due: number;
  released: number;
  onTime: number;
  late: number;
  overdue: number;
  notYetDue: number;
  formatsComplete: number;
  /** (on time with every promised format) / due rows; null when nothing is due yet */
  complianceRate: number | null;
}

export interface ComplianceReport {
  plan: { agency: string; title?: string; source?: string; rows: number };
  catalog: { source: string; datasets: number };
  asOf: string;
  threshold: number;
  rows: RowCompliance[];
  agencies: AgencyCompliance[];
}

export interface ComplianceOptions {
  asOf: Date;
  /** minimum title similarity for a match (default 0.8) */
  threshold?: number;
  catalogSource?: string;
}

const DAY = 86_400_000;
const normFormat = (f: string) => f.trim().toUpperCase().replace(/^\./, '');

function datasetFormats(d: Dataset): string[] {
  const all = [...(d.declared.formats ?? []), ...d.resources.map((r) => r.declared.format ?? '')].map(normFormat).filter(Boolean);
  if (d.resources.some((r) => r.declared.isApi)) all.push('API');
  return [...new Set(all)];
}

function samePeriod(a: Frequency, b: Frequency): 'same' | 'different' | 'unknown' {
  if (a.kind === 'unknown' || b.kind === 'unknown') return 'unknown';
  if (a.kind !== b.kind) return 'different';
  if (a.kind === 'regular' && b.kind === 'regular') return Math.abs(a.periodDays - b.periodDays) <= 0.1 * Math.max(a.periodDays, b.periodDays) ? 'same' : 'different';
  return 'same';
}

function latestUpdate(d: Dataset): { at: Date; source: string } | undefined {
  let best: { at: Date; source: string } | undefined;
  const consider = (v: string | undefined, source: string) => {
    if (!v) return;
    const at = new Date(v);
    if (!Number.isNaN(at.getTime()) && (!best || at > best.at)) best = { at, source };
  };
  for (const r of d.resources) consider(r.declared.updatedAt, 'resource update time');
  consider(d.metadataUpdatedAt, 'metadata update time');
  return best;
}

function frequencyCheck(row: PlanRow, d: Dataset, asOf: Date): RowCompliance['frequency'] {
  const promisedText = row.frequency?.trim() ?? '';
  if (!promisedText) return null;
  const promised = parseFrequency(promisedText);
  const declaredText = d.declared.frequency?.trim() || null;
  const declared = parseFrequency(declaredText);
  const last = latestUpdate(d);
  const ageDays = last ? Math.max(0, (asOf.getTime() - last.at.getTime()) / DAY) : null;
  let verdict: NonNullable<RowCompliance['frequency']>['observed']['verdict'];
  if (promised.kind === 'irregular' || promised.kind === 'static') verdict = 'cannot-be-late';
  else if (promised.kind === 'unknown') verdict = 'unknown';
  else if (!last || ageDays === null) verdict = 'no-evidence';
  else {
    // the same window the timely rule uses by default: period × 1.5, at least a day
    const window = promised.kind === 'realtime' ? 1 : Math.max(1, promised.periodDays * 1.5);
    verdict = ageDays <= window ? 'fresh' : 'stale';
  }
  return {
    promised: promisedText,
    declared: declaredText,
    agreement: declaredText ? samePeriod(promised, declared) : 'unknown',
    observed: { lastUpdate: last?.at.toISOString() ?? null, source: last?.source ?? null, ageDays: ageDays === null ? null : +ageDays.toFixed(1), verdict },
  };
}

export function checkCompliance(plan: Plan, datasets: Dataset[], o: ComplianceOptions): ComplianceReport {
  const threshold = o.threshold ?? 0.8;
  const asOf = o.asOf;
  const rows: RowCompliance[] = plan.rows.map((row) => {
    const agency = row.agency || plan.agency;
    const best = bestMatch(row.name, datasets, (d) => d.title, (d) => d.agency === agency || d.agency === plan.agency);
    const matched = best && best.similarity >= threshold ? best.item : undefined;
    const due = row.date ? endOfMonthUtc8(row.date) : undefined;
    const base: RowCompliance = {
      row: { section: row.section, ...(row.number !== undefined ? { number: row.number } : {}), name: row.name, ...(row.category ? { category: row.category } : {}), agency, date: row.date, frequency: row.frequency, formats: row.formats },
      match: matched ? { id: matched.id, title: matched.title, agency: matched.agency, similarity: best!.similarity } : null,
      ...(!matched && best ? { bestCandidate: { id: best.item.id, title: best.title, similarity: best.similarity } } : {}),
      release: { outcome: 'no-date' },
      formats: null,
      frequency: null,
      compliant: null,
    };
    const released = matched?.publishedAt ? new Date(matched.publishedAt) : undefined;
    const releasedByAsOf = matched && (!released || released <= asOf);
    if (!releasedByAsOf) {
      base.release = due
        ? due.getTime() >= asOf.getTime()
          ? { outcome: 'not-yet-due', dueBy: due.toISOString() }
          : { outcome: 'overdue', dueBy: due.toISOString(), lateByDays: Math.floor((asOf.getTime() - due.getTime()) / DAY) }
        : { outcome: 'no-date', note: 'the plan gives no readable date' };
      base.compliant = base.release.outcome === 'not-yet-due' ? null : false;
      return base;
    }
    const d = matched!;
    const present = datasetFormats(d);
    const promised = row.formats.map(normFormat);
    base.formats = { promised, present, missing: promised.filter((f) => !present.includes(f)) };
    base.frequency = frequencyCheck(row, d, asOf);
    if (!released) {
      const caveat = d.findings.find((f) => f.code === 'catalog-release-date-unknown');
      base.release = { outcome: 'released-date-unknown', ...(due ? { dueBy: due.toISOString() } : {}), note: caveat?.message ?? 'the catalogue gives no release date' };
    } else if (!due) {
      base.release = { outcome: 'released-date-unknown', releasedAt: released.toISOString(), note: 'the plan gives no readable date to compare with' };
    } else if (released <= due) {
      base.release = { outcome: 'on-time', releasedAt: released.toISOString(), dueBy: due.toISOString() };
    } else {
      base.release = { outcome: 'late', releasedAt: released.toISOString(), dueBy: due.toISOString(), lateByDays: Math.ceil((released.getTime() - due.getTime()) / DAY) };
    }
    base.compliant = base.release.outcome === 'on-time' ? base.formats.missing.length === 0 : base.release.outcome === 'late' ? false : null;
    return base;
  });

  const byAgency = new Map<string, AgencyCompliance>();
  for (const r of rows) {
    const a = byAgency.get(r.row.agency) ?? { agency: r.row.agency, rows: 0, due: 0, released: 0, onTime: 0, late: 0, overdue: 0, notYetDue: 0, formatsComplete: 0, complianceRate: null };
    byAgency.set(r.row.agency, a);
    a.rows++;
    const o = r.release.outcome;
    if (o !== 'not-yet-due') a.due++;
    if (o === 'on-time' || o === 'late' || o === 'released-date-unknown') a.released++;
    if (o === 'on-time') a.onTime++;
    if (o === 'late') a.late++;
    if (o === 'overdue') a.overdue++;
    if (o === 'not-yet-due') a.notYetDue++;
    if (r.formats && r.formats.missing.length === 0) a.formatsComplete++;
  }
  for (const a of byAgency.values()) {
    const compliant = rows.filter((r) => r.row.agency === a.agency && r.compliant === true).length;
    a.complianceRate = a.due ? +(compliant / a.due).toFixed(4) : null;
  }
  return {
    plan: { agency: plan.agency, ...(plan.title ? { title: plan.title } : {}), ...(plan.source ? { source: plan.source } : {}), rows: plan.rows.length },
    catalog: { source: o.catalogSource ?? '', datasets: datasets.length },
    asOf: asOf.toISOString().slice(0, 10),
    threshold,
    rows,
    agencies: [...byAgency.values()],
  };
}

