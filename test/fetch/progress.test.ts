// The audit's progress display: a bar on a terminal, plain periodic lines in logs, nothing with --quiet.
import { describe, expect, it } from 'vitest';
import type { AuditProgress } from '../../src/model.ts';
import { formatBytes, formatDuration, startProgress } from '../../src/cli/progress.ts';

function fakeStream(isTTY: boolean) {
  const writes: string[] = [];
  const stream = {
    isTTY, columns: 120,
    write(chunk: string | Uint8Array, ...rest: unknown[]) {
      writes.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
      const cb = rest.find((r) => typeof r === 'function') as (() => void) | undefined;
      cb?.();
      return true;
    },
    // readline.cursorTo / clearLine call these on a TTY.
    cursorTo: () => true, clearLine: () => true, moveCursor: () => true,
    on: () => stream, once: () => stream, removeListener: () => stream, emit: () => true,
  };
  return { stream: stream as unknown as NodeJS.WritableStream & { isTTY: boolean }, writes, text: () => writes.join('') };
}

const p = (o: Partial<AuditProgress>): AuditProgress => ({
  datasetsDone: 0, datasetsSeen: 0, resourcesDone: 0, failures: 0, catalogDone: false, ...o,
});

describe('startProgress', () => {
  it('--quiet writes nothing at all, on a TTY or not', () => {
    for (const tty of [true, false]) {
      const s = fakeStream(tty);
      const r = startProgress({ quiet: true, stream: s.stream, intervalMs: 0 });
      r.update(p({ datasetsDone: 1, datasetsSeen: 2, resourcesDone: 3 }));
      r.done();
      expect(s.writes).toEqual([]);
    }
  });

  it('not a TTY: plain lines at most once per interval, and a final line on done', () => {
    let t = 0;
    const s = fakeStream(false);
    const r = startProgress({ quiet: false, stream: s.stream, intervalMs: 5_000, now: () => t });
    t = 1_000;
    r.update(p({ datasetsDone: 1, datasetsSeen: 10, resourcesDone: 2 }));
    expect(s.writes).toEqual([]); // within the first interval
    t = 5_000;
    r.update(p({ datasetsDone: 5, datasetsSeen: 10, resourcesDone: 10, failures: 1 }));
    t = 6_000;
    r.update(p({ datasetsDone: 6, datasetsSeen: 10, resourcesDone: 12, failures: 1 }));
    expect(s.writes).toEqual(['datasets 5/10+ · resources 10 (2.0/s) · failures 1 · ETA ?\n']);
    t = 10_000;
    r.update(p({ datasetsDone: 8, datasetsSeen: 10, resourcesDone: 16, failures: 2, catalogDone: true }));
    // Total known: ETA = remaining datasets at the rate so far (2 left at 8 per 10 s).
    expect(s.writes[1]).toBe('datasets 8/10 · resources 16 (1.6/s) · failures 2 · ETA 3s\n');
    t = 12_000;
    r.update(p({ datasetsDone: 10, datasetsSeen: 10, resourcesDone: 20, failures: 2, catalogDone: true }));
    r.done();
    r.done(); // idempotent: the CLI calls it on success and again in finally
    expect(s.writes).toHaveLength(3);
    expect(s.writes[2]).toBe('datasets 10/10 · resources 20 (1.7/s) · failures 2 · ETA 0s\n');
    expect(s.text()).not.toMatch(/\r|\x1b\[/); // no terminal control codes in logs
  });

  it('a TTY: a redrawn bar with done/total, rate, failures and ETA, ended with a newline', () => {
    let t = 0;
    const s = fakeStream(true);
    const r = startProgress({ quiet: false, stream: s.stream, now: () => t });
    t = 2_000;
    r.update(p({ datasetsDone: 1, datasetsSeen: 4, resourcesDone: 3, failures: 1 }));
    t = 4_000;
    r.update(p({ datasetsDone: 4, datasetsSeen: 4, resourcesDone: 8, failures: 2, catalogDone: true }));
    r.done();
    const out = s.text();
    expect(out).toMatch(/1\/4\+ datasets · 3 resources \(1\.5\/s\) · failures 1 · ETA \?/);
    expect(out).toMatch(/4\/4 datasets · 8 resources \(2\.0\/s\) · failures 2 · ETA 0s/);
    expect(out).toMatch(/[█░]/); // the bar itself
    expect(out.endsWith('\n')).toBe(true);
    const before = s.writes.length;
    r.update(p({ datasetsDone: 5, datasetsSeen: 5 }));
    expect(s.writes.length).toBe(before); // nothing after done
  });

  it('done() before any update prints nothing', () => {
    for (const tty of [true, false]) {
      const s = fakeStream(tty);
      startProgress({ quiet: false, stream: s.stream }).done();
      expect(s.writes).toEqual([]);
    }
  });

  it('formats durations for people', () => {
    expect(formatDuration(0)).toBe('0s');
    expect(formatDuration(59.2)).toBe('1m00s');
    expect(formatDuration(125)).toBe('2m05s');
    expect(formatDuration(3 * 3600 + 7 * 60)).toBe('3h07m');
  });
});

describe('progress at portal scale', () => {
  it('shows the bytes downloaded and the memory held when the audit reports them', () => {
    let t = 0;
    const s = fakeStream(false);
    const r = startProgress({ quiet: false, stream: s.stream, intervalMs: 5_000, now: () => t, rss: () => 312 * 1048576 });
    t = 5_000;
    r.update(p({ datasetsDone: 1200, datasetsSeen: 53_000, resourcesDone: 3_400, failures: 17, catalogDone: true, bytes: 41_234_567 }));
    expect(s.writes).toEqual(['datasets 1200/53000 · resources 3400 (680.0/s) · 41.2 MB · failures 17 · ETA 3m36s · RSS 312 MB\n']);
  });

  it('formats byte counts', () => {
    expect([999, 1000, 12_345, 45_600_000, 1_234_000_000].map(formatBytes)).toEqual(['999 B', '1.0 kB', '12.3 kB', '45.6 MB', '1.2 GB']);
  });
});
