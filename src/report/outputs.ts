// Every output of an audit, written from its results as a stream: one pass over the datasets in catalogue order
// feeds every per-dataset file (results.json, results.jsonl, summary.csv, datasets.csv, the dashboard's data) and
// every aggregate (badge counts, agreement, fix-first, CI verdicts); then the files that need the whole run
// (summary.md, index.html, agencies.csv, fix-first.csv, report.md, JUnit, the CI summary) are written from the
// aggregates, reading back only the datasets they show. Memory holds aggregates and a few fields per fixable
// dataset, never the datasets: a whole portal's outputs are written in bounded memory.
//
// Each file is written to a temporary name and renamed into place only once complete, so a failure (a dataset
// that does not match the schema, a full disk) leaves the previous files whole; the results themselves stay in the
// history store, and `odbadge report --run <id>` writes every output again.
import { join } from 'node:path';
import type { AuditResults } from '../model.ts';
import type { UsageRecord } from '../score/awards.ts';
import { DEFAULT_GROUP_CONFIG, type GroupConfig } from '../score/groups.ts';
import { indicatorIds, type Ruleset } from '../score/ruleset.ts';
import { openAtomic, writeFileAtomic, type AtomicFile } from '../util/atomic-write.ts';
import { csvRow, csvStart } from '../util/csv.ts';
import type { Lang } from '../messages/index.ts';
import { readerLang } from './reader-lang.ts';
import { AgreementCollector } from './agreement.ts';
import { agenciesCsv, datasetsCsvCells, datasetsCsvHeader, FIX_FIRST_CSV_HEADER, fixFirstCsvCells } from './csv-report.ts';
import { FixFirstCollector, withSteps, type AgencyFixes, type FixItem } from './fix-first.ts';
import { DashboardWriter, previousRuns, type ReferenceAgreement } from './html/dashboard.ts';
import { emptyHistory, type RunHistory } from './html/history.ts';
import { CiCollector, junitEnd, junitStart, junitSuite, ciDatasetFailure, type CiOutcome, type CiThresholds } from './junit.ts';
import { ciMarkdown, markdownReport } from './markdown-report.ts';
import { resultsJsonLine, resultsJsonPieces, validateDataset, validateHeader } from './results-json.ts';
import { summaryCsvCells, summaryCsvHeader } from './summary-csv.ts';
import { BadgeCounts, summaryMarkdownOf } from './summary-md.ts';

export interface OutputOptions {
  ruleset: Ruleset;
  /** Directory for results.json and the reports; without it only the CI files are written. */
  out?: string;
  /** results.json, summary.csv and summary.md (an audit; `report --run`). */
  results?: boolean;
  /** results.jsonl too: one dataset per line. */
  jsonl?: boolean;
  /** The reports: index.html, agencies.csv, datasets.csv, fix-first.csv, report.md. */
  reports?: boolean;
  history?: RunHistory;
  usage?: UsageRecord[];
  groups?: GroupConfig;
  reference?: ReferenceAgreement;
  /** `ci`: its thresholds, and where its JUnit XML and Markdown summary go. */
  ci?: { thresholds: CiThresholds; junit?: string; markdown?: string };
  /** Dashboard: embed the data up to this many datasets (default EMBED_MAX). */
  embedMax?: number;
  /** Dashboard: fixes shown per agency (default 10). */
  fixesPerAgency?: number;
  /** The language of the evidence in the CSV and Markdown reports (default: the reader's, ODBADGE_LANG). */
  lang?: Lang;
}

export interface Outputs {
  /** Files written, in order. */
  files: string[];
  /** summary.md's text (printed on stdout after an audit), when results were written. */
  summaryMd?: string;
  ci?: { outcome: CiOutcome; markdown: string };
  /** Datasets per badge and the like, counted while writing (the CLI's JSON summary). */
  counts: BadgeCounts;
}

/** Disagreements and failing datasets kept for the reports that list them (the dashboard lists the most). */
const LISTED = 200;
/** Fixes per agency report.md shows. */
const FIXES_IN_MARKDOWN = 5;

/** A CSV file written row by row. */
async function csvFile(path: string, header: unknown[]): Promise<AtomicFile> {
  const f = await openAtomic(path);
  await f.write(csvStart() + csvRow(header));
  return f;
}

