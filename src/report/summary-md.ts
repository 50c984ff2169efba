// The Markdown summary printed on stdout after an audit: per-agency scores and badge counts, then what failed most.
// The per-dataset part is counts, gathered one dataset at a time (BadgeCounts), so a whole portal needs no list.
import type { AuditHeader, AuditResult, DatasetResult } from '../model.ts';
import { warningsMarkdown } from './run-warnings.ts';
import type { Ruleset } from '../score/ruleset.ts';
import { mdEscape as esc } from '../util/markdown.ts';

/** Datasets per badge, and per indicator those not passing (fail or unsure). */
export class BadgeCounts {
  total = 0;
  readonly badges = new Map<string, number>();
  readonly failing = new Map<string, number>();
  /** Resources whose download did not succeed. */
  resourcesNotOk = 0;
  add(d: DatasetResult): void {
    this.total++;
    for (const r of d.resources) if (r.fetch.kind !== 'ok') this.resourcesNotOk++;
    this.badges.set(d.badge, (this.badges.get(d.badge) ?? 0) + 1);
    for (const [id, r] of Object.entries(d.indicators)) if (r.verdict === 'fail' || r.verdict === 'unsure') this.failing.set(id, (this.failing.get(id) ?? 0) + 1);
  }
}

export function summaryMarkdown(results: AuditResult, rs: Ruleset): string {
  const counts = new BadgeCounts();
  for (const d of results.datasets) counts.add(d);
  return summaryMarkdownOf(results, counts, rs);
}

export function summaryMarkdownOf(results: AuditHeader, c: BadgeCounts, rs: Ruleset): string {
  const tiers = [...rs.tiers].reverse();
  const lines: string[] = [];
  const total = c.total;
  lines.push(`# odbadge audit — ${rs.title.zh} / ${rs.title.en}`, '');
  lines.push(`Catalogue: ${esc(results.catalog.source)} · ${total} datasets · ${results.stats.resources} resources · ruleset \`${rs.id}\``);
  if (!results.catalog.complete) lines.push('', `**Incomplete:** ${esc(results.catalog.error ?? 'the audit was stopped')}`);
  lines.push(...warningsMarkdown(results));
  lines.push('', `| 機關 Agency | 資料集 | ${tiers.map((t) => t.name.zh).join(' | ')} | 無 | 加分 | 分數 Score |`);
  lines.push(`|---|---:|${tiers.map(() => '---:|').join('')}---:|---:|---:|`);
  for (const a of results.agencies) {
    lines.push(`| ${esc(a.agency)} | ${a.datasets} | ${tiers.map((t) => a.badges[t.id] ?? 0).join(' | ')} | ${a.badges.none ?? 0} | ${a.bonus.toFixed(1)} | ${a.score.toFixed(2)} |`);
  }
  const counts = c.badges;
  lines.push('', `Badges: ${[...tiers.map((t) => t.id), 'none'].map((b) => `${b} ${counts.get(b) ?? 0} (${total ? ((100 * (counts.get(b) ?? 0)) / total).toFixed(1) : '0.0'} %)`).join(', ')}`);
  const failing = c.failing;
  if (failing.size) {
    lines.push('', 'Datasets not passing, by indicator: ' + [...failing].sort((a, b) => b[1] - a[1]).map(([id, n]) => `${id} ${n}`).join(', '));
  }
  return lines.join('\n') + '\n';
}
