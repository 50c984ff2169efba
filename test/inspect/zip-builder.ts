// Builds small ZIP archives in memory for tests, with the project's one ZIP writer.
import { buildZip as writeZip } from '../../src/util/zip-writer.ts';

export function buildZip(files: [name: string, content: string | Uint8Array, stored?: boolean][]): Uint8Array {
  return new Uint8Array(writeZip(files.map(([name, data, stored]) => ({ name, data, stored }))));
}
