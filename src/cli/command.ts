// The contract between main.ts and a command module.
import { InvalidArgumentError, type Command } from 'commander';

/** Adds one command to the program; the action reports its exit code through setExit. */
export type RegisterCommand = (program: Command, setExit: (code: number) => void) => void;

export function positiveInt(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('expected a whole number ≥ 1');
  return n;
}

export function nonNegativeInt(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError('expected a whole number ≥ 0');
  return n;
}
