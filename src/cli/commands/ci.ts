import type { Command } from 'commander';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { ConfigError, UsageError } from '../../core/errors.js';
import { prTarget } from '../../ci/github-env.js';
import { DEFAULT_MARKER, upsertComment } from '../../ci/pr-comment.js';
import { action } from '../action.js';
import { EXIT } from '../exit-codes.js';
import { addCommand, type CommandModule } from '../registry.js';

export interface CiCommentOptions {
  file: string;
  marker?: string;
  repo?: string;
  pr?: string;
  apiUrl?: string;
  tokenEnv?: string;
  timeout?: string;
  json?: boolean;
}

export interface CiIo {
  out(text: string): void;
  cwd: string;
  env: Record<string, string | undefined>;
}

export async function runCiComment(o: CiCommentOptions, io: CiIo): Promise<number> {
  const tokenEnv = o.tokenEnv ?? 'GITHUB_TOKEN';
  const token = io.env[tokenEnv];
  if (!token) throw new UsageError(`${tokenEnv} is not set: the comment needs a token with pull-requests: write`);
  const target = prTarget(
    {
      ...(o.repo !== undefined ? { repo: o.repo } : {}),
      ...(o.pr !== undefined ? { pr: o.pr } : {}),
      ...(o.apiUrl !== undefined ? { apiUrl: o.apiUrl } : {}),
    },
    io.env,
  );
  const timeoutMs = o.timeout !== undefined ? Number(o.timeout) : 15_000;
  if (!Number.isInteger(timeoutMs) || timeoutMs < 1)
    throw new UsageError(`--timeout must be milliseconds, got ${JSON.stringify(o.timeout)}`);
  const marker = o.marker ?? DEFAULT_MARKER;
  if (!/^<!--[\s\S]*-->$/.test(marker))
    throw new UsageError(`--marker must be an HTML comment like ${DEFAULT_MARKER}, so it stays hidden`);
  let body: string;
  try {
    body = readFileSync(resolve(io.cwd, o.file), 'utf8');
  } catch (e) {
    throw new ConfigError(`${o.file}: cannot read the report: ${e instanceof Error ? e.message : String(e)}`, {
      file: o.file,
    });
  }
  const r = await upsertComment({ ...target, token, body, marker, timeoutMs });
  io.out(
    o.json
      ? JSON.stringify({ ...r, repo: target.repo, pr: target.pr })
      : `${r.action} comment ${r.id} on ${target.repo}#${target.pr}: ${r.url}`,
  );
  return EXIT.ok;
}

export function registerCi(
  program: Command,
  io: () => CiIo = () => ({ out: (t) => console.log(t), cwd: process.cwd(), env: process.env }),
): void {
  const ci = addCommand(program, 'ci');
  ci.command('comment')
    .description(
      'Create or update the pull-request comment that carries a hidden marker, with a Markdown report as its body',
    )
    .requiredOption('-f, --file <report.md>', 'the Markdown report (e.g. from modelpin eval --markdown)')
    .option('--marker <html-comment>', 'hidden marker that finds the comment again', DEFAULT_MARKER)
    .option('--repo <owner/name>', 'repository (default: GITHUB_REPOSITORY)')
    .option('--pr <number>', 'pull request number (default: from the event in GITHUB_EVENT_PATH)')
    .option('--api-url <url>', 'GitHub REST API base (default: GITHUB_API_URL, else https://api.github.com)')
    .option('--token-env <name>', 'environment variable holding the token', 'GITHUB_TOKEN')
    .option('--timeout <ms>', 'deadline per API call', '15000')
    .option('--json', 'print {action, id, url, repo, pr} as JSON')
    .addHelpText(
      'after',
      `
The token is read from the environment only and never printed. One comment per marker: a second
run updates it in place (comments are searched page by page, 100 at a time).

Exit codes: 0 comment created or updated, 2 usage error (no token, no PR number, unreadable
report, or the token lacks permission), 3 GitHub API unreachable or failing.

Examples:
  modelpin ci comment --file reports/drift.md
  modelpin ci comment --file drift.md --repo acme/app --pr 42 --marker '<!-- modelpin-eval:nightly -->'`,
    )
    .action(action((o: CiCommentOptions) => runCiComment(o, io())));
}

export const command: CommandModule = { register: (program) => registerCi(program) };
