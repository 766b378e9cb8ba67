import { randomBytes } from 'node:crypto';
import { pc } from '../core/color.js';
import { createDemoWorkspace } from './workspace.js';
import type { DemoContext } from './story-io.js';
import { pinChapter } from './chapters/pin.js';
import { evalsChapter } from './chapters/evals.js';
import { agentChapter } from './chapters/agent.js';
import { gatewayChapter } from './chapters/gateway.js';
import { canaryChapter } from './chapters/canary.js';
import { shadowChapter } from './chapters/shadow.js';
import { responsesUpstreamChapter } from './chapters/responses-upstream.js';
import { structuredOutputsChapter } from './chapters/structured-outputs.js';
import { fallbackChapter } from './chapters/fallback.js';
import { promoteChapter } from './chapters/promote.js';
import { reasoningChapter } from './chapters/reasoning.js';
import { outdatedChapter } from './chapters/outdated.js';

export type Chapter = (ctx: DemoContext) => Promise<void>;

/** The whole story in order; each chapter is a set of real modelpin commands on the simulator. */
export const CHAPTERS: Chapter[] = [
  pinChapter,
  evalsChapter,
  agentChapter,
  gatewayChapter,
  responsesUpstreamChapter,
  structuredOutputsChapter,
  reasoningChapter,
  shadowChapter,
  canaryChapter,
  fallbackChapter,
  promoteChapter,
  outdatedChapter,
];

export interface DemoResult {
  workspace: string;
  surprises: string[];
}

export async function runDemo(opts: { dir?: string; write?: (line: string) => void } = {}): Promise<DemoResult> {
  const ws = createDemoWorkspace(opts.dir);
  const adminToken = randomBytes(16).toString('hex');
  const ctx: DemoContext = {
    ws,
    adminToken,
    env: { ...process.env, MODELPIN_ADMIN_TOKEN: adminToken, USER: process.env.USER ?? 'demo' },
    surprises: [],
    write: opts.write ?? ((l) => process.stdout.write(l + '\n')),
  };
  ctx.write(pc.bold('modelpin demo') + pc.dim(' — every model below is the built-in SIMULATOR; no keys, no network.'));
  ctx.write(pc.dim(`workspace: ${ws}`));
  for (const chapter of CHAPTERS) await chapter(ctx);
  ctx.write('');
  if (ctx.surprises.length === 0) ctx.write(pc.green('✓ the whole story played as expected'));
  else {
    ctx.write(pc.red(`✗ ${ctx.surprises.length} step(s) did not behave as the story expects:`));
    for (const s of ctx.surprises) ctx.write(`  - ${s}`);
  }
  return { workspace: ws, surprises: ctx.surprises };
}
