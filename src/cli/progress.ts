// Progress on stderr: a cli-progress bar redrawn in place on a terminal, a plain line every few seconds otherwise
// (CI logs keep a readable trail instead of carriage-return noise), nothing with --quiet.
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
}

/** What both modes show: datasets done/total, resources and their rate, failures, and an ETA once the total is known. */
function figures(p: AuditProgress, elapsedMs: number): Figures {
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
  terminalText(`datasets ${f.done}/${f.total} · resources ${f.resources} (${f.rate}/s) · failures ${f.failures} · ETA ${f.eta}`);

export function startProgress(opts: ProgressOptions): ProgressReporter {
  // Returned methods are passed around unbound (onProgress: progress.update), so they must not use `this`.
  if (opts.quiet) return { update: () => {}, done: () => {} };
  const stream = opts.stream ?? process.stderr;
  const now = opts.now ?? Date.now;
  const started = now();
  return stream.isTTY ? barReporter(stream, started, now) : lineReporter(stream, started, now, opts.intervalMs ?? 5_000);
}

function lineReporter(stream: NodeJS.WritableStream, started: number, now: () => number, intervalMs: number): ProgressReporter {
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
      stream.write(`${plainLine(figures(p, t - started))}\n`);
    },
    done() {
      if (finished) return;
      finished = true;
      if (last) stream.write(`${plainLine(figures(last, now() - started))}\n`);
    },
  };
}

function barReporter(stream: NodeJS.WritableStream, started: number, now: () => number): ProgressReporter {
  let last: AuditProgress | undefined;
  let finished = false;
  const bar = new cliProgress.SingleBar({
    stream: stream as NodeJS.WritableStream,
    // The total grows while the catalogue streams in; our own ETA and rate replace cli-progress's.
    format: (options, params, payload: Figures) =>
      `${cliProgress.Format.BarFormat(params.progress, options)} ${terminalText(`${payload.done}/${payload.total} datasets · ${payload.resources} resources (${payload.rate}/s) · failures ${payload.failures} · ETA ${payload.eta}`)}`,
    hideCursor: false,
    clearOnComplete: false,
    barsize: 24,
    fps: 5,
  }, cliProgress.Presets.shades_classic);
  let startedBar = false;
  const render = (p: AuditProgress) => {
    const f = figures(p, now() - started);
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
      if (last) render(last);
      bar.stop();
    },
  };
}
