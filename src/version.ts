// odbadge's version, read from package.json at run time (it sits outside the compiled tree, src/ → dist/), so a
// release changes it in one place.
import { readFileSync } from 'node:fs';
import { packagePath } from './paths.ts';

function readVersion(): string {
  try {
    const v = (JSON.parse(readFileSync(packagePath('package.json'), 'utf8')) as { version?: unknown }).version;
    return typeof v === 'string' ? v : '0.0.0';
  } catch {
    return '0.0.0';
  }
}

export const ODBADGE_VERSION = readVersion();
