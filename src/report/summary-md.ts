// The Markdown summary printed on stdout after an audit: per-agency scores and badge counts, then what failed most.
import type { AuditResult } from '../model.ts';
import { warningsMarkdown } from './run-warnings.ts';
import type { Ruleset } from '../score/ruleset.ts';
import { mdEscape as esc } from '../util/markdown.ts';

export function summaryMarkdown(results: AuditResult, rs: Ruleset): string {
  const tiers = [...rs.tiers].reverse();
  const lines: string[] = [];
  const total = results.datasets.length;
  lines.push(`# odbadge audit — ${rs.title.zh} / ${rs.title.en}`, '');
  lines.push(`Catalogue: ${esc(results.catalog.source)} · ${total} datasets · ${results.stats.resources} resources · ruleset \`${rs.id}\``);
  if (!results.catalog.complete) lines.push('', `**Incomplete:** ${esc(results.catalog.error ?? 'the audit was stopped')}`);
  lines.push(...warningsMarkdown(results));
  lines.push('', `| 機關 Agency | 資料集 | ${tiers.map((t) => t.name.zh).join(' | ')} | 無 | 加分 | 分數 Score |`);
  lines.push(`|---|---:|${tiers.map(() => '---:|').join('')}---:|---:|---:|`);
  for (const a of results.agencies) {
    lines.push(`| ${esc(a.agency)} | ${a.datasets} | ${tiers.map((t) => a.badges[t.id] ?? 0).join(' | ')} | ${a.badges.none ?? 0} | ${a.bonus.toFixed(1)} | ${a.score.toFixed(2)} |`);
  }
  const counts = new Map<string, number>();
  for (const d of results.datasets) counts.set(d.badge, (counts.get(d.badge) ?? 0) + 1);
  lines.push('', `Badges: ${[...tiers.map((t) => t.id), 'none'].map((b) => `${b} ${counts.get(b) ?? 0} (${total ? ((100 * (counts.get(b) ?? 0)) / total).toFixed(1) : '0.0'} %)`).join(', ')}`);
  const failing = new Map<string, number>();
  for (const d of results.datasets) for (const [id, r] of Object.entries(d.indicators)) if (r.verdict === 'fail' || r.verdict === 'unsure') failing.set(id, (failing.get(id) ?? 0) + 1);
  if (failing.size) {
    lines.push('', 'Datasets not passing, by indicator: ' + [...failing].sort((a, b) => b[1] - a[1]).map(([id, n]) => `${id} ${n}`).join(', '));
  }
  return lines.join('\n') + '\n';
}
