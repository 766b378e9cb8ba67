/** What a GitHub Actions job tells a step through its environment: API URL, repository, PR number. */
import { readFileSync } from 'node:fs';
import { UsageError } from '../core/errors.js';

export interface PrTarget {
  apiUrl: string;
  repo: string;
  pr: number;
}

/** The pull request number from the event payload (GITHUB_EVENT_PATH), for pull_request and issue_comment events. */
export function prFromEvent(path: string | undefined): number | undefined {
  if (!path) return undefined;
  let event: unknown;
  try {
    event = JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    return undefined;
  }
  const e = event as {
    pull_request?: { number?: unknown };
    issue?: { number?: unknown; pull_request?: unknown };
    number?: unknown;
  };
  const n = e.pull_request?.number ?? (e.issue?.pull_request ? e.issue.number : undefined) ?? e.number;
  return typeof n === 'number' && Number.isInteger(n) && n > 0 ? n : undefined;
}

export function prTarget(
  flags: { repo?: string; pr?: string; apiUrl?: string },
  env: Record<string, string | undefined>,
): PrTarget {
  const repo = flags.repo ?? env.GITHUB_REPOSITORY;
  if (!repo || !/^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/.test(repo))
    throw new UsageError(`--repo must be owner/name (or set GITHUB_REPOSITORY), got ${JSON.stringify(repo ?? '')}`);
  let pr: number | undefined;
  if (flags.pr !== undefined) {
    pr = Number(flags.pr);
    if (!Number.isInteger(pr) || pr < 1)
      throw new UsageError(`--pr must be a pull request number, got ${JSON.stringify(flags.pr)}`);
  } else pr = prFromEvent(env.GITHUB_EVENT_PATH);
  if (pr === undefined)
    throw new UsageError('no pull request: pass --pr <number>, or run on a pull_request event (GITHUB_EVENT_PATH)');
  const apiUrl = flags.apiUrl ?? env.GITHUB_API_URL ?? 'https://api.github.com';
  if (!/^https?:\/\//.test(apiUrl))
    throw new UsageError(`--api-url must be an http(s) URL, got ${JSON.stringify(apiUrl)}`);
  return { apiUrl, repo, pr };
}
