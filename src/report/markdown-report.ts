// The Markdown report for mail and wikis: agency table by group, what to fix first per agency, agreement with the
// official badge. Catalogue text goes through the one Markdown escaper (pipes, line breaks, HTML, link syntax).
import type { AuditHeader, AuditResult } from '../model.ts';
import type { AwardTables } from '../score/awards.ts';
import { DEFAULT_GROUP_CONFIG, groupAgencies, groupLabel, type GroupConfig } from '../score/groups.ts';
import type { Agreement } from './agreement.ts';
import type { AgencyFixes } from './fix-first.ts';
import type { CiOutcome } from './junit.ts';
import { mdEscape } from '../util/markdown.ts';
import type { Lang } from '../messages/index.ts';
import { evidenceIn, readerLang, verdictIn } from './reader-lang.ts';
import { warningsMarkdown } from './run-warnings.ts';

const clip = (s: string, n: number) => (s.length > n ? s.slice(0, n - 1) + '…' : s);

export interface MarkdownReportInput {
  results: AuditResult | AuditHeader;
  /** Datasets in the results (default: results.datasets.length). */
  count?: number;
  tierIds: string[];
  fixes: AgencyFixes[];
  agreement: Agreement;
  groups?: GroupConfig;
  /** Fixes listed per agency. */
  fixesPerAgency?: number;
  disagreementsShown?: number;
  /** The language of evidence (the reader's: zh-TW unless ODBADGE_LANG=en). */
  lang?: Lang;
}

export function markdownReport(i: MarkdownReportInput): string {
  const { results } = i;
  const lang = i.lang ?? readerLang();
  const tiers = [...i.tierIds].reverse();
  const L: string[] = [];
  L.push(`# odbadge report — ${mdEscape(results.ruleset.title.zh)}`, '');
  const count = i.count ?? (results as AuditResult).datasets.length;
  L.push(`Catalogue: ${mdEscape(results.catalog.source)} · ${count} datasets · audited ${results.startedAt}`);
  if (!results.catalog.complete) L.push('', `**Incomplete:** ${mdEscape(results.catalog.error ?? 'the audit was stopped')}`);
  L.push(...warningsMarkdown(results));
  L.push('', '## 機關分數 Agency scores');
  for (const { group, agencies } of groupAgencies(results.agencies, i.groups ?? DEFAULT_GROUP_CONFIG)) {
    if (!agencies.length) continue;
    L.push('', `### ${groupLabel(group, 'zh')} / ${groupLabel(group, 'en')}`, '');
    L.push(`| 機關 Agency | 資料集 | ${tiers.join(' | ')} | none | 分數 Score |`, `|---|---:|${tiers.map(() => '---:|').join('')}---:|---:|`);
    for (const a of agencies) L.push(`| ${mdEscape(a.agency)} | ${a.datasets} | ${tiers.map((t) => a.badges[t] ?? 0).join(' | ')} | ${a.badges.none ?? 0} | ${a.score.toFixed(2)} |`);
  }
  L.push('', '## 優先改善 What to fix first');
  const per = i.fixesPerAgency ?? 5;
  for (const a of i.fixes) {
    const n = a.count ?? a.fixes.length;
    if (!n) continue;
    L.push('', `### ${mdEscape(a.agency)} — ${a.score.toFixed(2)} → ${a.potential.toFixed(2)} if all ${n} fixes are made`, '');
    L.push('| # | 資料集 Dataset | 標章 Badge | 加分 Points | 改善 Fix | 證據 Evidence |', '|---:|---|---|---:|---|---|');
    a.fixes.slice(0, per).forEach((f, k) => {
      L.push(`| ${k + 1} | ${mdEscape(f.title)} | ${f.from} → ${f.to}${f.mayGoFurther ? '+' : ''} | +${f.points.toFixed(2)} | ${f.fixes.map((s) => `${s.indicator} (${s.verdict})`).join(', ')} | ${mdEscape(clip(f.fixes[0] ? evidenceIn(f.fixes[0], lang) : '', 160))} |`);
    });
    if (n > per) L.push('', `…and ${n - per} more (see fix-first.csv).`);
  }
  const g = i.agreement;
  L.push('', '## 與平臺品質檢測比對 Agreement with the official badge', '');
  if (!g.compared) L.push('The catalogue carries no official badge.');
  else {
    L.push(`Agree on ${g.agree} of ${g.compared} datasets (${((100 * g.agree) / g.compared).toFixed(1)} %); ${g.withoutOfficial} without an official badge.`, '');
    L.push(`| official ↓ / ours → | ${g.labels.join(' | ')} |`, `|---|${g.labels.map(() => '---:|').join('')}`);
    for (const o of g.labels) L.push(`| ${o} | ${g.labels.map((x) => g.matrix[o]?.[x] ?? 0).join(' | ')} |`);
    const shown = i.disagreementsShown ?? 50;
    const disagreeing = g.compared - g.agree;
    if (disagreeing) {
      L.push('', '| 資料集 Dataset | 機關 Agency | official | ours | our evidence |', '|---|---|---|---|---|');
      for (const d of g.disagreements.slice(0, shown)) {
        L.push(`| ${mdEscape(d.title)} (${mdEscape(d.id)}) | ${mdEscape(d.agency)} | ${d.official} | ${d.ours} | ${mdEscape(clip(d.evidence.map((e) => `${e.indicator} ${verdictIn(e.verdict, lang)}: ${evidenceIn(e, lang)}`).join('; '), 240))} |`);
      }
      if (disagreeing > shown) L.push('', `…and ${disagreeing - shown} more.`);
    }
  }
  const c = g.codes;
  if (c.resources > 0) {
    L.push('', '### 逐項檢測代碼 Per-resource checker codes', '');
    L.push(`${c.resources} resources carry the platform's published codes (1 pass, 0 fail, 2 not evaluated); odbadge's are computed under the official-compatibility profile.`, '');
    L.push('| code | compared | agree |', '|---|---:|---:|');
    for (const [code, n] of Object.entries(c.perCode)) L.push(`| ${code} | ${n.compared} | ${n.agree} |`);
    if (c.disagreements.length) {
      L.push('', '| 資料集 Dataset | resource | code | published | ours | our evidence |', '|---|---:|---|---:|---:|---|');
      for (const d of c.disagreements.slice(0, i.disagreementsShown ?? 50)) {
        L.push(`| ${mdEscape(d.title)} (${mdEscape(d.dataset)}) | ${d.resource} | ${d.code} | ${d.published} | ${d.ours ?? 'unsure'} | ${mdEscape(clip(d.message?.[lang] ?? d.evidence, 200))} |`);
      }
    }
  }
  return L.join('\n') + '\n';
}

