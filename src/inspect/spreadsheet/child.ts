// Child-process entry: SheetJS reads one workbook and the facts go back to the parent over IPC (see readIsolated).
// A process, not a worker thread: V8 aborts the whole process when a worker's heap limit is overrun by one large
// allocation (seen with an ODS whose repeats SheetJS expands: FATAL ERROR, exit 134, odbadge gone), whereas a
// child that dies takes nothing with it. It also leaves on its own if the parent goes away.
import { readWithSheetJs, type SheetJsLimits } from './sheetjs.ts';
import type { SpreadsheetFormat } from './types.ts';

interface Job {
  body: Uint8Array;
  format: SpreadsheetFormat;
  limits: SheetJsLimits;
  timeoutMs: number;
}

process.on('disconnect', () => process.exit(0));
process.once('message', (job: Job) => {
  // The parent kills this process at the deadline; this is the backstop should the parent be gone.
  setTimeout(() => process.exit(0), job.timeoutMs + 5_000).unref();
  const facts = readWithSheetJs(job.body, job.format, job.limits);
  process.send?.(facts, () => process.exit(0));
});
