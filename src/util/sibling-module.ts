// A module file next to the caller, named as it exists on disk: `.ts` when running from source (Node strips types),
// `.js` in the built package (tsc rewrites import specifiers but not the URLs handed to `new Worker`).
export function siblingModule(name: string, callerUrl: string): URL {
  const ext = callerUrl.endsWith('.ts') ? '.ts' : '.js';
  return new URL(`./${name}${ext}`, callerUrl);
}
