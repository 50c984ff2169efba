// The User-Agent names the tool, its version and where to read about it, so portal operators know who is calling.
import { readFileSync } from 'node:fs';

let cached: string | undefined;

function packageVersion(): string {
  // Read at run time rather than imported: package.json sits outside the compiled tree (src/ → dist/).
  try {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version?: unknown };
    return typeof pkg.version === 'string' ? pkg.version : '0.0.0';
  } catch {
    return '0.0.0';
  }
}

export function defaultUserAgent(): string {
  cached ??= `odbadge/${packageVersion()} (+https://github.com/odbadge/odbadge; open-data quality audit)`;
  return cached;
}
