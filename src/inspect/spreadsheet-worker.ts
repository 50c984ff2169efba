// Worker thread entry: SheetJS reads one workbook and the facts go back to the parent (see readInWorker).
import { parentPort, workerData } from 'node:worker_threads';
import { readWithSheetJs, type SheetJsLimits } from './spreadsheet-sheetjs.ts';

const { body, format, limits } = workerData as { body: Uint8Array; format: 'xlsx' | 'xls' | 'ods'; limits: SheetJsLimits };
parentPort?.postMessage(readWithSheetJs(body, format, limits));
