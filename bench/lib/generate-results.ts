// A realistic results.json of a whole portal without auditing it, for the 53,000-dataset dashboard check:
//   node bench/lib/generate-results.ts --out reports/gen/results.json [--report reports/gen] [--datasets 53000] [--hosts 400] [--seed 53000]
//   node bench/lib/dashboard-timing.ts reports/gen/index.html
// --report writes index.html and the other reports from the generated results in this process, with the CLI's own
// writeReports — the same as `odbadge report --results reports/gen/results.json --out reports/gen`, which reads the
// file as a stream. results.json (≈ 590 MB for 53,000 datasets: longer than a JavaScript string may be) is written
// dataset by dataset, as an audit writes it (resultsJsonPieces).
// The portal is the portal-scale benchmark's (bench/lib/portal-shape.ts, same seed: the same datasets, agencies and
// defects). Its export goes through the real catalogue reader, every resource's verdicts through the real rules
// (evaluateDataset) and the scores through scoreAgencies, so evidence, hints, official codes and sizes are what an
// audit writes. Only fetching is left out: each kind of response (scenario, format, columns, record count) is
// rendered and inspected once, on at most SAMPLE_RECORDS records, and its facts reused for every resource of that kind.
import { createWriteStream } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { once } from 'node:events';
import { STATUS_CODES } from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import { gunzipSync } from 'node:zlib';
import type { AuditResult } from '../../src/model.ts';
import { ODBADGE_VERSION } from '../../src/version.ts';
import { readCatalog } from '../../src/catalog/index.ts';
import { inspectResource } from '../../src/inspect/index.ts';
import type { DatasetResult, FetchOutcome, ResourceFacts } from '../../src/model.ts';
import { resultsJsonPieces, validateResults } from '../../src/report/results-json.ts';
import { headerOf } from '../../src/report/results-stream.ts';
import { writeReports } from '../../src/cli/report-command.ts';
import type { ResourceEvidence } from '../../src/rules/rule.ts';
import { scoreAgencies } from '../../src/score/agency-score.ts';
import { evaluateDataset } from '../../src/score/evaluate.ts';
import { loadRuleset } from '../../src/score/ruleset.ts';
import { hostAddress, PortalShape, type SimDataset, type SimResource } from './portal-shape.ts';

const SAMPLE_RECORDS = 2000;

interface Observed {
  status: number;
  headers: Record<string, string>;
  redirects: { status: number; location: string }[];
  finalPath: string;
  bytes: number;
  sampledRecords: number;
  facts?: ResourceFacts;
}

