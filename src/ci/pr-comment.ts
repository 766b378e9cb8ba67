/**
 * One sticky pull-request comment per report: found again by a hidden marker, updated in place,
 * created when absent. Talks to the GitHub REST API at `apiUrl` (GITHUB_API_URL in Actions), with
 * a deadline on every call; the token goes into one header and never into a message.
 */
import { z } from 'zod';
import { ModelpinError } from '../core/errors.js';

export const DEFAULT_MARKER = '<!-- modelpin-eval -->';
/** GitHub refuses comment bodies over 65,536 characters. */
export const MAX_BODY = 65_536;

export interface UpsertOptions {
  /** e.g. https://api.github.com, or GitHub Enterprise's https://host/api/v3. */
  apiUrl: string;
  token: string;
  /** owner/name. */
  repo: string;
  /** Pull request (issue) number. */
  pr: number;
  /** Markdown; the marker is added in front. */
  body: string;
  marker?: string;
  timeoutMs?: number;
  /** Stop looking for the marker after this many pages of 100 comments. */
  maxPages?: number;
}

export interface UpsertResult {
  action: 'created' | 'updated';
  id: number;
  url: string;
}

const commentSchema = z.object({ id: z.number(), body: z.string().nullable().optional(), html_url: z.string() });

/** The marker first, then the report, cut to GitHub's limit with a note saying so. */
export function commentBody(report: string, marker: string = DEFAULT_MARKER): string {
  const full = `${marker}\n${report.trimEnd()}\n`;
  if (full.length <= MAX_BODY) return full;
  const note = '\n\n… (report cut to fit a GitHub comment; the full report is in the job summary and artifacts)\n';
  return full.slice(0, MAX_BODY - note.length) + note;
}

/** The `rel="next"` URL of a Link header, if any. */
export function nextLink(link: string | null): string | undefined {
  if (!link) return undefined;
  for (const part of link.split(',')) {
    const m = /<([^>]+)>\s*;\s*rel="?next"?/.exec(part);
    if (m?.[1]) return m[1];
  }
  return undefined;
}

class GitHubApi {
  constructor(private readonly o: { apiUrl: string; token: string; timeoutMs: number }) {}

  private redact(s: string): string {
    return this.o.token ? s.split(this.o.token).join('***') : s;
  }

  async call(
    method: 'GET' | 'POST' | 'PATCH',
    url: string,
    body?: unknown,
  ): Promise<{ json: unknown; link: string | null }> {
    let res: Response;
    try {
      res = await fetch(url, {
        method,
        headers: {
          accept: 'application/vnd.github+json',
          authorization: `Bearer ${this.o.token}`,
          'x-github-api-version': '2022-11-28',
          'user-agent': 'modelpin',
          ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        },
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
        signal: AbortSignal.timeout(this.o.timeoutMs),
      });
    } catch (e) {
      const timedOut = e instanceof Error && (e.name === 'TimeoutError' || e.name === 'AbortError');
      const why = timedOut
        ? `no answer within ${this.o.timeoutMs} ms`
        : this.redact(e instanceof Error ? ((e.cause as Error | undefined)?.message ?? e.message) : String(e));
      throw new ModelpinError(
        timedOut ? 'timeout' : 'connection',
        `GitHub API ${method} ${new URL(url).pathname}: ${why}`,
        { status: 502 },
      );
    }
    const text = await res.text();
    if (!res.ok) {
      let message = text.slice(0, 200);
      try {
        const m = (JSON.parse(text) as { message?: unknown }).message;
        if (typeof m === 'string') message = m;
      } catch {
        // not JSON: keep the start of the text
      }
      const hint =
        res.status === 401 || res.status === 403 || res.status === 404
          ? ' (the token needs pull-requests: write, or issues: write, on this repository)'
          : '';
      throw new ModelpinError(
        res.status === 401 || res.status === 403 ? 'upstream_auth' : 'upstream_error',
        `GitHub API ${method} ${new URL(url).pathname}: ${res.status} ${this.redact(message)}${hint}`,
        {
          status: res.status === 401 || res.status === 403 || res.status === 404 ? res.status : 502,
        },
      );
    }
    let json: unknown;
    try {
      json = text ? (JSON.parse(text) as unknown) : null;
    } catch {
      throw new ModelpinError(
        'upstream_bad_response',
        `GitHub API ${method} ${new URL(url).pathname}: answer is not JSON`,
        { status: 502 },
      );
    }
    return { json, link: res.headers.get('link') };
  }
}

/** Update the comment that carries the marker, or create it. */
export async function upsertComment(o: UpsertOptions): Promise<UpsertResult> {
  const marker = o.marker ?? DEFAULT_MARKER;
  const api = new GitHubApi({ apiUrl: o.apiUrl, token: o.token, timeoutMs: o.timeoutMs ?? 15_000 });
  const base = o.apiUrl.replace(/\/+$/, '');
  const [owner, name] = o.repo.split('/').map(encodeURIComponent);
  const body = commentBody(o.body, marker);

  let url: string | undefined = `${base}/repos/${owner}/${name}/issues/${o.pr}/comments?per_page=100`;
  let existing: number | undefined;
  for (let page = 0; url && page < (o.maxPages ?? 50) && existing === undefined; page++) {
    const r = await api.call('GET', url);
    const list = z.array(commentSchema).safeParse(r.json);
    if (!list.success)
      throw new ModelpinError('upstream_bad_response', 'GitHub API: the comment list has an unexpected shape', {
        status: 502,
      });
    existing = list.data.find((c) => (c.body ?? '').includes(marker))?.id;
    url = nextLink(r.link);
  }

  const r =
    existing !== undefined
      ? await api.call('PATCH', `${base}/repos/${owner}/${name}/issues/comments/${existing}`, { body })
      : await api.call('POST', `${base}/repos/${owner}/${name}/issues/${o.pr}/comments`, { body });
  const c = commentSchema.safeParse(r.json);
  if (!c.success)
    throw new ModelpinError('upstream_bad_response', 'GitHub API: the comment answer has an unexpected shape', {
      status: 502,
    });
  return { action: existing !== undefined ? 'updated' : 'created', id: c.data.id, url: c.data.html_url };
}
