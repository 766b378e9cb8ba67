import { pc } from '../../core/color.js';
import type { EvalReport } from './types.js';
import { fmtMs, fmtUsd, reasons, repeatsNote } from './format-helpers.js';
import { cacheNote } from './blocks.js';
import { notableSignals, signalLine } from '../signals.js';

/** The terminal summary: one line per arm, the cases that did not pass with their reasons, the verdict. */
export function consoleSummary(r: EvalReport, opts: { quiet?: boolean } = {}): string[] {
  const lines: string[] = [];
  for (const a of r.run.arms) {
    const s = a.summary;
    const head =
      `${pc.bold(a.arm)}: ${s.passed}/${s.cases} cases passed` +
      (s.failed ? `, ${pc.red(`${s.failed} failed`)}` : '') +
      (s.errored ? `, ${pc.yellow(`${s.errored} errored`)}` : '');
    const detail =
      `served ${s.servedModels.join(', ') || 'n/a'} · tokens ${s.inputTokens}/${s.outputTokens} · cost ${fmtUsd(s.costUsd)} · p50 ${fmtMs(s.p50LatencyMs)} p95 ${fmtMs(s.p95LatencyMs)}` +
      (s.retriedSamples ? ` · ${s.retriedSamples} retried` : '') +
      (s.cachedSamples ? ` · ${s.cachedSamples} cached` : '');
    lines.push(`${head} (${detail})`);
    if (opts.quiet) continue;
    for (const c of a.cases) {
      if (c.status === 'passed') continue;
      const tag = c.status === 'failed' ? pc.red('FAIL ') : pc.yellow('ERROR');
      lines.push(`  ${tag} ${c.suite}/${c.caseId} [${c.route}]${repeatsNote(c)}`);
      for (const why of reasons(c)) lines.push(`        ${why}`);
    }
  }
  const note = cacheNote(r);
  if (note) lines.push(pc.yellow(note));
  if (r.run.interrupted)
    lines.push(
      pc.yellow(`interrupted: ${r.run.completedSamples}/${r.run.plannedSamples} samples completed; partial results`),
    );
  if (r.compare) {
    if (!opts.quiet)
      for (const sig of notableSignals(r.compare.signals))
        lines.push(`  ${sig.state === 'drift' && sig.gates ? pc.red(signalLine(sig)) : signalLine(sig)}`);
    const v = r.compare.verdict;
    lines.push(
      v === 'drift'
        ? pc.red(r.compare.verdictLine)
        : v === 'changed' || v === 'insufficient'
          ? pc.yellow(r.compare.verdictLine)
          : pc.green(r.compare.verdictLine),
    );
  }
  return lines;
}
