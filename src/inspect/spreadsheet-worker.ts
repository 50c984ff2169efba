// Worker thread entry: SheetJS reads one workbook and the facts go back to the parent (see readInWorker).
import { parentPort, workerData } from 'node:worker_threads';
import { readWithSheetJs } from './spreadsheet-sheetjs.ts';

const { body, format } = workerData as { body: Uint8Array; format: 'xlsx' | 'xls' | 'ods' };
parentPort?.postMessage(readWithSheetJs(body, format));
