// `odbadge audit`: read a catalogue, fetch and inspect every resource, write results.json, summary.csv and
// summary.md to --out, and print the Markdown summary.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { runAudit, type AuditOptions, type AuditResult } from '../audit.ts';
import { resultsJson, validateResults } from '../report/results-json.ts';
import { summaryCsv } from '../report/summary-csv.ts';
import { summaryMarkdown } from '../report/summary-md.ts';
import { indicatorIds, loadRuleset, type Ruleset } from '../score/ruleset.ts';
import { positiveInt, type RegisterCommand } from './command.ts';
import { EXIT } from './exit-codes.ts';
import { startProgress } from './progress.ts';

export interface AuditCliOptions {
  catalog: string;
  out: string;
  ruleset?: string;
  agency?: string;
  concurrency?: number;
  perHost?: number;
  allowPrivateNetwork?: boolean;
  enrich?: string | boolean;
  timeout?: number;
  maxBytes?: number;
  quiet?: boolean;
}

/** The API v2 base for enrichment: given explicitly, or the origin of a data.gov.tw-style export URL. */
export function enrichBase(opt: string | boolean | undefined, catalog: string): string | undefined {
  if (typeof opt === 'string') return opt.replace(/\/+$/, '');
  if (opt !== true) return undefined;
  try {
    return new URL(catalog).origin;
  } catch {
    throw new Error('--enrich without a URL needs the catalogue to be a URL; give the API base: --enrich https://data.gov.tw');
  }
}

export async function writeOutputs(results: AuditResult, rs: Ruleset, out: string): Promise<string> {
  const problems = validateResults(results);
  if (problems.length) throw new Error(`results do not match schemas/results.schema.json (a bug): ${problems.join('; ')}`);
  await mkdir(out, { recursive: true });
  const md = summaryMarkdown(results, rs);
  await writeFile(join(out, 'results.json'), resultsJson(results));
  await writeFile(join(out, 'summary.csv'), summaryCsv(results, indicatorIds(rs)));
  await writeFile(join(out, 'summary.md'), md);
  return md;
}

export async function auditCommand(o: AuditCliOptions, auditOverrides: Partial<AuditOptions> = {}): Promise<number> {
  const rs = loadRuleset(o.ruleset);
  const controller = new AbortController();
  let interrupted = false;
  const onSignal = () => {
    if (interrupted) process.exit(EXIT.interrupted);
    interrupted = true;
    process.stderr.write('\nStopping: finishing the datasets in flight and writing what was audited (Ctrl-C again to quit at once)…\n');
    controller.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const progress = startProgress({ quiet: !!o.quiet });
  try {
    const results = await runAudit({
      catalog: o.catalog,
      ruleset: rs,
      agency: o.agency,
      enrichApiBase: enrichBase(o.enrich, o.catalog),
      signal: controller.signal,
      onProgress: progress.update,
      fetch: {
        ...(o.concurrency ? { concurrency: o.concurrency } : {}),
        ...(o.perHost ? { perHost: o.perHost } : {}),
        ...(o.allowPrivateNetwork ? { allowPrivateNetwork: true } : {}),
        ...(o.timeout ? { totalTimeoutMs: o.timeout } : {}),
        ...(o.maxBytes ? { maxBytes: o.maxBytes } : {}),
      },
      ...auditOverrides,
    });
    progress.done();
    if (results.datasets.length === 0 && results.catalog.error) {
      process.stderr.write(`odbadge: cannot read the catalogue ${o.catalog}: ${results.catalog.error}\n`);
      return EXIT.input;
    }
    const md = await writeOutputs(results, rs, o.out);
    if (!o.quiet) process.stdout.write(md);
    process.stderr.write(`Wrote ${join(o.out, 'results.json')}, summary.csv and summary.md (${results.datasets.length} datasets).\n`);
    if (interrupted) return EXIT.interrupted;
    if (!results.catalog.complete) {
      process.stderr.write(`odbadge: the catalogue broke off: ${results.catalog.error}; results cover the datasets read before that.\n`);
      return EXIT.input;
    }
    return EXIT.ok;
  } finally {
    progress.done();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

export const registerAudit: RegisterCommand = (program, setExit) => {
  program
    .command('audit')
    .description('audit a data.gov.tw catalogue export: every dataset\'s badge with evidence, every agency\'s score')
    .requiredOption('--catalog <url|file>', 'data.gov.tw bulk export (URL or local CSV file)')
    .requiredOption('--out <dir>', 'directory for results.json, summary.csv and summary.md')
    .option('--ruleset <file>', 'ruleset JSON (default: rules/tw-ndc-2017.json)')
    .option('--agency <name>', 'only this agency (exact name; a trailing * matches by prefix, e.g. "勞動部*")')
    .option('--concurrency <n>', 'downloads in flight at once (default 32)', positiveInt)
    .option('--per-host <n>', 'downloads in flight per host (default 4)', positiveInt)
    .option('--allow-private-network', 'allow resource URLs on private, loopback and link-local addresses (tests, on-premises portals)')
    .option('--enrich [apiBase]', 'read per-resource metadata from the data.gov.tw API v2 (base URL; default: the catalogue URL\'s origin)')
    .option('--timeout <ms>', 'total time allowed per download attempt in ms (default 300000)', positiveInt)
    .option('--max-bytes <n>', 'bytes read per resource at most (default 50 MiB)', positiveInt)
    .option('--quiet', 'no progress and no summary on stdout')
    .action(async (o) => setExit(await auditCommand(o)));
};
