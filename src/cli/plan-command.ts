// `odbadge plan`: open data plan compliance against a catalogue, and `odbadge plan import` to turn a plan
// document's text into the plan format (schemas/plan.schema.json).
import { readCatalog } from '../catalog/index.ts';
import { Fetcher, catalogHttpOf } from '../fetch/index.ts';
import type { Dataset } from '../model.ts';
import { checkCompliance } from '../plan/compliance.ts';
import { importPlanFile } from '../plan/import.ts';
import { loadPlan, planToYaml, PlanError } from '../plan/plan.ts';
import { complianceMarkdown } from '../plan/report-md.ts';
import type { RegisterCommand } from './command.ts';
import { EXIT } from './exit-codes.ts';
import { print, warn } from './terminal.ts';
import { jsonText } from '../util/json-text.ts';
import { redactText, redactUrl } from '../util/redact.ts';

function asOfDate(v: string | undefined): Date {
  if (!v) return new Date();
  if (!/^\d{4}-\d{2}-\d{2}$/.test(v) || Number.isNaN(new Date(`${v}T23:59:59+08:00`).getTime())) throw new PlanError(`--as-of ${v} is not a date (YYYY-MM-DD)`);
  return new Date(`${v}T23:59:59.999+08:00`); // the end of that day, local time
}

export async function planImportCommand(file: string, o: { json?: boolean; agency?: string }): Promise<number> {
  try {
    const plan = await importPlanFile(file, { agency: o.agency });
    print(o.json ? `${jsonText(plan, 2)}\n` : planToYaml(plan));
    for (const p of plan.problems ?? []) warn(`odbadge: line ${p.line} not imported (${p.reason}): ${p.text}\n`);
    return EXIT.ok;
  } catch (e) {
    if (e instanceof PlanError) {
      warn(`odbadge: ${e.message}\n`);
      return EXIT.input;
    }
    throw e;
  }
}

export async function planComplianceCommand(o: { plan?: string; catalog?: string; asOf?: string; json?: boolean; markdown?: boolean; threshold?: string; agency?: string; allowPrivateNetwork?: boolean }): Promise<number> {
  if (!o.plan || !o.catalog) {
    warn('odbadge: plan needs --plan <file> and --catalog <source> (or use `odbadge plan import <document.txt>`)\n');
    return EXIT.usage;
  }
  const threshold = o.threshold === undefined ? 0.8 : Number(o.threshold);
  if (!(threshold > 0 && threshold <= 1)) {
    warn(`odbadge: --threshold ${o.threshold} must be a number in (0, 1]\n`);
    return EXIT.usage;
  }
  let asOf: Date;
  let plan;
  try {
    asOf = asOfDate(o.asOf);
    plan = await loadPlan(o.plan);
  } catch (e) {
    if (!(e instanceof PlanError)) throw e;
    warn(`odbadge: ${e.message}\n`);
    return /--as-of/.test(e.message) ? EXIT.usage : EXIT.input;
  }
  const datasets: Dataset[] = [];
  // Catalogue pages come through the guarded fetcher, as in an audit (private addresses refused unless allowed).
  const fetcher = new Fetcher(o.allowPrivateNetwork ? { allowPrivateNetwork: true } : {});
  try {
    for await (const d of readCatalog(o.catalog, { agency: o.agency, http: catalogHttpOf(fetcher) })) datasets.push(d);
  } catch (e) {
    warn(`odbadge: cannot read the catalogue ${redactUrl(o.catalog)}: ${redactText((e as Error).message)}\n`);
    return EXIT.input;
  } finally {
    await fetcher.close();
  }
  const report = checkCompliance(plan, datasets, { asOf, threshold, catalogSource: redactUrl(o.catalog) });
  print(o.json ? `${jsonText(report, 2)}\n` : complianceMarkdown(report));
  return EXIT.ok;
}

export const registerPlan: RegisterCommand = (program, setExit) => {
  const plan = program
    .command('plan')
    .description('open data plan compliance: which promised datasets arrived, when, in which formats, updated as promised')
    .option('--plan <file>', 'plan file (YAML or JSON, schemas/plan.schema.json; see `plan import`)')
    .option('--catalog <source>', 'catalogue: ckan:<base URL>, a local catalogue (.json/.csv), or a data.gov.tw export')
    .option('--as-of <YYYY-MM-DD>', 'judge deadlines as of this date (default: today)')
    .option('--threshold <0..1>', 'minimum title similarity for a match (default 0.8)')
    .option('--agency <name>', 'read only this agency\'s datasets where the catalogue can filter (CKAN organisation)')
    .option('--allow-private-network', 'allow a catalogue on private, loopback and link-local addresses (an on-premises portal)')
    .option('--json', 'print the report as JSON')
    .option('--markdown', 'print the report as Markdown (the default)')
    .action(async (o) => setExit(await planComplianceCommand(o)));
  plan
    .command('import <document>')
    .description('convert a plan document (text: Hong Kong plan tables, or a Taiwan list with ROC dates) into the plan format (YAML; --json for JSON)')
    .option('--json', 'print JSON instead of YAML')
    .option('--agency <name>', 'the agency, when the document does not name it')
    // `plan` has its own --json/--agency, and commander hands options after the subcommand to either: take both.
    .action(async (file: string, o) => setExit(await planImportCommand(file, { ...plan.opts(), ...o })));
};
