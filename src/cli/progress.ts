// Progress on stderr: a cli-progress bar redrawn in place on a terminal, a plain line every few seconds otherwise
// (CI logs keep a readable trail instead of carriage-return noise), nothing with --quiet. At portal scale the line
// also says how much was downloaded and how much memory the audit holds (the audit passes both).
import cliProgress from 'cli-progress';
import type { AuditProgress } from '../model.ts';
import { terminalText } from './terminal.ts';

export interface ProgressOptions {
  quiet: boolean;
  /** Defaults to process.stderr; a TTY gets the bar, anything else plain lines. */
  stream?: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
  /** Plain-line period when not a TTY (default 5 s). */
  intervalMs?: number;
  /** Clock, for tests. */
  now?: () => number;
  /** The process's resident memory in bytes, shown when given (the CLI gives process.memoryUsage.rss). */
  rss?: () => number;
}

export interface ProgressReporter {
  update(p: AuditProgress): void;
  done(): void;
}

interface Figures {
  done: number;
  total: string;
  resources: number;
  rate: string;
  failures: number;
  eta: string;
  /** " · 12.3 MB" when the audit reports bytes downloaded, else empty. */
  bytes: string;
  /** " · RSS 312 MB" when memory is measured, else empty. */
  rss: string;
}

/** Bytes for people: 950 B, 12.3 kB, 45.6 MB, 1.2 GB. */
export function formatBytes(n: number): string {
  if (n < 1000) return `${n} B`;
  const units = ['kB', 'MB', 'GB', 'TB'];
  let v = n / 1000;
  let u = 0;
  while (v >= 1000 && u < units.length - 1) {
    v /= 1000;
    u++;
  }
  return `${v.toFixed(1)} ${units[u]}`;
}

/**
 * What both modes show: datasets done/total, resources and their rate, bytes downloaded, failures, an ETA once the
 * total is known, and the memory held.
 */
function figures(p: AuditProgress, elapsedMs: number, rss?: () => number): Figures {
  const secs = Math.max(elapsedMs / 1000, 0.001);
  const total = p.catalogDone ? p.datasetsSeen : undefined;
  // Until the catalogue is fully read the total is unknown, so no ETA is promised.
  const etaSecs = total !== undefined && p.datasetsDone > 0 ? ((total - p.datasetsDone) * secs) / p.datasetsDone : undefined;
  return {
    done: p.datasetsDone,
    total: total !== undefined ? String(total) : `${p.datasetsSeen}+`,
    resources: p.resourcesDone,
    rate: (p.resourcesDone / secs).toFixed(1),
    failures: p.failures,
    eta: etaSecs === undefined ? '?' : formatDuration(etaSecs),
    bytes: p.bytes === undefined ? '' : ` · ${formatBytes(p.bytes)}`,
    rss: rss ? ` · RSS ${Math.round(rss() / 1048576)} MB` : '',
  };
}

export function formatDuration(secs: number): string {
  const s = Math.max(0, Math.ceil(secs));
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(m / 60)}h${String(m % 60).padStart(2, '0')}m`;
}

// The progress line goes through the terminal sanitiser like every other print (today it holds figures only).
const plainLine = (f: Figures) =>
  terminalText(`datasets ${f.done}/${f.total} · resources ${f.resources} (${f.rate}/s)${f.bytes} · failures ${f.failures} · ETA ${f.eta}${f.rss}`);

export function startProgress(opts: ProgressOptions): ProgressReporter {
  // Returned methods are passed around unbound (onProgress: progress.update), so they must not use `this`.
  if (opts.quiet) return { update: () => {}, done: () => {} };
  const stream = opts.stream ?? process.stderr;
  const now = opts.now ?? Date.now;
  const started = now();
  return stream.isTTY ? barReporter(stream, started, now, opts.rss) : lineReporter(stream, started, now, opts.intervalMs ?? 5_000, opts.rss);
}

function lineReporter(stream: NodeJS.WritableStream, started: number, now: () => number, intervalMs: number, rss?: () => number): ProgressReporter {
  let last: AuditProgress | undefined;
  let lastPrint = started;
  let finished = false;
  return {
    update(p) {
      last = p;
      if (finished) return;
      const t = now();
      if (t - lastPrint < intervalMs) return;
      lastPrint = t;
      stream.write(`${plainLine(figures(p, t - started, rss))}\n`);
    },
    done() {
      if (finished) return;
      finished = true;
      if (last) stream.write(`${plainLine(figures(last, now() - started, rss))}\n`);
    },
  };
}

function barReporter(stream: NodeJS.WritableStream, started: number, now: () => number, rss?: () => number): ProgressReporter {
  let last: AuditProgress | undefined;
  let finished = false;
  const bar = new cliProgress.SingleBar({
    stream: stream as NodeJS.WritableStream,
    // The total grows while the catalogue streams in; our own ETA and rate replace cli-progress's.
    format: (options, params, payload: Figures) =>
      `${cliProgress.Format.BarFormat(params.progress, options)} ${terminalText(`${payload.done}/${payload.total} datasets · ${payload.resources} resources (${payload.rate}/s)${payload.bytes} · failures ${payload.failures} · ETA ${payload.eta}${payload.rss}`)}`,
    hideCursor: false,
    clearOnComplete: false,
    barsize: 24,
    fps: 5,
  }, cliProgress.Presets.shades_classic);
  let startedBar = false;
  let lastRender = -Infinity;
  const render = (p: AuditProgress, force = false) => {
    // Figures are redrawn at most 5 times a second however often datasets finish (thousands a minute at scale).
    const t = now();
    if (!force && t - lastRender < 200) return;
    lastRender = t;
    const f = figures(p, t - started, rss);
    const total = Math.max(1, p.datasetsSeen);
    if (!startedBar) {
      bar.start(total, p.datasetsDone, f);
      startedBar = true;
    } else {
      bar.setTotal(total);
      bar.update(p.datasetsDone, f);
    }
  };
  return {
    update(p) {
      last = p;
      if (!finished) render(p);
    },
    done() {
      if (finished) return;
      finished = true;
      if (!startedBar) return;
      if (last) render(last, true);
      bar.stop();
    },
  };
}
