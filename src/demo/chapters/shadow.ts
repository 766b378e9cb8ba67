import { chapter, check, cli, note, waitFor, withBackground, type DemoContext } from '../story-io.js';
import { callRoute } from '../wire-calls.js';

interface ShadowReportJson {
  reports: Array<{
    pairs: number;
    fencedShare: { primary: number | null; candidate: number | null };
    tokens: { deltaShare: number | null };
  }>;
}

/** Real traffic mirrored to the new alias target: clients see only the pin, the report sees the drift. */
export async function shadowChapter(ctx: DemoContext): Promise<void> {
  chapter(
    ctx,
    'Wednesday afternoon — try the new snapshot on real traffic, at no risk',
    'Every summarize request is mirrored to sim-chat-2026-11-25. Clients get the pinned answer; both answers are recorded.',
  );
  const now = '2026-11-25T14:00:00Z';
  await withBackground(ctx, ['serve', '--env', 'production', '--port', '0'], now, async (gw) => {
    const admin = ['--gateway', gw.url];
    await cli(
      ctx,
      [
        'shadow',
        'start',
        'summarize',
        '--candidate',
        'sim/sim-chat-2026-11-25',
        '--sample',
        '1',
        '--ttl',
        '24h',
        '--reason',
        'what would the new alias target do?',
        ...admin,
      ],
      0,
      { now },
    );
    // Batches of 4 stay under the mirror's in-flight cap (8), above which samples are skipped, never queued.
    const replies = [];
    for (let batch = 0; batch < 3; batch++)
      replies.push(...(await Promise.all(Array.from({ length: 4 }, () => callRoute(gw.url, 'openai', 'summarize')))));
    check(
      ctx,
      replies.every((r) => r.status === 200 && r.servedModel === 'sim-chat-2026-01-15'),
      'all 12 clients were answered by the pin, untouched by the mirror',
    );
    let report: ShadowReportJson['reports'][number] | undefined;
    await waitFor(async () => {
      const r = await cli(ctx, ['shadow', 'report', 'summarize', '--json', ...admin], 0, { now, quiet: true });
      report = (JSON.parse(r.stdout) as ShadowReportJson).reports[0];
      return (report?.pairs ?? 0) >= 12;
    }, 5000);
    await cli(ctx, ['shadow', 'report', 'summarize', ...admin], 0, { now });
    const fenced = report?.fencedShare.candidate ?? 0;
    note(
      ctx,
      `mirrored pairs: ${report?.pairs ?? 0}; fenced JSON: pin ${pct(report?.fencedShare.primary)}, candidate ${pct(fenced)}; tokens ${pct(report?.tokens.deltaShare, true)}`,
    );
    check(
      ctx,
      (report?.pairs ?? 0) >= 12 && fenced > 0.5 && (report?.fencedShare.primary ?? 1) === 0,
      'the mirror measured the drift on real traffic: the candidate fences its JSON, the pin does not',
    );
    await cli(ctx, ['shadow', 'stop', 'summarize', ...admin], 0, { now });
  });
}

function pct(v: number | null | undefined, signed = false): string {
  if (v === null || v === undefined) return 'n/a';
  const s = `${(v * 100).toFixed(0)}%`;
  return signed && v > 0 ? `+${s}` : s;
}
