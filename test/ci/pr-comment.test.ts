import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCiComment } from '../../src/cli/commands/ci.js';
import { commentBody, DEFAULT_MARKER, MAX_BODY, nextLink, upsertComment } from '../../src/ci/pr-comment.js';
import { isModelpinError } from '../../src/core/errors.js';
import { reportError } from '../../src/cli/action.js';

const TOKEN = 'ghs_standin_token_0123456789';

interface Comment {
  id: number;
  body: string;
  html_url: string;
}

/** A stand-in for the GitHub REST API's issue-comment endpoints, paging like GitHub (Link rel="next"). */
class FakeGitHub {
  comments: Comment[] = [];
  requests: Array<{ method: string; path: string; auth: string | undefined }> = [];
  nextId = 1000;
  /** Answer every request with this status and body instead. */
  fail?: { status: number; body: string };
  hang = false;
  private server?: Server;
  url = '';

  async start(): Promise<void> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((r) => this.server?.listen(0, '127.0.0.1', r));
    const a = this.server.address();
    this.url = `http://127.0.0.1:${typeof a === 'object' && a ? a.port : 0}`;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((r) => this.server?.close(() => r()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const u = new URL(req.url ?? '/', this.url);
    this.requests.push({ method: req.method ?? '', path: `${u.pathname}${u.search}`, auth: req.headers.authorization });
    if (this.hang) return;
    const send = (status: number, body: unknown, headers: Record<string, string> = {}): void => {
      res.writeHead(status, { 'content-type': 'application/json', ...headers });
      res.end(typeof body === 'string' ? body : JSON.stringify(body));
    };
    if (this.fail) return send(this.fail.status, this.fail.body);
    if (req.headers.authorization !== `Bearer ${TOKEN}`) return send(401, { message: 'Bad credentials' });
    let raw = '';
    for await (const chunk of req) raw += String(chunk);
    const list = /^\/repos\/acme\/app\/issues\/7\/comments$/.exec(u.pathname);
    const one = /^\/repos\/acme\/app\/issues\/comments\/(\d+)$/.exec(u.pathname);
    if (list && req.method === 'GET') {
      const per = Number(u.searchParams.get('per_page') ?? 30);
      const page = Number(u.searchParams.get('page') ?? 1);
      const slice = this.comments.slice((page - 1) * per, page * per);
      const more = page * per < this.comments.length;
      return send(
        200,
        slice,
        more
          ? {
              link: `<${this.url}/repos/acme/app/issues/7/comments?per_page=${per}&page=${page + 1}>; rel="next", <${this.url}/x>; rel="last"`,
            }
          : {},
      );
    }
    if (list && req.method === 'POST') {
      const c = {
        id: this.nextId++,
        body: (JSON.parse(raw) as { body: string }).body,
        html_url: `https://github.example/acme/app/pull/7#issuecomment-${this.nextId - 1}`,
      };
      this.comments.push(c);
      return send(201, c);
    }
    if (one && req.method === 'PATCH') {
      const c = this.comments.find((x) => x.id === Number(one[1]));
      if (!c) return send(404, { message: 'Not Found' });
      c.body = (JSON.parse(raw) as { body: string }).body;
      return send(200, c);
    }
    send(404, { message: 'Not Found' });
  }
}

let gh: FakeGitHub;
afterEach(async () => {
  await gh?.stop();
});

async function standIn(): Promise<FakeGitHub> {
  gh = new FakeGitHub();
  await gh.start();
  return gh;
}

const filler = (n: number): Comment[] =>
  Array.from({ length: n }, (_, i) => ({
    id: i + 1,
    body: `a review comment ${i + 1}`,
    html_url: `https://github.example/c/${i + 1}`,
  }));

describe('sticky PR comment against a local stand-in for the GitHub API', () => {
  it('creates the comment when none carries the marker, then updates that one on the next run', async () => {
    const api = await standIn();
    api.comments = filler(3);
    const first = await upsertComment({
      apiUrl: api.url,
      token: TOKEN,
      repo: 'acme/app',
      pr: 7,
      body: '# run 1\nNO DRIFT',
    });
    expect(first.action).toBe('created');
    expect(api.comments).toHaveLength(4);
    expect(api.comments[3]?.body).toBe(`${DEFAULT_MARKER}\n# run 1\nNO DRIFT\n`);
    const second = await upsertComment({
      apiUrl: api.url,
      token: TOKEN,
      repo: 'acme/app',
      pr: 7,
      body: '# run 2\nDRIFT',
    });
    expect(second).toEqual({ action: 'updated', id: first.id, url: first.url });
    expect(api.comments).toHaveLength(4);
    expect(api.comments[3]?.body).toContain('# run 2');
    expect(api.requests.every((r) => r.auth === `Bearer ${TOKEN}`)).toBe(true);
  });

  it('follows Link rel="next" to find the marker on a later page', async () => {
    const api = await standIn();
    api.comments = [
      ...filler(230),
      { id: 5000, body: `${DEFAULT_MARKER}\nold report`, html_url: 'https://github.example/c/5000' },
      ...filler(5),
    ];
    const r = await upsertComment({ apiUrl: api.url, token: TOKEN, repo: 'acme/app', pr: 7, body: 'new report' });
    expect(r).toEqual({ action: 'updated', id: 5000, url: 'https://github.example/c/5000' });
    expect(api.requests.filter((q) => q.method === 'GET').map((q) => q.path)).toEqual([
      '/repos/acme/app/issues/7/comments?per_page=100',
      '/repos/acme/app/issues/7/comments?per_page=100&page=2',
      '/repos/acme/app/issues/7/comments?per_page=100&page=3',
    ]);
    expect(api.comments.filter((c) => c.body.includes(DEFAULT_MARKER))).toHaveLength(1);
    expect(api.comments.find((c) => c.id === 5000)?.body).toBe(`${DEFAULT_MARKER}\nnew report\n`);
  });

  it('keeps comments with another marker apart', async () => {
    const api = await standIn();
    await upsertComment({ apiUrl: api.url, token: TOKEN, repo: 'acme/app', pr: 7, body: 'pr gate' });
    await upsertComment({
      apiUrl: api.url,
      token: TOKEN,
      repo: 'acme/app',
      pr: 7,
      body: 'nightly',
      marker: '<!-- modelpin-eval:nightly -->',
    });
    expect(api.comments.map((c) => c.body.split('\n')[0])).toEqual([DEFAULT_MARKER, '<!-- modelpin-eval:nightly -->']);
  });

  it('never prints the token, even when the API echoes it; a failure is an error with a status', async () => {
    const api = await standIn();
    api.fail = { status: 500, body: JSON.stringify({ message: `internal error for token ${TOKEN}` }) };
    const e = await upsertComment({ apiUrl: api.url, token: TOKEN, repo: 'acme/app', pr: 7, body: 'x' }).catch(
      (x: unknown) => x,
    );
    expect(isModelpinError(e)).toBe(true);
    expect(String((e as Error).message)).toContain('500 internal error for token ***');
    expect(String((e as Error).message)).not.toContain(TOKEN);
    expect(reportError(e)).toBe(3);
    api.fail = { status: 403, body: JSON.stringify({ message: 'Resource not accessible by integration' }) };
    const denied = await upsertComment({ apiUrl: api.url, token: TOKEN, repo: 'acme/app', pr: 7, body: 'x' }).catch(
      (x: unknown) => x,
    );
    expect((denied as Error).message).toMatch(
      /403 Resource not accessible by integration \(the token needs pull-requests: write/,
    );
    expect(reportError(denied)).toBe(2);
  });

  it('gives up after its deadline when the API does not answer', async () => {
    const api = await standIn();
    api.hang = true;
    const e = await upsertComment({
      apiUrl: api.url,
      token: TOKEN,
      repo: 'acme/app',
      pr: 7,
      body: 'x',
      timeoutMs: 200,
    }).catch((x: unknown) => x);
    expect(isModelpinError(e) && e.code).toBe('timeout');
    expect((e as Error).message).toBe('GitHub API GET /repos/acme/app/issues/7/comments: no answer within 200 ms');
  });

  it('`modelpin ci comment` reads the PR from the event payload and the API URL from GITHUB_API_URL', async () => {
    const api = await standIn();
    const dir = mkdtempSync(join(tmpdir(), 'mp-ci-'));
    writeFileSync(join(dir, 'drift.md'), '# modelpin eval report\n\n**DRIFT: staging regresses 3 cases**\n');
    writeFileSync(join(dir, 'event.json'), JSON.stringify({ action: 'synchronize', pull_request: { number: 7 } }));
    const out: string[] = [];
    const env = {
      GITHUB_TOKEN: TOKEN,
      GITHUB_API_URL: api.url,
      GITHUB_REPOSITORY: 'acme/app',
      GITHUB_EVENT_PATH: join(dir, 'event.json'),
    };
    expect(await runCiComment({ file: 'drift.md' }, { out: (t) => out.push(t), cwd: dir, env })).toBe(0);
    expect(await runCiComment({ file: 'drift.md', json: true }, { out: (t) => out.push(t), cwd: dir, env })).toBe(0);
    expect(out[0]).toBe('created comment 1000 on acme/app#7: https://github.example/acme/app/pull/7#issuecomment-1000');
    expect(JSON.parse(out[1] ?? '')).toMatchObject({ action: 'updated', id: 1000, repo: 'acme/app', pr: 7 });
    expect(out.join('\n')).not.toContain(TOKEN);
    await expect(
      runCiComment({ file: 'drift.md' }, { out: () => undefined, cwd: dir, env: { ...env, GITHUB_TOKEN: '' } }),
    ).rejects.toThrow(/GITHUB_TOKEN is not set/);
    await expect(
      runCiComment(
        { file: 'drift.md' },
        { out: () => undefined, cwd: dir, env: { ...env, GITHUB_EVENT_PATH: undefined } },
      ),
    ).rejects.toThrow(/no pull request/);
  });

  it("cuts an oversized report to GitHub's limit and reads Link headers", () => {
    const body = commentBody('x'.repeat(MAX_BODY * 2));
    expect(body.length).toBe(MAX_BODY);
    expect(body.startsWith(`${DEFAULT_MARKER}\n`)).toBe(true);
    expect(body).toContain('report cut to fit a GitHub comment');
    expect(nextLink('<https://h/x?page=2>; rel="next", <https://h/x?page=9>; rel="last"')).toBe('https://h/x?page=2');
    expect(nextLink('<https://h/x?page=1>; rel="prev"')).toBeUndefined();
  });
});
