/** The human-readable report as format-neutral blocks; Markdown and HTML render the same content. */
import type { EvalReport } from './types.js';
import type { CompareReport } from '../compare.js';
import { fmtMs, fmtPct, fmtUsd, reasons, repeatsNote, share } from './format-helpers.js';
import { toolDriftBlocks } from './tool-drift.js';
import { SIGNAL_HEAD, reachabilityLine, signalRow } from '../signals.js';

export type Block =
  | { kind: 'heading'; level: 1 | 2 | 3; text: string }
  | { kind: 'para'; text: string; strong?: boolean }
  | { kind: 'table'; head: string[]; rows: string[][] }
  | { kind: 'list'; items: string[] }
  /** Both sides' answers for one case, for a reviewer to see the drifted text itself. */
  | { kind: 'answers'; title: string; baseLabel: string; candidateLabel: string; base: string; candidate: string };

const STATUS = { passed: 'pass', failed: 'FAIL', errored: 'ERROR' } as const;

export function reportBlocks(r: EvalReport): Block[] {
  const { run } = r;
  const out: Block[] = [{ kind: 'heading', level: 1, text: 'modelpin eval report' }];
  if (r.compare) out.push({ kind: 'para', text: r.compare.verdictLine, strong: true });
  if (r.reachability) out.push({ kind: 'para', text: reachabilityLine(r.reachability) });
  if (run.interrupted)
    out.push({
      kind: 'para',
      text: `Interrupted: ${run.completedSamples} of ${run.plannedSamples} samples completed; results are partial.`,
      strong: true,
    });
  out.push({
    kind: 'para',
    text: `Suites: ${run.suites.map((s) => `${s.name} (${s.file})`).join(', ')}. Started ${new Date(run.startedAt).toISOString()}, took ${fmtMs(run.finishedAt - run.startedAt)}.`,
  });
  const note = cacheNote(r);
  if (note) out.push({ kind: 'para', text: note, strong: true });
  out.push({
    kind: 'table',
    head: [
      'Arm',
      'Env',
      'Served models',
      'Passed',
      'Failed',
      'Errored',
      'Retried',
      'Tokens in/out',
      'Cost',
      'p50',
      'p95',
    ],
    rows: run.arms.map((a) => {
      const s = a.summary;
      return [
        a.arm,
        a.env,
        s.servedModels.join(', ') || 'n/a',
        `${s.passed}/${s.cases}`,
        String(s.failed),
        String(s.errored),
        String(s.retriedSamples),
        `${s.inputTokens}/${s.outputTokens}`,
        fmtUsd(s.costUsd),
        fmtMs(s.p50LatencyMs),
        fmtMs(s.p95LatencyMs),
      ];
    }),
  });
  for (const a of run.arms) {
    const bad = a.cases.filter((c) => c.status !== 'passed');
    out.push({
      kind: 'heading',
      level: 2,
      text: `${a.arm}: ${bad.length === 0 ? 'all cases passed' : `${bad.length} case${bad.length === 1 ? '' : 's'} not passing`}`,
    });
    out.push({
      kind: 'table',
      head: ['Suite', 'Case', 'Route', 'Target', 'Status', 'Score', 'Why'],
      rows: a.cases.map((c) => [
        c.suite,
        c.caseId,
        c.route,
        c.target,
        STATUS[c.status] + repeatsNote(c),
        c.score.toFixed(2),
        reasons(c).join('; '),
      ]),
    });
  }
  if (r.compare) out.push(...compareBlocks(r.compare));
  return out;
}

