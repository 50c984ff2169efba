// Exit codes, documented in the README. Stable: CI pipelines depend on them.
export const EXIT = {
  ok: 0,
  /** `inspect`/`ci`: the checks ran and something failed. */
  checksFailed: 1,
  /** Bad arguments, an unreadable or invalid ruleset. */
  usage: 2,
  /** The catalogue (or the inspected input) could not be read, or broke off; partial results are still written. */
  input: 3,
  /** Stopped by Ctrl-C / SIGTERM. */
  interrupted: 130,
  /** A bug in odbadge. */
  internal: 70,
} as const;
