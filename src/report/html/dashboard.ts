// The HTML dashboard, <out>/index.html (inline CSS and script; no network). Server-rendered: leaderboard by group,
// charts, trend, fix-first, agreement. Script-rendered: the filterable dataset table and the per-dataset evidence
// panel (so 50,000 datasets do not mean 50,000 rows of DOM). Up to EMBED_MAX datasets the data is embedded and the
// page is one self-contained file; a portal's page would be too large to open quickly (≈ 60 MB at 53,000 datasets),
// so beyond that the rows go to index-data/<run>/rows.js and each chunk's evidence panels to d<k>.js beside it,
// loaded with <script src> (a page opened from file:// may not fetch()) and allowed by the CSP as 'self'.
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { readdir, rm } from 'node:fs/promises';
import type { AuditHeader, AuditResult } from '../../model.ts';
import { RULES } from '../../rules/index.ts';
import { goldAward } from '../../score/awards.ts';
import { awardConfig, type UsageRecord } from '../../score/awards.ts';
import { DEFAULT_GROUP_CONFIG, type GroupConfig } from '../../score/groups.ts';
import { loadRuleset, type Ruleset } from '../../score/ruleset.ts';
import { agreement, type Agreement } from '../agreement.ts';
import { fixFirst, type AgencyFixes } from '../fix-first.ts';
import { evidenceBoth } from '../reader-lang.ts';
import { CLIENT_JS } from './client.ts';
import { dashData, dashDataset, dashMeta, indicatorOrder, splitDashDataset, type DashData } from './data.ts';
import { bi, esc, scriptJson } from './escape.ts';
import { emptyHistory, historyFrom, type RunHistory } from './history.ts';
import { CSS } from './style.ts';
import { badgeChart, colourOf, trendChart } from './svg.ts';
import { openAtomic, writeFileAtomic, type AtomicFile } from '../../util/atomic-write.ts';

// Only our own script may run, even if escaping were ever to fail somewhere: CSP allows exactly its hash.
const SCRIPT_HASH = `sha256-${createHash('sha256').update(CLIENT_JS).digest('base64')}`;

export interface DashboardOptions {
  ruleset?: Ruleset;
  groups?: GroupConfig;
  usage?: UsageRecord[];
  /** Fixes shown per agency. */
  fixesPerAgency?: number;
  disagreementsShown?: number;
  /** How the earlier runs of the trend were chosen (RunHistory.basis). */
  trendBasis?: { zh: string; en: string };
  /**
   * Agreement with a ground truth known outside the catalogue (the demo portal records what each dataset really
   * serves), shown beside the agreement with the platform's published badge.
   */
  reference?: ReferenceAgreement;
}

export interface ReferenceAgreement {
  agree: number;
  total: number;
  /** What was compared, e.g. the demo portal's recorded truth. */
  label: { zh: string; en: string };
}

const VERDICT = { pass: ['通過', 'pass'], fail: ['未通過', 'fail'], 'not-evaluated': ['未檢測', 'not evaluated'], unsure: ['不確定', 'unsure'] } as const;
const indicatorBi = (id: string) => {
  const t = RULES.get(id)?.title;
  return t ? bi(t.zh, t.en) : esc(id);
};
const verdictBi = (v: string) => (v in VERDICT ? bi(...(VERDICT[v as keyof typeof VERDICT] as unknown as [string, string])) : esc(v));

/** Each run's label on the trend axis: its day, or as much of its start time as tells it apart from the others. */
export function runLabels(starts: string[]): string[] {
  const at = (iso: string, n: number) => iso.slice(0, n).replace('T', ' ');
  return starts.map((s, i) => {
    for (const n of [10, 16, 19]) if (starts.filter((x) => at(x, n) === at(s, n)).length === 1) return at(s, n);
    return `${at(s, 19)} #${starts.slice(0, i + 1).filter((x) => at(x, 19) === at(s, 19)).length}`;
  });
}

/** What the page shows above the dataset table: the envelope and aggregates of the whole run. */
export interface DashboardModel {
  results: AuditHeader;
  /** Datasets in the run. */
  total: number;
  /** Datasets per badge. */
  counts: Record<string, number>;
  agree: Agreement;
  /** Per agency, ranked; each `fixes` holds at least the first fixesPerAgency with their steps (count: all). */
  fixes: AgencyFixes[];
  previous: AuditResult[];
}

