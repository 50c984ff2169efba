// What --verbose adds on stderr during an audit: a line per dataset as it is done (its badge), a line per resource
// under it (outcome, status, size, time, URL — redacted and sanitised by the terminal writer), and the time each
// phase took. In verbose mode these lines are the progress trail, so the progress bar is not drawn.
import type { AuditProgress, DatasetResult } from '../model.ts';

/** 512 B, 12.3 KiB, 4.0 MiB */
export function byteSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}

export function datasetLines(r: DatasetResult, p: AuditProgress): string {
  const count = `[${p.datasetsDone}${p.catalogDone ? `/${p.datasetsSeen}` : ''}]`;
  const lines = [`${count} ${r.badge.padEnd(6)} ${r.agency} · ${r.title} (${r.id})`];
  for (const x of r.resources) {
    const f = x.fetch;
    const why = f.kind === 'ok' ? '' : ` — ${f.error ?? f.kind}`;
    lines.push(`    ${f.kind}${f.status !== undefined ? ` ${f.status}` : ''} · ${byteSize(f.bytes)} · ${f.elapsedMs} ms · ${x.url}${why}`);
  }
  return lines.join('\n') + '\n';
}

/** "timing: audit 12.3 s · outputs 0.8 s · total 13.1 s" (no total for one phase) */
export function timingLine(phases: [string, number][]): string {
  const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
  const total = phases.reduce((n, [, ms]) => n + ms, 0);
  const parts = phases.map(([name, ms]) => `${name} ${s(ms)}`);
  return `timing: ${[...parts, ...(phases.length > 1 ? [`total ${s(total)}`] : [])].join(' · ')}\n`;
}
