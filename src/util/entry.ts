// Whether a module is the one Node was started with (`node src/cli/main.ts`, `npm run readme:options`), following
// symlinks (an npm bin link), so a module can be both a library and a script.
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export function isEntryModule(moduleUrl: string): boolean {
  try {
    return !!process.argv[1] && realpathSync(process.argv[1]) === fileURLToPath(moduleUrl);
  } catch {
    return false;
  }
}
