// `odbadge plan`: open data plan compliance against a catalogue, and `odbadge plan import` to turn a plan
// document's text into the plan format (schemas/plan.schema.json).
import { readCatalog } from '../catalog/index.ts';
import { Fetcher, catalogHttpOf } from '../fetch/index.ts';
import type { Dataset } from '../model.ts';
import { checkCompliance } from '../plan/compliance.ts';
import { importPlanFile } from '../plan/import.ts';
import { loadPlan, planToYaml, PlanError } from '../plan/plan.ts';
import { complianceMarkdown } from '../plan/report-md.ts';
import type { CommandSpec } from './command.ts';
import { CliContext } from './context.ts';
import { EXIT } from './exit-codes.ts';
import { ALLOW_PRIVATE_OPTION, formatOptions } from './options.ts';
import { redactText, redactUrl } from '../util/redact.ts';

function asOfDate(v: string | undefined): Date {
  if (!v) return new Date();
  if (!/^\d{4}-\d{2}-\d{2}$/.test(v) || Number.isNaN(new Date(`${v}T23:59:59+08:00`).getTime())) throw new PlanError(`--as-of ${v} is not a date (YYYY-MM-DD)`);
  return new Date(`${v}T23:59:59.999+08:00`); // the end of that day, local time
}

export async function planImportCommand(file: string, o: { json?: boolean; agency?: string }, ctx = new CliContext('odbadge plan import', { format: o.json ? 'json' : 'text' })): Promise<number> {
  try {
    const plan = await importPlanFile(file, { agency: o.agency });
    if (ctx.json) ctx.result(plan);
    else ctx.text(planToYaml(plan));
    for (const p of plan.problems ?? []) ctx.warning(`line ${p.line} not imported (${p.reason}): ${p.text}`);
    return EXIT.ok;
  } catch (e) {
    if (e instanceof PlanError) return ctx.fail(EXIT.input, e.message);
    throw e;
  }
}

export async function planComplianceCommand(o: { plan?: string; catalog?: string; asOf?: string; json?: boolean; markdown?: boolean; threshold?: string; agency?: string; allowPrivateNetwork?: boolean }, ctx = new CliContext('odbadge plan', { format: o.json && !o.markdown ? 'json' : 'text' })): Promise<number> {
  if (!o.plan || !o.catalog) return ctx.usage('plan needs --plan <file> and --catalog <source> (or use `odbadge plan import <document.txt>`)');
  const threshold = o.threshold === undefined ? 0.8 : Number(o.threshold);
  if (!(threshold > 0 && threshold <= 1)) return ctx.usage(`--threshold ${o.threshold} must be a number in (0, 1]`);
  let asOf: Date;
  let plan;
  try {
    asOf = asOfDate(o.asOf);
    plan = await loadPlan(o.plan);
  } catch (e) {
    if (!(e instanceof PlanError)) throw e;
    return /--as-of/.test(e.message) ? ctx.usage(e.message) : ctx.fail(EXIT.input, e.message);
  }
  const datasets: Dataset[] = [];
  // Catalogue pages come through the guarded fetcher, as in an audit (private addresses refused unless allowed).
  const fetcher = new Fetcher(o.allowPrivateNetwork ? { allowPrivateNetwork: true } : {});
  try {
    for await (const d of readCatalog(o.catalog, { agency: o.agency, http: catalogHttpOf(fetcher) })) datasets.push(d);
  } catch (e) {
    return ctx.fail(EXIT.input, `cannot read the catalogue ${redactUrl(o.catalog)}: ${redactText((e as Error).message)}`);
  } finally {
    await fetcher.close();
  }
  const report = checkCompliance(plan, datasets, { asOf, threshold, catalogSource: redactUrl(o.catalog) });
  if (ctx.json) ctx.result(report);
  else ctx.text(complianceMarkdown(report));
  return EXIT.ok;
}

export const planSpec: CommandSpec = {
  name: 'plan',
  description: 'open data plan compliance: which promised datasets arrived, when, in which formats, updated as promised',
  options: [
    { flags: '--plan <file>', kind: 'value', required: true, description: 'plan file (YAML or JSON, schemas/plan.schema.json; see plan import)' },
    { flags: '--catalog <source>', kind: 'value', required: true, description: 'catalogue: ckan:<base URL>, a local catalogue (.json/.csv), or a data.gov.tw export' },
    { flags: '--as-of <YYYY-MM-DD>', kind: 'value', defaultText: 'today', description: 'judge deadlines as of this date' },
    { flags: '--threshold <0..1>', kind: 'value', numeric: true, defaultText: '0.8', description: 'minimum title similarity for a match' },
    { flags: '--agency <name>', kind: 'value', description: 'read only this agency\'s datasets where the catalogue can filter (CKAN organisation)' },
    { ...ALLOW_PRIVATE_OPTION, description: 'allow a catalogue on private, loopback and link-local addresses (an on-premises portal)' },
    ...formatOptions('Markdown', { json: true, markdown: true }),
  ],
  run: (_args, o, ctx) => planComplianceCommand(o, ctx),
  subcommands: [{
    name: 'import',
    description: 'convert a plan document (text: Hong Kong plan tables, or a Taiwan list with ROC dates) into the plan format',
    args: [{ syntax: '<document>', description: 'the plan document as text' }],
    options: [
      { flags: '--agency <name>', kind: 'value', description: 'the agency, when the document does not name it' },
      ...formatOptions('YAML', { json: true }),
    ],
    run: (args, o, ctx) => planImportCommand(args[0], o, ctx),
  }],
};