/** The award tables in Markdown (used by `odbadge awards`). */
export function awardsMarkdown(t: AwardTables): string {
  const L: string[] = [`# 資料開放金質獎 award tables`, '', `Run ${t.run.startedAt} (${t.run.datasets} datasets), ruleset \`${t.ruleset}\`; 第一組 from ${t.config.groups.threshold} datasets.`];
  L.push('', '## 金質獎');
  for (const g of t.gold) {
    L.push('', `### ${g.label.zh} / ${g.label.en} (top ${g.prizes})`, '');
    if (!g.standings.length) {
      L.push('No agency in this group.');
      continue;
    }
    L.push('| 名次 Rank | 機關 Agency | 資料集 | 分數 Score | 得獎 Prize |', '|---:|---|---:|---:|---|');
    for (const s of g.standings) L.push(`| ${s.rank} | ${mdEscape(s.agency)} | ${s.datasets} | ${s.score.toFixed(2)} | ${s.prize ? '🏅' : ''} |`);
  }
  L.push('', `## 品質進步獎 (+${t.config.improvementMinGain} over the previous run)`, '');
  if (!t.improvement) L.push('No previous run given (--previous): cannot compare.');
  else {
    const p = t.previousRun;
    if (p) L.push(`Compared with ${p.runId !== undefined ? `run ${p.runId}` : 'the run'} of ${p.startedAt}${p.catalog ? ` (${mdEscape(p.catalog)})` : ''}.`, '');
    const rows = [...t.improvement.winners, ...t.improvement.excluded];
    if (!rows.length) L.push('No agency gained enough.');
    else {
      L.push('| 機關 Agency | previous | current | gain | |', '|---|---:|---:|---:|---|');
      for (const w of rows) L.push(`| ${mdEscape(w.agency)} | ${w.previous.toFixed(2)} | ${w.current.toFixed(2)} | +${w.gain.toFixed(2)} | ${w.excluded ? 'excluded: won a 金質獎 group prize' : '🏅'} |`);
    }
  }
  const p = t.popularity;
  L.push('', `## 資料開放人氣獎 (top ${t.config.popularity.top})`, '');
  const winners = p.ranked.filter((e) => e.winner);
  if (p.maxViews === 0 && p.maxDownloads === 0) L.push('No usage counts for this catalogue (neither in the results nor given with --usage <file>): 人氣獎 is not awarded.');
  else if (!winners.length) L.push('No eligible dataset with usage counts.');
  else {
    L.push(`Maxima: ${p.maxViews} views, ${p.maxDownloads} downloads.`, '', '| 名次 | 資料集 Dataset | 機關 Agency | views | downloads | rating | score |', '|---:|---|---|---:|---:|---:|---:|');
    for (const e of winners) L.push(`| ${e.rank} | ${mdEscape(e.title)} | ${mdEscape(e.agency)} | ${e.views ?? 0} | ${e.downloads ?? 0} | ${e.avgRating ?? '–'} | ${e.score.toFixed(2)} |`);
  }
  L.push('', `## 資料開放應用獎 public vote (N = ${t.publicVote.entries})`, '', `(N − rank + 1) · 20/N: ${t.publicVote.scores.map((s, k) => `#${k + 1} ${s}`).join(', ')}`);
  return L.join('\n') + '\n';
}

/** The CI summary, sized for a pull-request comment: verdict first, a per-agency table, failing datasets folded. */
export function ciMarkdown(results: AuditResult | AuditHeader, o: CiOutcome, opts: { maxListed?: number; lang?: Lang } = {}): string {
  const lang = opts.lang ?? readerLang();
  const t = o.thresholds;
  const want = [t.minBadge && t.minBadge !== 'none' ? `badge ≥ ${t.minBadge}` : '', t.minScore !== undefined ? `agency score ≥ ${t.minScore}` : ''].filter(Boolean).join(', ') || 'no threshold';
  const L: string[] = [];
  // `passed` with datasets listed: they are below the badge only for want of a decision (unsure) and the caller
  // counts that as no failure (`ci` without --fail-on unsure).
  if (o.passed && o.failingDatasets.length) L.push(`## ✅ odbadge: ${o.datasets} datasets checked; ${o.failingCount ?? o.failingDatasets.length} could not be decided (unsure) for ${want}`);
  else if (o.passed) L.push(`## ✅ odbadge: ${o.datasets} datasets checked, all meet ${want}`);
  else {
    const failing = o.failingCount ?? o.failingDatasets.length;
    const parts = [failing ? `${failing} of ${o.datasets} datasets below ${t.minBadge}` : '', o.failingAgencies.length ? `${o.failingAgencies.length} agencies below ${t.minScore}` : '', results.catalog.complete ? '' : 'catalogue incomplete'].filter(Boolean);
    L.push(`## ❌ odbadge: ${parts.join('; ')}`);
  }
  L.push('', `Ruleset \`${results.ruleset.id}\` · catalogue ${mdEscape(results.catalog.source)} · ${results.startedAt}`);
  if (!results.catalog.complete) L.push('', `**The catalogue broke off:** ${mdEscape(results.catalog.error ?? 'stopped')}`);
  const below = o.failingByAgency ?? new Map<string, number>();
  if (!o.failingByAgency) for (const f of o.failingDatasets) below.set(f.dataset.agency, (below.get(f.dataset.agency) ?? 0) + 1);
  const lowScore = new Set(o.failingAgencies.map((a) => a.agency));
  L.push('', '| | 機關 Agency | 資料集 | below min badge | 分數 Score |', '|---|---|---:|---:|---:|');
  for (const a of results.agencies) L.push(`| ${below.has(a.agency) || lowScore.has(a.agency) ? '❌' : '✅'} | ${mdEscape(a.agency)} | ${a.datasets} | ${below.get(a.agency) ?? 0} | ${a.score.toFixed(2)} |`);
  const failingCount = o.failingCount ?? o.failingDatasets.length;
  if (failingCount) {
    const max = opts.maxListed ?? 100;
    L.push('', `<details><summary>Datasets below ${t.minBadge} (${failingCount})</summary>`, '');
    for (const f of o.failingDatasets.slice(0, max)) {
      const b = f.blocking[0];
      L.push(`- **${mdEscape(f.dataset.title)}** (${mdEscape(f.dataset.id)}, ${mdEscape(f.dataset.agency)}): ${f.dataset.badge}${f.kind === 'error' ? ' (transient, re-run)' : ''} — ${b ? `\`${b.indicator}\` ${b.result.verdict}: ${mdEscape(clip(evidenceIn(b.result, lang), 200))}` : 'no blocking indicator recorded'}`);
    }
    if (failingCount > max) L.push(`- …and ${failingCount - max} more (see the JUnit report).`);
    L.push('', '</details>');
  }
  return L.join('\n') + '\n';
}