function compareBlocks(c: CompareReport): Block[] {
  const b = c.base;
  const d = c.candidate;
  const out: Block[] = [{ kind: 'heading', level: 2, text: `Drift: ${d.arm} vs ${b.arm}` }];
  out.push({
    kind: 'table',
    head: ['Measure', b.arm, d.arm],
    rows: [
      ['Served models', b.servedModels.join(', ') || 'n/a', d.servedModels.join(', ') || 'n/a'],
      ['Fingerprints', b.fingerprints.join(', ') || 'n/a', d.fingerprints.join(', ') || 'n/a'],
      [
        'Samples passed',
        `${b.passedSamples}/${b.gradedSamples}`,
        `${d.passedSamples}/${d.gradedSamples} (p=${c.passRateP.toPrecision(2)})`,
      ],
      [
        'JSON fenced',
        share(b.format.fenced, b.format.jsonBearing),
        `${share(d.format.fenced, d.format.jsonBearing)} (p=${c.fencedP.toPrecision(2)})`,
      ],
      [
        'Bare (valid) JSON',
        share(b.format.bareJson, b.format.jsonBearing),
        `${share(d.format.bareJson, d.format.jsonBearing)} (p=${c.bareJsonP.toPrecision(2)})`,
      ],
      [
        'Refusals',
        share(b.refusals, b.gradedSamples),
        `${share(d.refusals, d.gradedSamples)} (p=${c.refusalP.toPrecision(2)})`,
      ],
      [
        'Schema-valid',
        share(b.format.schemaValid, b.format.schemaChecked),
        share(d.format.schemaValid, d.format.schemaChecked),
      ],
      [
        'Output tokens (per-case means)',
        b.outputTokens.toFixed(0),
        `${d.outputTokens.toFixed(0)} (${fmtPct(c.outputTokenDeltaPct)})`,
      ],
      ['Cost (per-case means)', fmtUsd(b.costUsd), `${fmtUsd(d.costUsd)} (${fmtPct(c.costDeltaPct)})`],
      [
        'Latency p50 / p95',
        `${fmtMs(b.p50LatencyMs)} / ${fmtMs(b.p95LatencyMs)}`,
        `${fmtMs(d.p50LatencyMs)} / ${fmtMs(d.p95LatencyMs)}`,
      ],
      ['Output similarity (mean)', '', c.meanSimilarity === null ? 'n/a' : c.meanSimilarity.toFixed(2)],
    ],
  });
  out.push({
    kind: 'heading',
    level: 3,
    text: `Signals (alpha ${c.alpha}; a signal gates when p < alpha and the effect reaches its floor)`,
  });
  out.push({ kind: 'table', head: SIGNAL_HEAD, rows: c.signals.map(signalRow) });
  const changes: string[] = [];
  for (const e of c.enumChanges) {
    if (e.onlyCandidate.length) changes.push(`${e.path}: only in ${d.arm}: ${e.onlyCandidate.join(', ')}`);
    if (e.onlyBase.length) changes.push(`${e.path}: only in ${b.arm}: ${e.onlyBase.join(', ')}`);
  }
  for (const f of c.fields.dropped) changes.push(`field dropped in ${d.arm}: ${f}`);
  for (const f of c.fields.added) changes.push(`field added in ${d.arm}: ${f}`);
  if (changes.length > 0)
    out.push({ kind: 'heading', level: 3, text: 'Enum and field changes' }, { kind: 'list', items: changes });
  out.push(...toolDriftBlocks(c));
  const regressed = c.cases.filter(
    (x) => x.change === 'regression' && x.baseAnswer !== null && x.candidateAnswer !== null,
  );
  if (regressed.length > 0) {
    out.push({ kind: 'heading', level: 3, text: 'Answers of regressed cases' });
    for (const x of regressed) {
      out.push({
        kind: 'answers',
        title: `${x.suite}/${x.caseId} [${x.route}]`,
        baseLabel: b.arm,
        candidateLabel: d.arm,
        base: x.baseAnswer ?? '',
        candidate: x.candidateAnswer ?? '',
      });
    }
  }
  out.push({ kind: 'heading', level: 3, text: 'Per case' });
  out.push({
    kind: 'table',
    head: ['Suite', 'Case', 'Route', b.arm, d.arm, 'Change', 'p', 'Output tokens', 'Similarity'],
    rows: c.cases.map((x) => [
      x.suite,
      x.caseId,
      x.route,
      x.base ? `${x.base.status} ${x.base.passes}/${x.base.passes + x.base.failures}` : '-',
      x.candidate ? `${x.candidate.status} ${x.candidate.passes}/${x.candidate.passes + x.candidate.failures}` : '-',
      x.significant ? `${x.change} (significant)` : x.change,
      x.p.toPrecision(2),
      x.baseOutputTokens === null || x.candidateOutputTokens === null
        ? 'n/a'
        : `${x.baseOutputTokens.toFixed(0)} -> ${x.candidateOutputTokens.toFixed(0)} (${fmtPct(x.tokenDeltaPct)})`,
      x.similarity === null ? 'n/a' : x.similarity.toFixed(2),
    ]),
  });
  return out;
}

/** Said wherever latency is shown: cached answers were not timed now, and a rerun from cache proves nothing new. */
export function cacheNote(r: EvalReport): string | null {
  const cached = r.run.arms.reduce((n, a) => n + a.summary.cachedSamples, 0);
  if (cached === 0) return null;
  const total = r.run.arms.reduce((n, a) => n + a.summary.samples, 0);
  const all = cached === total;
  return `${all ? 'All' : `${cached} of ${total}`} samples came from the local answer cache (.modelpin/cache): no model was called for them, so they carry no latency (p50/p95 count fresh calls only) and are not new evidence. Run with --no-cache for fresh answers.`;
}