export async function generateResults(opts: { datasets: number; hosts: number; seed: number }): Promise<AuditResult> {
  const startedAt = new Date().toISOString();
  const shape = new PortalShape({ datasets: opts.datasets, hosts: opts.hosts, latencyMs: 80, seed: opts.seed });
  const origins = Array.from({ length: opts.hosts }, (_, h) => `http://${hostAddress(h)}`);
  const rs = loadRuleset();
  const now = new Date();
  const kinds = new Map<string, Observed>();

  /** What fetching this resource gives, as the fetcher would report it (bodies decoded), from one sample per kind. */
  const observe = async (d: SimDataset, r: SimResource, declaredFormat: string | undefined): Promise<Observed> => {
    const sampledRecords = Math.min(r.recordCount, SAMPLE_RECORDS);
    const key = `${r.scenario}|${r.format}|${r.columns.map((c) => c.name).join(',')}|${JSON.stringify(r.lineEnding)}|${sampledRecords}|${declaredFormat}`;
    let o = kinds.get(key);
    if (!o) {
      const { final, redirects, finalPath } = shape.sample(d, r, SAMPLE_RECORDS);
      const body = final.headers['content-encoding'] === 'gzip' ? gunzipSync(final.body) : final.body;
      const facts = final.status < 300
        ? await inspectResource({ body, contentType: final.headers['content-type'], url: origins[r.host] + finalPath, declaredFormat })
        : undefined;
      o = { status: final.status, headers: final.headers, redirects, finalPath, bytes: body.length, sampledRecords, facts };
      kinds.set(key, o);
    }
    return o;
  };

  const datasets: DatasetResult[] = [];
  let resources = 0;
  let bytes = 0;
  let requests = 0;
  let findings = 0;
  const dir = await mkdtemp(join(tmpdir(), 'odbadge-gen-'));
  try {
    const exportFile = join(dir, 'export.csv');
    await writeFile(exportFile, shape.exportCsv(origins));
    for await (const d of readCatalog(exportFile)) {
      const sd = shape.datasetById(d.id);
      if (!sd) throw new Error(`dataset ${d.id} is not the shape's`);
      findings += d.findings.length;
      const evidence: ResourceEvidence[] = [];
      for (const [k, resource] of d.resources.entries()) {
        const r = sd.resources[k];
        const o = await observe(sd, r, resource.declared.format);
        // Beyond the sample, the body grows with its records; everything else about it stays.
        const scale = r.recordCount / o.sampledRecords;
        const size = Math.round(o.bytes * scale);
        const facts = o.facts && o.facts.recordCount !== undefined && scale !== 1
          ? { ...o.facts, recordCount: o.facts.recordCount + r.recordCount - o.sampledRecords }
          : o.facts;
        // The one header that differs between resources of a kind: when this resource last changed (timely reads it).
        const headers = 'last-modified' in o.headers ? { ...o.headers, 'last-modified': new Date(r.updatedAt).toUTCString() } : o.headers;
        const fetch: FetchOutcome = {
          url: resource.url, finalUrl: new URL(o.finalPath, origins[r.host]).href, kind: o.status < 300 ? 'ok' : 'http-error',
          transient: o.status >= 500, status: o.status, redirects: o.redirects, headers, contentType: o.headers['content-type'],
          truncated: false, bytes: size, attempts: 1, elapsedMs: (o.redirects.length + 1) * shape.latency(r.host),
          ...(o.status >= 300 ? { error: `HTTP ${o.status} ${STATUS_CODES[o.status] ?? ''}`.trim() } : {}),
        };
        evidence.push({ resource, fetch, ...(facts ? { facts } : {}) });
        resources++;
        requests += o.redirects.length + 1;
        bytes += size;
      }
      datasets.push(evaluateDataset({ dataset: d, resources: evidence, oas: [] }, rs, now));
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  return {
    odbadge: ODBADGE_VERSION,
    ruleset: { id: rs.id, title: rs.title, source: rs.source },
    catalog: { source: `generated by bench/lib/generate-results.ts (${opts.datasets} datasets, ${opts.hosts} hosts, seed ${opts.seed})`, datasets: datasets.length, findings, complete: true },
    startedAt,
    finishedAt: new Date().toISOString(),
    datasets,
    agencies: scoreAgencies(datasets, rs),
    stats: { resources, distinctUrls: resources, bytes, requests, retries: 0 },
  };
}

/** Writes results.json dataset by dataset (the bytes resultsJson would give, without one string of them all). */
export async function writeResultsFile(file: string, results: AuditResult): Promise<number> {
  const pieces = resultsJsonPieces(headerOf(results));
  const out = createWriteStream(file);
  let bytes = 0;
  const write = async (text: string) => {
    bytes += Buffer.byteLength(text);
    if (!out.write(text)) await once(out, 'drain');
  };
  await write(pieces.head);
  for (const [n, d] of results.datasets.entries()) await write(pieces.dataset(d, n));
  await write(pieces.tail(results.datasets.length));
  out.end();
  await once(out, 'close');
  return bytes;
}

if (import.meta.main) {
  const { values } = parseArgs({
    options: { out: { type: 'string' }, report: { type: 'string' }, datasets: { type: 'string', default: '53000' }, hosts: { type: 'string', default: '400' }, seed: { type: 'string', default: '53000' } },
  });
  if (!values.out) {
    process.stderr.write('usage: node bench/lib/generate-results.ts --out <results.json> [--report <dir>] [--datasets 53000] [--hosts 400] [--seed 53000]\n');
    process.exit(2);
  }
  const t = performance.now();
  const results = await generateResults({ datasets: Number(values.datasets), hosts: Number(values.hosts), seed: Number(values.seed) });
  const problems = validateResults(results);
  if (problems.length) throw new Error(`generated results do not match schemas/results.schema.json: ${problems.join('; ')}`);
  await mkdir(dirname(values.out), { recursive: true });
  const bytes = await writeResultsFile(values.out, results);
  const counts: Record<string, number> = {};
  for (const d of results.datasets) counts[d.badge] = (counts[d.badge] ?? 0) + 1;
  process.stderr.write(`Wrote ${values.out}: ${results.datasets.length} datasets, ${results.stats.resources} resources, ${results.agencies.length} agencies, `
    + `${JSON.stringify(counts)}, ${(bytes / 1048576).toFixed(1)} MB in ${((performance.now() - t) / 1000).toFixed(1)} s\n`);
  if (values.report) {
    const { files } = await writeReports(results, values.report, {});
    process.stderr.write(`Wrote ${files.join(', ')} in ${((performance.now() - t) / 1000).toFixed(1)} s\n`);
  }
}
