/** The few git operations `promote --git` needs, through the git binary. */
import { execFileSync } from 'node:child_process';
import { relative } from 'node:path';
import { ModelpinError, UsageError } from '../../core/errors.js';

function git(cwd: string, args: string[]): string {
  try {
    return execFileSync('git', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
  } catch (e) {
    const stderr = (e as { stderr?: string }).stderr?.toString().trim();
    throw new ModelpinError(
      'io',
      `git ${args[0] ?? ''} failed: ${stderr || (e instanceof Error ? e.message : String(e))}`,
      { cause: e },
    );
  }
}

export interface GitPrecheck {
  root: string;
  /** The models.yml path relative to the repository root. */
  file: string;
}

/** Refuse clearly before touching anything: not a repository, other staged changes, or local edits to the file. */
export function gitPrecheck(dir: string, filePath: string): GitPrecheck {
  let root: string;
  try {
    root = execFileSync('git', ['rev-parse', '--show-toplevel'], {
      cwd: dir,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    }).trim();
  } catch {
    throw new UsageError(`--git: ${dir} is not inside a git repository`);
  }
  const file = relative(root, filePath);
  const staged = git(root, ['diff', '--cached', '--name-only']).split('\n').filter(Boolean);
  if (staged.length > 0)
    throw new UsageError(
      `--git: the index already has staged changes (${staged.join(', ')}); commit or unstage them first`,
    );
  const dirty = git(root, ['status', '--porcelain', '--', file]);
  if (dirty !== '') throw new UsageError(`--git: ${file} has uncommitted changes; commit or stash them first`);
  return { root, file };
}

export function branchExists(root: string, branch: string): boolean {
  try {
    execFileSync('git', ['rev-parse', '--verify', '--quiet', `refs/heads/${branch}`], { cwd: root, stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** Create and switch to `branch` (fails if it exists). */
export function createBranch(root: string, branch: string): void {
  if (branchExists(root, branch)) throw new UsageError(`--git: branch ${branch} already exists`);
  git(root, ['checkout', '-b', branch]);
}

/** Stage exactly `file` and commit; returns the new commit id. */
export function commitFile(root: string, file: string, message: string): string {
  git(root, ['add', '--', file]);
  git(root, ['commit', '-m', message]);
  return git(root, ['rev-parse', 'HEAD']);
}
