// The User-Agent names the tool, its version and where to read about it, so portal operators know who is calling.
import { ODBADGE_VERSION } from '../version.ts';

export function defaultUserAgent(): string {
  return `odbadge/${ODBADGE_VERSION} (+https://github.com/odbadge/odbadge; open-data quality audit)`;
}
