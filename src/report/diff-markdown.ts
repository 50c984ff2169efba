// The diff between two runs as Markdown: for a pull-request comment, a mail to the agencies, or the terminal.
import { mdEscape as cell } from '../util/markdown.ts';
import type { BadgeChange, DatasetRef, RunDiff } from './diff.ts';
const score = (x: number | null) => (x === null ? '—' : x.toFixed(2));
const signed = (x: number | null) => (x === null ? '—' : `${x > 0 ? '+' : ''}${x.toFixed(2)}`);

function changesTable(title: string, rows: BadgeChange[]): string[] {
  if (!rows.length) return [];
  return [
    `## ${title} (${rows.length})`, '',
    '| dataset | agency | badge | indicators that changed |', '|---|---|---|---|',
    ...rows.map((r) => `| ${cell(`${r.title} (${r.id})`)} | ${cell(r.agency)} | ${r.from} → ${r.to} | ${cell(r.indicators.map((i) => `${i.indicator}: ${i.from ?? '—'} → ${i.to ?? '—'}`).join('; ') || '—')} |`),
    '',
  ];
}

function refTable(title: string, rows: DatasetRef[]): string[] {
  if (!rows.length) return [];
  return [`## ${title} (${rows.length})`, '', '| dataset | agency | badge |', '|---|---|---|', ...rows.map((r) => `| ${cell(`${r.title} (${r.id})`)} | ${cell(r.agency)} | ${r.badge} |`), ''];
}

export function diffMarkdown(d: RunDiff): string {
  const moved = d.agencies.filter((a) => a.delta !== 0);
  const lines = [
    `# odbadge: run ${d.runA.id} (${d.runA.startedAt}) → run ${d.runB.id} (${d.runB.startedAt})`, '',
    ...(d.basis ? [cell(d.basis), ''] : []),
    `Badges: ${d.rose.length} rose, ${d.fell.length} fell; ${d.added.length} new and ${d.removed.length} removed datasets; ${d.indicatorChangesOnly} datasets changed an indicator without changing badge.`,
    ...(d.runA.rulesetId !== d.runB.rulesetId ? ['', `Note: the runs used different rulesets (${cell(d.runA.rulesetId)} → ${cell(d.runB.rulesetId)}).`] : []),
    '',
    ...changesTable('Badges that fell', d.fell),
    ...changesTable('Badges that rose', d.rose),
    ...refTable('New datasets', d.added),
    ...refTable('Removed datasets', d.removed),
  ];
  if (moved.length) {
    lines.push(`## Agency scores (${moved.length} changed)`, '', `| agency | run ${d.runA.id} | run ${d.runB.id} | Δ |`, '|---|---:|---:|---:|');
    for (const a of moved) lines.push(`| ${cell(a.agency)} | ${score(a.before)} | ${score(a.after)} | ${signed(a.delta)} |`);
    lines.push('');
  } else {
    lines.push('Agency scores: unchanged.', '');
  }
  return lines.join('\n');
}
