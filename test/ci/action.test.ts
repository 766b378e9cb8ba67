/**
 * The composite action at the repository root, run step by step as GitHub would: each step's own
 * bash script from action.yml, its inputs passed through env, against the simulator and a local
 * stand-in for the GitHub API. Nothing is re-typed from the YAML into the test.
 */
import { spawn } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';

const root = join(import.meta.dirname, '..', '..');
const tsx = pathToFileURL(join(root, 'node_modules', 'tsx', 'dist', 'loader.mjs')).href;
const CMD = `${process.execPath} --import ${tsx} ${join(root, 'src', 'cli', 'main.ts')}`;

interface Step {
  name: string;
  id?: string;
  if?: string;
  shell: string;
  env?: Record<string, string>;
  run: string;
}
interface Action {
  runs: { using: string; steps: Step[] };
  inputs: Record<string, { default?: string }>;
}

const action = parse(readFileSync(join(root, 'action.yml'), 'utf8')) as Action;

/** An input's default, or what the test sets; `${{ inputs.x }}` and `${{ steps.eval.outputs.y }}` are resolved from these. */
function resolveEnv(
  step: Step,
  inputs: Record<string, string>,
  outputs: Record<string, string>,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(step.env ?? {})) {
    out[k] = v.replace(/\$\{\{\s*([\w.-]+)\s*\}\}/g, (_m, expr: string) => {
      if (expr.startsWith('inputs.')) return inputs[expr.slice(7)] ?? action.inputs[expr.slice(7)]?.default ?? '';
      if (expr.startsWith('steps.eval.outputs.')) return outputs[expr.slice(19)] ?? '';
      throw new Error(`unexpected expression ${expr}`);
    });
  }
  return out;
}

function outputsOf(file: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const i = line.indexOf('=');
    if (i > 0) out[line.slice(0, i)] = line.slice(i + 1);
  }
  return out;
}

function bash(
  script: string,
  cwd: string,
  env: Record<string, string>,
): Promise<{ status: number | null; stdout: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('bash', ['-e', '-c', script], { cwd, env, timeout: 240_000 });
    let text = '';
    child.stdout.on('data', (c: Buffer) => (text += String(c)));
    child.stderr.on('data', (c: Buffer) => (text += String(c)));
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout: text }));
  });
}

let server: Server;
let apiUrl = '';
const posted: string[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    let raw = '';
    req.on('data', (c: Buffer) => (raw += String(c)));
    req.on('end', () => {
      res.setHeader('content-type', 'application/json');
      if (req.method === 'GET') return res.end('[]');
      posted.push((JSON.parse(raw) as { body: string }).body);
      res.statusCode = 201;
      res.end(JSON.stringify({ id: 1, html_url: 'https://github.example/acme/app/pull/3#issuecomment-1' }));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const a = server.address();
  apiUrl = `http://127.0.0.1:${typeof a === 'object' && a ? a.port : 0}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((r) => server.close(() => r()));
});

describe('action.yml (composite PR gate)', () => {
  it('passes inputs to its scripts through env only', () => {
    expect(action.runs.using).toBe('composite');
    for (const s of action.runs.steps) expect(s.run, s.name).not.toMatch(/\$\{\{/);
    expect(action.inputs.marker?.default).toBe('<!-- modelpin-eval -->');
  });

  it('runs eval --compare, posts the report as the sticky comment, and fails the job on the regression', async () => {
    const ws = mkdtempSync(join(tmpdir(), 'mp-action-'));
    cpSync(join(root, 'examples', 'models.yml'), join(ws, 'models.yml'));
    cpSync(join(root, 'examples', 'evals'), join(ws, 'evals'), { recursive: true });
    writeFileSync(join(ws, 'event.json'), JSON.stringify({ pull_request: { number: 3 } }));
    const ghOutput = join(ws, 'gh-output');
    const summary = join(ws, 'gh-summary');
    writeFileSync(ghOutput, '');
    const inputs = { modelpin: CMD, args: '--today 2026-11-26 --no-cache' };
    const base = {
      PATH: process.env.PATH ?? '',
      HOME: ws,
      GITHUB_OUTPUT: ghOutput,
      GITHUB_STEP_SUMMARY: summary,
      GITHUB_API_URL: apiUrl,
      GITHUB_REPOSITORY: 'acme/app',
      GITHUB_EVENT_PATH: join(ws, 'event.json'),
      GITHUB_EVENT_NAME: 'pull_request',
    };
    const results: Array<{ name: string; status: number | null; stdout: string }> = [];
    for (const step of action.runs.steps) {
      const outputs = outputsOf(ghOutput);
      const env = {
        ...base,
        ...resolveEnv(step, inputs, outputs),
        ...(step.env?.GITHUB_TOKEN ? { GITHUB_TOKEN: 'ghs_test' } : {}),
      };
      // Asynchronous: the stand-in API answers from this same process.
      const r = await bash(step.run, ws, env);
      results.push({ name: step.name, ...r });
    }
    const out = outputsOf(ghOutput);
    expect(out['exit-code']).toBe('1');
    expect(out.verdict).toMatch(/^DRIFT: staging \(sim-chat-2026-11-25\) regresses 3 cases/);
    expect(results[0]?.status).toBe(0);
    expect(results[1]?.status, results[1]?.stdout).toBe(0);
    expect(results[1]?.stdout).toContain('created comment 1 on acme/app#3');
    expect(posted).toHaveLength(1);
    expect(posted[0]?.startsWith('<!-- modelpin-eval -->\n# modelpin eval report')).toBe(true);
    expect(posted[0]).toContain(`**${out.verdict}**`);
    expect(readFileSync(summary, 'utf8')).toContain(out.verdict);
    expect(results[2]?.status).toBe(1);
    expect(results[2]?.stdout).toContain(`::error title=modelpin eval::${out.verdict}`);
  }, 300_000);
});
