import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { background, chapter, check, note, sleep, waitFor, type DemoContext } from '../story-io.js';
import { callRoute } from '../wire-calls.js';

/** An outage of the pinned family: retries, then the fallback chain, then the breaker skips the dead target. */
export async function fallbackChapter(ctx: DemoContext): Promise<void> {
  chapter(
    ctx,
    'Friday — the provider has an outage',
    'To play an outage, the demo swaps the simulator scenario for one where the sim-chat family answers\n529 overloaded to every call. The running gateway reloads models.yml by itself; clients keep getting answers\nfrom the fallback chain (sim-mini), and the circuit breaker stops paying for the dead target.',
  );
  writeFileSync(
    path.join(ctx.ws, 'outage.yml'),
    [
      '# The default scenario, with the chat family down (every call answers 529 overloaded).',
      'name: outage',
      'extends: default',
      'snapshots:',
      '  sim-chat-2026-01-15: { faults: { overloaded: 1.0 } }',
      '',
    ].join('\n'),
  );
  const modelsPath = path.join(ctx.ws, 'models.yml');
  const original = readFileSync(modelsPath, 'utf8');
  const gw = await background(ctx, ['serve', '--env', 'production', '--port', '0'], '2026-11-27T09:00:00Z');
  try {
    const healthy = await callRoute(gw.url, 'anthropic', 'summarize');
    note(ctx, `before: served ${healthy.servedModel} (target ${healthy.target})`);
    writeFileSync(modelsPath, original.replace(/scenario: default\b/, 'scenario: ./outage.yml'));
    await waitFor(
      async () => (await callRoute(gw.url, 'anthropic', 'summarize')).servedModel !== healthy.servedModel,
      5000,
    );
    const attempts: string[] = [];
    let servedByFallback = 0;
    for (let i = 0; i < 8; i++) {
      const r = await callRoute(gw.url, 'anthropic', 'summarize', {
        prompt: 'Summarize: the printer is jammed again.',
      });
      attempts.push(r.attempts ?? '?');
      if (r.servedModel === 'sim-mini-2026-03-01' && r.status === 200) servedByFallback++;
    }
    note(
      ctx,
      `during the outage: ${servedByFallback}/8 answered by sim-mini-2026-03-01; x-modelpin-attempts per request: ${attempts.join(', ')}`,
    );
    check(ctx, servedByFallback === 8, 'every client request was answered by the fallback, none saw the outage');
    check(ctx, attempts.at(-1) === '1', 'once the breaker opened, requests went straight to the fallback (1 attempt)');
    const log = gw.output().split('\n');
    for (const line of log
      .filter((l) => /config reloaded|"upstream error"|falling back|circuit breaker/.test(l))
      .slice(0, 4))
      note(ctx, `gateway log: ${line.slice(0, 200)}`);
    check(
      ctx,
      log.some((l) => l.includes('"circuit breaker"') && l.includes('"to":"open"')),
      'the gateway log says when the breaker opened',
    );
    const metrics = await (await fetch(`${gw.url}/metrics`)).text();
    const fallbacks = metrics.split('\n').filter((l) => l.startsWith('modelpin_fallbacks_total{'));
    for (const line of fallbacks) note(ctx, `metrics: ${line}`);
    check(ctx, fallbacks.length > 0, '/metrics counts the fallbacks (modelpin_fallbacks_total)');
  } finally {
    writeFileSync(modelsPath, original);
    await sleep(300);
    await gw.stop();
  }
}
