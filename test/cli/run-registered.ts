/**
 * Runs commands registered on a fresh commander program in-process, the way `modelpin` would,
 * with injected io: captured stdout/stderr, the exit code from `process.exitCode`, and 2 for a
 * usage error commander rejects (0 for --help).
 */
import { Command } from 'commander';
import { vi } from 'vitest';
import type { CliIo } from '../../src/store/cli-io.js';

export interface CliResult {
  code: number;
  out: string;
  err: string;
}

export type Register = (program: Command, io: () => CliIo) => void;

export async function runRegistered(registers: readonly Register[], args: string[], io: Omit<CliIo, 'out'>): Promise<CliResult> {
  const out: string[] = [];
  const err: string[] = [];
  const full: CliIo = { ...io, out: (t) => out.push(t) };
  const program = new Command().exitOverride().configureOutput({ writeOut: (s) => out.push(s), writeErr: (s) => err.push(s) });
  for (const register of registers) register(program, () => full);
  const spy = vi.spyOn(console, 'error').mockImplementation((...a: unknown[]) => {
    err.push(a.map(String).join(' '));
  });
  let code: number;
  try {
    process.exitCode = undefined;
    await program.parseAsync(['node', 'modelpin', ...args]);
    code = typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (e) {
    code = (e as { code?: string }).code === 'commander.helpDisplayed' ? 0 : 2;
  } finally {
    spy.mockRestore();
    process.exitCode = undefined;
  }
  return { code, out: out.join('\n'), err: err.join('\n') };
}