/** The whole page with its data embedded: one self-contained file (what writeDashboard writes up to EMBED_MAX). */
export function dashboardHtml(results: AuditResult, previous: AuditResult[], opts: DashboardOptions = {}): string {
  const rs = opts.ruleset ?? loadRuleset();
  const counts: Record<string, number> = {};
  for (const d of results.datasets) counts[d.badge] = (counts[d.badge] ?? 0) + 1;
  const model: DashboardModel = {
    results, total: results.datasets.length, counts, agree: agreement(results, rs), fixes: fixFirst(results, rs, { usage: opts.usage }), previous,
  };
  return `${pageHead(model, { ...opts, ruleset: rs }, false)}<script type="application/json" id="odbadge-data">${scriptJson(dashData(results, rs))}</script>\n${pageFoot()}`;
}

/** The page up to the data: every section, the dialog and the footer. `split`: the CSP admits the data files. */
function pageHead(m: DashboardModel, opts: DashboardOptions, split: boolean): string {
  const results = m.results;
  const rs = opts.ruleset ?? loadRuleset();
  const groups = opts.groups ?? DEFAULT_GROUP_CONFIG;
  const tiersDown = [...rs.tiers].reverse();
  const tierBi = (id: string) => {
    const t = rs.tiers.find((x) => x.id === id);
    return t ? bi(t.name.zh, t.name.en) : id === 'none' ? bi('無標章', 'no badge') : esc(id);
  };
  const chip = (id: string) => `<span class="chip b-${/^[a-z-]+$/.test(id) ? id : 'other'}">${tierBi(id)}</span>`;
  const total = m.total;
  const counts = m.counts;
  const agree = m.agree;
  const fixes = m.fixes;
  const previous = m.previous;
  const standings = goldAward(results.agencies, awardConfig({ groups }));
  const byAgency = new Map(results.agencies.map((a) => [a.agency, a]));
  const P: string[] = [];

  // ---- summary cards
  const top = rs.tiers[rs.tiers.length - 1];
  P.push(`<section aria-labelledby="h-summary"><h2 id="h-summary">${bi('總覽', 'Overview')}</h2><div class="cards">`
    + `<div class="card"><span class="n">${total}</span><span class="l">${bi('資料集', 'datasets')}</span></div>`
    + `<div class="card"><span class="n">${results.agencies.length}</span><span class="l">${bi('機關', 'agencies')}</span></div>`
    + `<div class="card"><span class="n">${total ? ((100 * (counts[top.id] ?? 0)) / total).toFixed(1) : '0.0'} %</span><span class="l">${bi(`取得${top.name.zh}`, `hold ${top.name.en.toLowerCase()}`)}</span></div>`
    + (opts.reference ? `<div class="card"><span class="n">${opts.reference.agree} / ${opts.reference.total}</span><span class="l">${bi(opts.reference.label.zh, opts.reference.label.en)}</span></div>` : '')
    + `<div class="card"><span class="n">${agree.rate === null ? '—' : (100 * agree.rate).toFixed(1) + ' %'}</span><span class="l">${bi('與平臺公布的標章（品質檢測）一致', 'agree with the badge the platform published (品質檢測)')}</span>${agree.compared ? `<span class="sub">${bi(`${agree.compared} 筆中 ${agree.agree} 筆`, `${agree.agree} of ${agree.compared}`)}</span>` : ''}</div>`
    + `<div class="card"><span class="n">${results.stats.resources}</span><span class="l">${bi('資料資源', 'resources')}</span></div>`
    + `</div>`
    + (agree.compared ? `<p class="muted" id="agreement-why">${bi(
      `${opts.reference ? `「${opts.reference.label.zh}」比對本工具與實際提供的內容；` : ''}「與平臺公布的標章一致」比對本工具與平臺檢測器公布的結果。後者是平臺某次檢測的快照：資料在檢測後更新或損壞、檢測器的判斷方式不同，都會使兩者不一致，所以它不是正確率。不一致的資料集列於下方「與平臺品質檢測比對」。`,
      `${opts.reference ? `"${opts.reference.label.en}" compares odbadge with what is really served; ` : ''}"agree with the badge the platform published" compares odbadge with the platform checker's published result, a snapshot of one past check: data updated or broken since, or a checker that judges differently, make the two differ, so it is not an accuracy figure. The disagreements are listed under "Agreement with the official badge" below.`)}</p>` : '')
    + `${results.catalog.complete ? '' : `<p class="nojs-note" style="display:block">${bi('目錄讀取中斷，結果不完整：', 'The catalogue broke off; results are partial: ')}${esc(results.catalog.error ?? '')}</p>`}`
    + (results.warnings ?? []).map((w) => `<p class="nojs-note run-warning" role="note" style="display:block">${bi(`警告：${w.messageZh ?? w.message}`, `Warning: ${w.message}`)}</p>`).join('')
    + `</section>`);

  // ---- leaderboard by group
  const lb: string[] = [`<section aria-labelledby="h-board"><h2 id="h-board">${bi('機關排行（金質獎分組）', 'Agency leaderboard (award groups)')}</h2>`,
    `<p class="muted">${bi(`分數 = (0.3×銅 + 0.6×銀 + 1.0×金) ÷ 資料集數 × 100 + OpenAPI 加分（上限 5）。第一組：資料集 ≥ ${groups.threshold}。`, `Score = (0.3×bronze + 0.6×silver + 1.0×gold) ÷ datasets × 100 + OpenAPI bonus (at most 5). Group 1: ≥ ${groups.threshold} datasets.`)}</p>`];
  for (const g of standings) {
    if (!g.standings.length) continue;
    lb.push(`<table class="board"><caption>${bi(g.label.zh, g.label.en)}</caption><colgroup><col style="width:8%"><col style="width:34%"><col style="width:10%"><col style="width:18%"><col style="width:30%"></colgroup><thead><tr><th scope="col" class="num">${bi('名次', 'Rank')}</th><th scope="col">${bi('機關', 'Agency')}</th><th scope="col" class="num">${bi('資料集', 'Datasets')}</th><th scope="col">${bi('標章分布', 'Badges')}</th><th scope="col">${bi('分數', 'Score')}</th></tr></thead><tbody>`);
    for (const s of g.standings) {
      const a = byAgency.get(s.agency);
      const stack = [...tiersDown.map((t) => t.id), 'none'].map((b) => {
        const n = s.badges[b] ?? 0;
        return n ? `<span style="width:${((100 * n) / Math.max(1, s.datasets)).toFixed(2)}%;background:${colourOf(b)}"></span>` : '';
      }).join('');
      const badgeText = [...tiersDown.map((t) => `${t.name.zh} ${s.badges[t.id] ?? 0}`), `無 ${s.badges.none ?? 0}`].join('、');
      const badgeTextEn = [...tiersDown.map((t) => `${t.name.en} ${s.badges[t.id] ?? 0}`), `none ${s.badges.none ?? 0}`].join(', ');
      lb.push(`<tr><td class="num">${s.rank}${s.prize ? ` <span class="prize" aria-hidden="true">★</span><span class="visually-hidden">${bi('得獎', 'prize')}</span>` : ''}</td><th scope="row">${esc(s.agency)}</th><td class="num">${s.datasets}</td>`
        + `<td><div class="stack" aria-hidden="true">${stack}</div><span class="visually-hidden" data-en="${esc(badgeTextEn)}">${esc(badgeText)}</span></td>`
        + `<td><div class="scorebar"><div class="track" aria-hidden="true"><div class="fill" style="width:${Math.min(100, Math.max(0, a?.score ?? s.score)).toFixed(1)}%"></div></div><span class="v">${s.score.toFixed(2)}</span></div></td></tr>`);
    }
    lb.push('</tbody></table>');
  }
  lb.push('</section>');
  P.push(lb.join(''));

  // ---- charts: badge distribution and trend
  const bars = [...tiersDown.map((t) => ({ id: t.id, zh: t.name.zh, en: t.name.en, count: counts[t.id] ?? 0 })), { id: 'none', zh: '無標章', en: 'No badge', count: counts.none ?? 0 }];
  const runs: AuditHeader[] = [...previous, results];
  const labels = runLabels(runs.map((r) => r.startedAt));
  const mean = (r: AuditHeader) => (r.agencies.length ? r.agencies.reduce((s, a) => s + a.score, 0) / r.agencies.length : null);
  const series = [{ name: '平均 Mean', points: runs.map(mean) }, ...results.agencies.slice(0, 7).map((a) => ({ name: a.agency, points: runs.map((r) => r.agencies.find((x) => x.agency === a.agency)?.score ?? null) }))];
  // Which runs the trend plots, and why those: a reader must be able to tell the points apart from other portals'.
  const runName = (r: AuditHeader, k: number) => `${r.run ? `#${r.run.id} ` : ''}${labels[k]}`;
  const used = runs.map((r, k) => (r === results ? null : runName(r, k))).filter((x): x is string => x !== null);
  const current = runName(results, runs.length - 1);
  const trendBasis = `<p class="muted" id="trend-basis">${bi(`趨勢所用的稽核：${[...used, `本次 ${current}`].join('、')}。${opts.trendBasis?.zh ?? ''}`, `Runs in this trend: ${[...used, `this run ${current}`].join(', ')}. ${opts.trendBasis?.en ?? ''}`)}</p>`;
  const table = `<table id="trend-table"><thead><tr><th scope="col">${bi('機關', 'Agency')}</th>${labels.map((l) => `<th scope="col" class="num">${esc(l)}</th>`).join('')}</tr></thead><tbody>${series.map((s) => `<tr><th scope="row">${esc(s.name)}</th>${s.points.map((p) => `<td class="num">${p === null ? '—' : p.toFixed(2)}</td>`).join('')}</tr>`).join('')}</tbody></table>`;
  // One run is no trend: its scores as a table, not a column of dots.
  const trend = runs.length < 2
    ? `<p class="muted">${bi('僅有本次稽核；累積多次後即顯示趨勢。本次分數：', 'Only this run so far; the trend appears after more runs. This run\'s scores:')}</p>${table}${trendBasis}`
    : `${trendChart(labels, series)}${trendBasis}<details><summary>${bi('趨勢數據表', 'Trend as a table')}</summary>${table}</details>`;
  P.push(`<div class="grid2"><section aria-labelledby="h-badges"><h2 id="h-badges">${bi('標章分布', 'Badge distribution')}</h2>${badgeChart(bars, total)}</section>`
    + `<section aria-labelledby="h-trend"><h2 id="h-trend">${bi('分數趨勢', 'Score trend')}</h2>${trend}</section></div>`);

  // ---- what to fix first
  const per = opts.fixesPerAgency ?? 10;
  const ff: string[] = [`<section aria-labelledby="h-fix"><h2 id="h-fix">${bi('優先改善項目', 'What to fix first')}</h2><p class="muted">${bi('依「修好一個資料集可為機關增加的分數」排序，有使用量時依瀏覽及下載量加權。', 'Ranked by the score points the agency gains per dataset fixed, weighted by views and downloads where known.')}</p>`];
  let firstOpen = true;
  for (const a of fixes) {
    const count = a.count ?? a.fixes.length;
    if (!count) continue;
    ff.push(`<details${firstOpen ? ' open' : ''}><summary>${esc(a.agency)} — ${a.score.toFixed(2)} → ${a.potential.toFixed(2)} <span class="muted">(${count} ${bi('項', 'fixes')})</span></summary>`
      + `<table><thead><tr><th scope="col" class="num">#</th><th scope="col">${bi('資料集', 'Dataset')}</th><th scope="col">${bi('標章', 'Badge')}</th><th scope="col" class="num">${bi('加分', 'Points')}</th><th scope="col">${bi('要改善的指標', 'Fix')}</th></tr></thead><tbody>`);
    firstOpen = false;
    a.fixes.slice(0, per).forEach((f, k) => {
      ff.push(`<tr><td class="num">${k + 1}</td><th scope="row"><button type="button" class="link" data-open="${esc(f.datasetId)}">${esc(f.title)}</button></th><td style="white-space:nowrap">${chip(f.from)} → ${chip(f.to)}${f.mayGoFurther ? '+' : ''}</td><td class="num">+${f.points.toFixed(2)}</td>`
        + `<td>${f.fixes.map((s) => `${indicatorBi(s.indicator)}（${verdictBi(s.verdict)}）`).join('、')}${f.fixes[0]?.hint ? `<div class="hint">${bi(f.fixes[0].hint.zh, f.fixes[0].hint.en)}</div>` : ''}</td></tr>`);
    });
    ff.push(`</tbody></table>${count > per ? `<p class="muted">${bi(`另有 ${count - per} 項，見 fix-first.csv。`, `${count - per} more in fix-first.csv.`)}</p>` : ''}</details>`);
  }
  if (ff.length === 1) ff.push(`<p>${bi('沒有需要改善的資料集。', 'Nothing to fix.')}</p>`);
  ff.push('</section>');
  P.push(ff.join(''));

  // ---- agreement with the official badge
  const ag: string[] = [`<section aria-labelledby="h-agree"><h2 id="h-agree">${bi('與平臺品質檢測比對', 'Agreement with the official badge')}</h2>`];
  if (!agree.compared) ag.push(`<p>${bi('目錄未提供平臺標章。', 'The catalogue carries no official badge.')}</p>`);
  else {
    ag.push(`<p>${bi(`${agree.compared} 筆中有 ${agree.agree} 筆一致（${(100 * agree.rate!).toFixed(1)} %）。`, `Agree on ${agree.agree} of ${agree.compared} (${(100 * agree.rate!).toFixed(1)} %).`)}</p>`);
    ag.push(`<table style="max-width:560px"><caption>${bi('列：平臺標章；欄：本工具標章', 'Rows: official badge; columns: ours')}</caption><thead><tr><td></td>${agree.labels.map((l) => `<th scope="col" class="num">${tierBi(l)}</th>`).join('')}</tr></thead><tbody>`
      + agree.labels.map((o) => `<tr><th scope="row">${tierBi(o)}</th>${agree.labels.map((x) => `<td class="num"${o === x ? ' style="font-weight:700"' : ''}>${agree.matrix[o]?.[x] ?? 0}</td>`).join('')}</tr>`).join('') + '</tbody></table>');
    const shown = opts.disagreementsShown ?? 200;
    const disagreeing = agree.compared - agree.agree;
    if (disagreeing) {
      ag.push(`<details><summary>${bi(`不一致的資料集（${disagreeing}）`, `Disagreements (${disagreeing})`)}</summary><table><thead><tr><th scope="col">${bi('資料集', 'Dataset')}</th><th scope="col">${bi('機關', 'Agency')}</th><th scope="col">${bi('平臺', 'Official')}</th><th scope="col">${bi('本工具', 'Ours')}</th><th scope="col">${bi('我們的證據', 'Our evidence')}</th></tr></thead><tbody>`);
      for (const d of agree.disagreements.slice(0, shown)) {
        ag.push(`<tr><th scope="row"><button type="button" class="link" data-open="${esc(d.id)}">${esc(d.title)}</button></th><td>${esc(d.agency)}</td><td>${chip(d.official)}</td><td>${chip(d.ours)}</td><td>${d.evidence.slice(0, 3).map((e) => {
          const m = evidenceBoth(e);
          return `<div><strong>${indicatorBi(e.indicator)}</strong> ${verdictBi(e.verdict)}: ${bi(m.zh.slice(0, 240), m.en.slice(0, 240))}</div>`;
        }).join('')}</td></tr>`);
      }
      ag.push(`</tbody></table>${disagreeing > shown ? `<p class="muted">… +${disagreeing - shown}</p>` : ''}</details>`);
    }
  }
  ag.push('</section>');
  P.push(ag.join(''));

  // ---- datasets (rendered by the script)
  P.push(`<section aria-labelledby="h-ds"><h2 id="h-ds">${bi('資料集', 'Datasets')}</h2>
<p class="nojs-note">${bi('資料集表格需要 JavaScript。', 'The dataset table needs JavaScript.')}</p>
<form class="filters" id="filters" role="search">
<label for="f-search">${bi('搜尋名稱、識別碼或機關', 'Search title, id or agency')}<input id="f-search" type="search" autocomplete="off"></label>
<label for="f-agency">${bi('機關', 'Agency')}<select id="f-agency"></select></label>
<label for="f-badge">${bi('標章', 'Badge')}<select id="f-badge"></select></label>
<label for="f-indicator">${bi('未通過指標', 'Failing indicator')}<select id="f-indicator"></select></label>
<label for="f-format">${bi('格式', 'Format')}<select id="f-format"></select></label>
<button type="button" id="f-reset">${bi('清除條件', 'Clear filters')}</button>
</form>
<p id="ds-status" role="status" aria-live="polite"></p>
<table id="ds-table"><caption class="visually-hidden">${bi('資料集清單', 'Datasets')}</caption><thead><tr><th scope="col">${bi('資料集名稱', 'Title')}</th><th scope="col">${bi('機關', 'Agency')}</th><th scope="col">${bi('標章', 'Badge')}</th><th scope="col">${bi('平臺標章', 'Official')}</th><th scope="col">${bi('未通過指標', 'Failing')}</th><th scope="col">${bi('格式', 'Format')}</th></tr></thead><tbody id="ds-body"></tbody></table>
<p id="ds-empty" hidden>${bi('沒有符合條件的資料集。', 'No dataset matches.')}</p>
<nav class="pager" aria-label="pages" data-en-label="pages"><button type="button" id="pg-prev">${bi('上一頁', 'Previous')}</button><span id="pg-info"></span><button type="button" id="pg-next">${bi('下一頁', 'Next')}</button></nav>
</section>`);

  const dialog = `<dialog id="ds-dialog" aria-labelledby="dlg-title"><div class="dlg-head"><h2 id="dlg-title"></h2><button type="button" id="dlg-close">${bi('關閉', 'Close')}</button></div><div id="dlg-body"></div></dialog>`;
  const title = `odbadge — ${rs.title.zh}`;
  return `<!doctype html>
<html lang="zh-Hant-TW">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src '${SCRIPT_HASH}'${split ? " 'self'" : ''}; img-src data:">
<title>${esc(title)}</title>
<style>${CSS}</style>
</head>
<body>
<a class="skip" href="#h-ds">${bi('跳到資料集表格', 'Skip to the dataset table')}</a>
<header><div><h1>${bi('開放資料品質儀表板', 'Open data quality dashboard')}</h1><p>${esc(rs.title.zh)} · ${esc(results.catalog.source)} · ${esc(results.startedAt.slice(0, 16).replace('T', ' '))} UTC</p></div>
<button type="button" id="lang-switch" lang="en" aria-label="Switch to English">English</button></header>
<main id="main">
${P.join('\n')}
</main>
${dialog}
<footer class="muted" style="text-align:center;padding:12px">odbadge ${esc(results.odbadge)} · ${bi('規則集', 'ruleset')} ${esc(results.ruleset.id)}</footer>
`;
}

/** After the data block: our script (and, for a split page, the data files' scripts before it is closed). */
function pageFoot(extra = ''): string {
  return `<script>${CLIENT_JS}</script>\n${extra}</body>\n</html>\n`;
}

/** Writes <outDir>/index.html and returns its path. `history`: earlier runs (a RunHistory or the runs themselves). */
export async function writeDashboard(results: AuditResult, history: RunHistory | AuditResult[] = emptyHistory, outDir: string, opts: DashboardOptions = {}): Promise<string> {
  const h = Array.isArray(history) ? historyFrom(history) : history;
  const previous = (await h.runs()).filter((r) => r.startedAt < results.startedAt);
  const file = join(outDir, 'index.html');
  await writeFileAtomic(file, dashboardHtml(results, previous, { ...(h.basis ? { trendBasis: h.basis } : {}), ...opts }));
  return file;
}

/** Up to this many datasets the page embeds its data (one self-contained file); beyond, the data goes beside it. */
export const EMBED_MAX = 5_000;
/** Datasets per evidence file of a split page: one panel opened loads one file of ~1 MB. */
export const DETAIL_CHUNK = 500;
/** The data directory of a split page: index-data/<run>/ (a fresh name per writing, the older ones removed after). */
const DATA_DIR = 'index-data';

/**
 * The dashboard written as its datasets stream by (see writeAuditOutputs): `add` each dataset in order, then
 * `finish` with the aggregates once they are all known. A small run's data is kept for the one embedded page; a
 * portal's rows and panels are written to the data files as they come, so neither is ever held whole.
 */
export class DashboardWriter {
  readonly #out: string;
  readonly #rs: Ruleset;
  readonly #ids: string[];
  readonly #split: boolean;
  readonly #token: string;
  readonly #embedded: string[] = [];
  #rows: AtomicFile | undefined;
  #detail: AtomicFile | undefined;
  #details: string[] = [];
  #chunk = -1;
  #n = 0;
  #rowBatch: string[] = [];
  readonly #files: AtomicFile[] = [];

  constructor(out: string, rs: Ruleset, total: number, o: { embedMax?: number; token?: string } = {}) {
    this.#out = out;
    this.#rs = rs;
    this.#ids = indicatorOrder(rs);
    this.#split = total > (o.embedMax ?? EMBED_MAX);
    this.#token = o.token ?? `${Date.now().toString(36)}-${process.pid.toString(36)}`;
  }

  get #base(): string {
    return `${DATA_DIR}/${this.#token}/`;
  }

  async add(d: AuditResult['datasets'][number]): Promise<void> {
    const x = dashDataset(d, this.#ids);
    if (!this.#split) {
      this.#embedded.push(scriptJson(x));
      return;
    }
    const { row, detail } = splitDashDataset(x);
    const k = Math.floor(this.#n++ / DETAIL_CHUNK);
    if (k !== this.#chunk) await this.#nextChunk(k);
    this.#details.push(scriptJson(detail));
    this.#rowBatch.push(scriptJson(row));
    if (this.#rowBatch.length >= DETAIL_CHUNK) await this.#flushRows();
  }

  async #open(name: string): Promise<AtomicFile> {
    const f = await openAtomic(join(this.#out, this.#base, name));
    this.#files.push(f);
    return f;
  }

  async #flushRows(): Promise<void> {
    if (!this.#rowBatch.length) return;
    this.#rows ??= await this.#open('rows.js');
    await this.#rows.write(`odbadgeRows([${this.#rowBatch.join(',')}]);\n`);
    this.#rowBatch = [];
  }

  async #nextChunk(k: number): Promise<void> {
    await this.#endChunk();
    this.#chunk = k;
    this.#detail = await this.#open(`d${k}.js`);
  }

  async #endChunk(): Promise<void> {
    if (!this.#detail) return;
    await this.#detail.write(`odbadgeDetail(${this.#chunk},[${this.#details.join(',')}]);\n`);
    await this.#detail.commit();
    this.#detail = undefined;
    this.#details = [];
  }

  /** Writes index.html (and closes the data files); returns its path. */
  async finish(m: DashboardModel, opts: DashboardOptions): Promise<string> {
    const file = join(this.#out, 'index.html');
    const meta: DashData = { ...dashMeta(this.#rs), datasets: [] };
    try {
      if (!this.#split) {
        // The same text as scriptJson(dashData(…)): the envelope up to its empty dataset list, then the datasets.
        const data = `${scriptJson(meta).slice(0, -'[]}'.length)}[${this.#embedded.join(',')}]}`;
        await writeFileAtomic(file, `${pageHead(m, { ...opts, ruleset: this.#rs }, false)}<script type="application/json" id="odbadge-data">${data}</script>\n${pageFoot()}`);
        return file;
      }
      await this.#endChunk();
      await this.#flushRows();
      this.#rows ??= await this.#open('rows.js');
      await this.#rows.write('odbadgeRowsDone();\n');
      await this.#rows.commit();
      const split: DashData = { ...meta, split: { base: this.#base, chunk: DETAIL_CHUNK, total: this.#n } };
      await writeFileAtomic(file, `${pageHead(m, { ...opts, ruleset: this.#rs }, true)}<script type="application/json" id="odbadge-data">${scriptJson(split)}</script>\n${pageFoot(`<script src="${esc(this.#base)}rows.js"></script>\n`)}`);
    } catch (e) {
      await this.abort();
      throw e;
    }
    // The page now names this run's data: older data directories can go (a reader of an old page loses its panels).
    const dir = join(this.#out, DATA_DIR);
    for (const name of await readdir(dir).catch(() => [] as string[])) {
      if (name !== this.#token) await rm(join(dir, name), { recursive: true, force: true }).catch(() => undefined);
    }
    return file;
  }

  /** Throws away the data files not yet committed. */
  async abort(): Promise<void> {
    for (const f of this.#files) await f.abort();
  }
}

/** A stream's previous runs for the trend, only those that started before it. */
export async function previousRuns(h: RunHistory, current: AuditHeader): Promise<AuditResult[]> {
  return (await h.runs()).filter((r) => r.startedAt < current.startedAt);
}
