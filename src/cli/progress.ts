// Progress on stderr: a one-line bar redrawn in place on a terminal, a plain line every few seconds otherwise
// (CI logs), nothing with --quiet.
import type { AuditProgress } from '../audit.ts';

export function startProgress(opts: { quiet: boolean; stream?: NodeJS.WriteStream; intervalMs?: number }) {
  const stream = opts.stream ?? process.stderr;
  const tty = !!stream.isTTY;
  const started = Date.now();
  let last: AuditProgress | undefined;
  let lastPrint = 0;
  let finished = false;
  const line = (p: AuditProgress) => {
    const secs = (Date.now() - started) / 1000;
    const rate = p.resourcesDone / Math.max(secs, 0.001);
    const total = p.catalogDone ? p.datasetsSeen : undefined;
    const eta = total && p.datasetsDone ? ((total - p.datasetsDone) * secs) / p.datasetsDone : undefined;
    return `datasets ${p.datasetsDone}/${total ?? `${p.datasetsSeen}+`} · resources ${p.resourcesDone} (${rate.toFixed(1)}/s) · failures ${p.failures}${eta !== undefined ? ` · ETA ${Math.ceil(eta)} s` : ''}`;
  };
  const interval = opts.intervalMs ?? (tty ? 200 : 5000);
  return {
    update(p: AuditProgress) {
      last = p;
      if (opts.quiet || finished) return;
      const now = Date.now();
      if (now - lastPrint < interval) return;
      lastPrint = now;
      stream.write(tty ? `\r\x1b[2K${line(p)}` : `${line(p)}\n`);
    },
    done() {
      if (finished) return;
      finished = true;
      if (!opts.quiet && last) stream.write(tty ? `\r\x1b[2K${line(last)}\n` : `${line(last)}\n`);
    },
  };
}