export async function writeAuditOutputs(results: AuditResults, o: OutputOptions): Promise<Outputs> {
  const rs = o.ruleset;
  const ids = indicatorIds(rs);
  const lang = o.lang ?? readerLang();
  const header = results.header;
  const out = o.out;
  const files: string[] = [];
  const open: AtomicFile[] = [];
  const track = <T extends AtomicFile | undefined>(f: T): T => {
    if (f) open.push(f);
    return f;
  };
  const wantResults = !!out && !!o.results;
  const wantReports = !!out && !!o.reports;
  if (wantResults) {
    const problems = validateHeader(header);
    if (problems.length) throw new Error(`results do not match schemas/results.schema.json (a bug): ${problems.join('; ')}`);
  }
  let dashboard: DashboardWriter | undefined;
  try {
    const pieces = wantResults ? resultsJsonPieces(header) : undefined;
    const json = wantResults ? track(await openAtomic(join(out, 'results.json'))) : undefined;
    const jsonl = wantResults && o.jsonl ? track(await openAtomic(join(out, 'results.jsonl'))) : undefined;
    const summaryCsv = wantResults ? track(await csvFile(join(out, 'summary.csv'), summaryCsvHeader(ids))) : undefined;
    const datasetsCsv = wantReports ? track(await csvFile(join(out, 'datasets.csv'), datasetsCsvHeader(ids))) : undefined;
    dashboard = wantReports ? new DashboardWriter(out, rs, results.count, { embedMax: o.embedMax }) : undefined;
    if (json && pieces) await json.write(pieces.head);
    const counts = new BadgeCounts();
    const agree = new AgreementCollector(rs, { keep: LISTED });
    const fixes = new FixFirstCollector(rs, { usage: o.usage });
    const ci = o.ci ? new CiCollector(rs, o.ci.thresholds, { keep: LISTED }) : undefined;
    /** Positions of each agency's datasets, agencies in order of first appearance (a JUnit suite per agency). */
    const suites = o.ci?.junit ? new Map<string, number[]>() : undefined;

    let n = 0;
    for await (const d of results.datasets()) {
      if (wantResults) {
        const problems = validateDataset(d, n);
        if (problems.length) throw new Error(`results do not match schemas/results.schema.json (a bug): ${problems.join('; ')}`);
      }
      await json?.write(pieces!.dataset(d, n));
      await jsonl?.write(resultsJsonLine(d));
      await summaryCsv?.write(csvRow(summaryCsvCells(d, ids, lang)));
      await datasetsCsv?.write(csvRow(datasetsCsvCells(d, ids, lang)));
      await dashboard?.add(d);
      counts.add(d);
      if (wantReports) {
        agree.add(d);
        fixes.add(d, n);
      }
      ci?.add(d);
      if (suites) {
        const list = suites.get(d.agency);
        if (list) list.push(n);
        else suites.set(d.agency, [n]);
      }
      n++;
    }

    const written: Outputs = { files, counts };
    if (wantResults) {
      await json!.write(pieces!.tail(n));
      await json!.commit();
      files.push(json!.path);
      if (jsonl) {
        await jsonl.commit();
        files.push(jsonl.path);
      }
      await summaryCsv!.commit();
      files.push(summaryCsv!.path);
      written.summaryMd = summaryMarkdownOf(header, counts, rs);
      await writeFileAtomic(join(out, 'summary.md'), written.summaryMd);
      files.push(join(out, 'summary.md'));
    }

    if (wantReports) {
      const groups = o.groups ?? DEFAULT_GROUP_CONFIG;
      // Fix-first: every fix to fix-first.csv with its steps (read back one dataset at a time); the first few of
      // each agency kept for the dashboard and report.md.
      const shown = Math.max(o.fixesPerAgency ?? 10, FIXES_IN_MARKDOWN);
      const fixCsv = track(await csvFile(join(out, 'fix-first.csv'), FIX_FIRST_CSV_HEADER));
      const agencyFixes: AgencyFixes[] = [];
      for (const a of fixes.ranked(header.agencies)) {
        const top: FixItem[] = [];
        for (const [i, f] of a.fixes.entries()) {
          const item = withSteps(f, await results.dataset(f.n), rs);
          await fixCsv.write(csvRow(fixFirstCsvCells(a.agency, i + 1, item, lang)));
          if (i < shown) top.push(item);
        }
        agencyFixes.push({ ...a, fixes: top, count: a.fixes.length });
      }
      const agreement = agree.result();
      const previous = await previousRuns(o.history ?? emptyHistory, header);
      const basis = o.history?.basis;
      files.push(await dashboard!.finish(
        { results: header, total: n, counts: Object.fromEntries(counts.badges), agree: agreement, fixes: agencyFixes, previous },
        { ruleset: rs, usage: o.usage, groups, ...(basis ? { trendBasis: basis } : {}), ...(o.reference ? { reference: o.reference } : {}), ...(o.fixesPerAgency ? { fixesPerAgency: o.fixesPerAgency } : {}) },
      ));
      await writeFileAtomic(join(out, 'agencies.csv'), agenciesCsv(header, rs.tiers.map((t) => t.id), groups));
      files.push(join(out, 'agencies.csv'));
      await datasetsCsv!.commit();
      files.push(datasetsCsv!.path);
      await fixCsv.commit();
      files.push(fixCsv.path);
      await writeFileAtomic(join(out, 'report.md'), markdownReport({ results: header, count: n, tierIds: rs.tiers.map((t) => t.id), fixes: agencyFixes, agreement, groups, lang }));
      files.push(join(out, 'report.md'));
    }

    if (o.ci && ci) {
      const outcome = ci.outcome(header);
      const markdown = ciMarkdown(header, outcome, { lang });
      if (o.ci.junit && suites) {
        const xml = track(await openAtomic(o.ci.junit));
        await xml.write(junitStart());
        let id = 0;
        for (const [agency, positions] of suites) {
          const ds = [];
          for (const p of positions) ds.push(await results.dataset(p));
          await xml.write(junitSuite(header, outcome, agency, ds, (d) => ciDatasetFailure(d, rs, o.ci!.thresholds), id++));
        }
        await xml.write(junitEnd());
        await xml.commit();
        files.push(xml.path);
      }
      if (o.ci.markdown) {
        await writeFileAtomic(o.ci.markdown, markdown);
        files.push(o.ci.markdown);
      }
      written.ci = { outcome, markdown };
    }
    return written;
  } catch (e) {
    for (const f of open) await f.abort();
    await dashboard?.abort();
    throw e;
  }
}
