// The compliance report as Markdown: per-agency rates, then one line per plan row.
import { mdEscape as cell } from '../util/markdown.ts';
import type { ComplianceReport, RowCompliance } from './compliance.ts';
const pct = (r: number | null) => (r === null ? '—' : `${(r * 100).toFixed(1)} %`);

function release(r: RowCompliance): string {
  const x = r.release;
  switch (x.outcome) {
    case 'on-time': return `on time (${x.releasedAt!.slice(0, 10)})`;
    case 'late': return `late by ${x.lateByDays} days (${x.releasedAt!.slice(0, 10)})`;
    case 'overdue': return `overdue by ${x.lateByDays} days`;
    case 'not-yet-due': return 'not yet due';
    case 'released-date-unknown': return `released, date unknown${x.note ? `: ${x.note}` : ''}`;
    default: return x.note ?? 'no date';
  }
}

function matchText(r: RowCompliance): string {
  if (r.match) return `${r.match.title} (${r.match.similarity.toFixed(2)})`;
  return r.bestCandidate ? `none — best: ${r.bestCandidate.title} (${r.bestCandidate.similarity.toFixed(2)})` : 'none';
}

function freqText(r: RowCompliance): string {
  const f = r.frequency;
  if (!f) return '';
  const obs = f.observed.verdict === 'stale' || f.observed.verdict === 'fresh' ? `${f.observed.verdict}, last ${f.observed.lastUpdate?.slice(0, 10)} (${f.observed.source})` : f.observed.verdict;
  return `promised ${f.promised}; declared ${f.declared ?? '—'} (${f.agreement}); observed ${obs}`;
}

export function complianceMarkdown(rep: ComplianceReport): string {
  const out: string[] = [];
  out.push(`# Open data plan compliance: ${cell(rep.plan.agency)}`, '');
  out.push(`Plan: ${cell(rep.plan.title ?? rep.plan.source ?? '')} (${rep.plan.rows} rows) · catalogue: ${cell(rep.catalog.source)} (${rep.catalog.datasets} datasets) · as of ${rep.asOf} · match threshold ${rep.threshold}`, '');
  out.push('| agency | rows | due | released | on time | late | overdue | not yet due | compliance |', '|---|---:|---:|---:|---:|---:|---:|---:|---:|');
  for (const a of rep.agencies) out.push(`| ${cell(a.agency)} | ${a.rows} | ${a.due} | ${a.released} | ${a.onTime} | ${a.late} | ${a.overdue} | ${a.notYetDue} | ${pct(a.complianceRate)} |`);
  out.push('', 'Compliance = rows released on time with every promised format ÷ rows due.', '');
  out.push('| § | # | promised dataset | due | release | catalogue match (similarity) | missing formats | frequency |', '|---|---:|---|---|---|---|---|---|');
  for (const r of rep.rows) {
    const missing = r.formats ? (r.formats.missing.length ? r.formats.missing.join(', ') : 'none') : '';
    out.push(`| ${cell(r.row.section)} | ${cell(r.row.number ?? '')} | ${cell(r.row.name)} | ${cell(r.row.date ?? '?')} | ${cell(release(r))} | ${cell(matchText(r))} | ${cell(missing)} | ${cell(freqText(r))} |`);
  }
  return out.join('\n') + '\n';
}
