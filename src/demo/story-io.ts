import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { pc } from '../core/color.js';
import { runCli, startCli, type Background, type CliResult } from './cli-runner.js';

/** Shared state and output helpers for the demo's chapters. */
export interface DemoContext {
  ws: string;
  env: Record<string, string | undefined>;
  adminToken: string;
  /** Steps whose exit code differed from what the story expects. */
  surprises: string[];
  write(line: string): void;
}

const MAX_LINES = 40;

export function chapter(ctx: DemoContext, title: string, story: string): void {
  ctx.write('');
  ctx.write(pc.bold(pc.cyan(`━━ ${title}`)));
  for (const line of story.split('\n')) ctx.write(pc.dim(line));
}

function show(ctx: DemoContext, text: string): void {
  const lines = text
    .replace(/\s+$/, '')
    .split('\n')
    .filter((l, i, a) => !(l === '' && a[i - 1] === ''));
  const shown =
    lines.length > MAX_LINES
      ? [...lines.slice(0, MAX_LINES), pc.dim(`… ${lines.length - MAX_LINES} more lines`)]
      : lines;
  for (const l of shown) if (l.length) ctx.write(`  ${l}`);
}

/** Run a modelpin command as a user would, print it and its output, and check its exit code. */
export async function cli(
  ctx: DemoContext,
  args: string[],
  expect: number,
  opts: { now?: string; quiet?: boolean } = {},
): Promise<CliResult> {
  const prefix = opts.now ? pc.dim(`MODELPIN_NOW=${opts.now} `) : '';
  const line = `${pc.green('$')} ${prefix}modelpin ${args.join(' ')}`;
  if (!opts.quiet) ctx.write(line);
  const res = await runCli(args, { cwd: ctx.ws, env: ctx.env, ...(opts.now ? { now: opts.now } : {}) });
  // Per-case progress lines (stderr when not a TTY) would drown the story; summaries stay.
  const stderr = res.stderr
    .split('\n')
    .filter((l) => !/^\s*\[\d+\/\d+\]/.test(l))
    .join('\n');
  if (!opts.quiet) show(ctx, res.stdout + (stderr.trim() ? `\n${stderr}` : ''));
  const mark =
    res.code === expect ? pc.dim(`(exit ${res.code})`) : pc.red(`(exit ${res.code}, the story expected ${expect})`);
  if (!opts.quiet || res.code !== expect) ctx.write(`  ${mark}`);
  if (res.code !== expect) {
    if (opts.quiet) {
      ctx.write(line);
      show(ctx, res.stdout + '\n' + res.stderr);
    }
    ctx.surprises.push(`modelpin ${args.join(' ')} exited ${res.code}, expected ${expect}`);
  }
  return res;
}

export async function background(
  ctx: DemoContext,
  args: string[],
  now?: string,
  readyPattern = /listening on (http:\/\/\S+)/,
): Promise<Background> {
  ctx.write(`${pc.green('$')} ${now ? pc.dim(`MODELPIN_NOW=${now} `) : ''}modelpin ${args.join(' ')} &`);
  const bg = await startCli(args, { cwd: ctx.ws, env: ctx.env, ...(now ? { now } : {}), readyPattern });
  ctx.write(`  ${pc.dim(`listening on ${bg.url}`)}`);
  return bg;
}

/** Run `body` with a command in the background (a gateway, a dashboard, the simulator), stopped afterwards whatever happens. */
export async function withBackground(
  ctx: DemoContext,
  args: string[],
  now: string | undefined,
  body: (bg: Background) => Promise<void>,
  readyPattern?: RegExp,
): Promise<void> {
  const bg = await background(ctx, args, now, readyPattern);
  try {
    await body(bg);
  } finally {
    await bg.stop();
  }
}

/**
 * A production gateway in front of the simulator over HTTP: the simulator starts, `configFile` is
 * written from `config` (given the simulator's URL) and served from `now`; both stop after `body`.
 */
export async function withSimulatedGateway(
  ctx: DemoContext,
  configFile: string,
  config: (simUrl: string) => string,
  now: string,
  body: (gw: Background) => Promise<void>,
): Promise<void> {
  await withBackground(ctx, ['simulate', '--port', '0', '--fast'], undefined, async (sim) => {
    writeFileSync(path.join(ctx.ws, configFile), config(sim.url));
    await withBackground(ctx, ['serve', '--config', configFile, '--env', 'production', '--port', '0'], now, body);
  });
}

export function note(ctx: DemoContext, text: string): void {
  ctx.write(`  ${pc.yellow('›')} ${text}`);
}

export function check(ctx: DemoContext, ok: boolean, what: string): void {
  if (ok) note(ctx, what);
  else {
    ctx.write(`  ${pc.red('✗')} expected: ${what}`);
    ctx.surprises.push(what);
  }
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Poll `cond` every 50 ms until it holds or `ms` pass; says which. */
export async function waitFor(cond: () => Promise<boolean>, ms: number): Promise<boolean> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await cond()) return true;
    await sleep(50);
  }
  return false;
}
