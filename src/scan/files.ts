/**
 * Which files `modelpin scan` reads: `git ls-files` inside a work tree (tracked and untracked,
 * minus what .gitignore excludes), else a directory walk that honours every .gitignore on the way.
 * Dependency, build and VCS directories, binaries and large files are never read.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync, type Dirent } from 'node:fs';
import { basename, join, relative, resolve, sep } from 'node:path';
import ignoreModule, { type Ignore } from 'ignore';

// `ignore` is CommonJS; under NodeNext its default import may arrive as the module object.
const ignore = ((ignoreModule as unknown as { default?: unknown }).default ?? ignoreModule) as () => Ignore;

/** Directories never worth reading: dependencies, build output, caches, VCS metadata. */
export const SKIP_DIRS = new Set([
  'node_modules',
  '.git',
  '.hg',
  '.svn',
  'dist',
  'build',
  'out',
  '.next',
  '.nuxt',
  '.turbo',
  '.cache',
  'coverage',
  'vendor',
  '__pycache__',
  '.venv',
  'venv',
  '.tox',
  '.mypy_cache',
  '.pytest_cache',
  'target',
  '.modelpin',
  'bower_components',
]);

/** Source and config files whose string literals or values may name a model. */
const SOURCE_EXT =
  /\.(?:[cm]?[jt]sx?|py|pyi|go|rb|rs|java|kt|kts|cs|php|swift|scala|ya?ml|json|jsonc|json5|toml|ini|cfg|conf|properties|tf|tfvars|sh|bash|zsh|ipynb)$/i;
const ENV_FILE = /^\.env(?:\..+)?$|\.env$/;
/** Lockfiles and minified bundles are large and never where an app chooses its model. */
const SKIP_FILE =
  /(?:^|[-.])(?:package-lock\.json|yarn\.lock|pnpm-lock\.yaml|composer\.lock|Cargo\.lock|poetry\.lock|go\.sum)$|\.min\.js$|\.map$/;

export const MAX_FILE_BYTES = 1024 * 1024;

export function isScannable(path: string): boolean {
  const name = basename(path);
  if (SKIP_FILE.test(name)) return false;
  return SOURCE_EXT.test(name) || ENV_FILE.test(name);
}

function inSkippedDir(rel: string): boolean {
  const parts = rel.split(/[\\/]/);
  for (let i = 0; i < parts.length - 1; i++) if (SKIP_DIRS.has(parts[i] as string)) return true;
  return false;
}

/** Files tracked or untracked-but-not-ignored under `dir`, or null when `dir` is not in a git work tree. */
function gitFiles(dir: string): string[] | null {
  try {
    const out = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard', '--', '.'], {
      cwd: dir,
      encoding: 'utf8',
      maxBuffer: 512 * 1024 * 1024,
      timeout: 60_000,
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    return out
      .split('\0')
      .filter(Boolean)
      .map((f) => join(dir, f));
  } catch {
    return null;
  }
}

interface IgnoreFrame {
  base: string;
  ig: Ignore;
}

function readIgnore(dir: string): Ignore | null {
  let text: string;
  try {
    text = readFileSync(join(dir, '.gitignore'), 'utf8');
  } catch {
    return null;
  }
  return ignore().add(text);
}

function ignored(frames: readonly IgnoreFrame[], abs: string, isDir: boolean): boolean {
  for (const f of frames) {
    const rel = relative(f.base, abs).split(sep).join('/');
    if (rel && f.ig.ignores(isDir ? `${rel}/` : rel)) return true;
  }
  return false;
}

/** Walk without git: each directory's .gitignore applies below it, as git applies it. */
function walk(dir: string, frames: IgnoreFrame[], out: string[]): void {
  const own = readIgnore(dir);
  const here = own ? [...frames, { base: dir, ig: own }] : frames;
  let entries: Dirent[];
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return;
  }
  for (const e of entries) {
    const abs = join(dir, e.name);
    if (e.isDirectory()) {
      if (SKIP_DIRS.has(e.name) || ignored(here, abs, true)) continue;
      walk(abs, here, out);
    } else if (e.isFile() && isScannable(e.name) && !ignored(here, abs, false)) out.push(abs);
  }
}

export interface FileList {
  files: string[];
  /** How the list was made, for the report. */
  source: 'git' | 'walk';
}

/** Every scannable file under the given paths (files given by name are taken as they are). */
export function listFiles(paths: readonly string[], cwd: string, opts: { git?: boolean } = {}): FileList {
  const out = new Set<string>();
  let source: FileList['source'] = 'git';
  for (const p of paths) {
    const abs = resolve(cwd, p);
    const st = statSync(abs);
    if (!st.isDirectory()) {
      out.add(abs);
      continue;
    }
    const fromGit = opts.git === false ? null : gitFiles(abs);
    if (fromGit) {
      for (const f of fromGit) if (isScannable(f) && !inSkippedDir(relative(abs, f))) out.add(f);
    } else {
      source = 'walk';
      const found: string[] = [];
      walk(abs, [], found);
      for (const f of found) out.add(f);
    }
  }
  return { files: [...out].sort(), source };
}
