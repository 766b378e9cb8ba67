import type { ShadowPairRecord } from '../../store/types.js';
import { hasMarkdownFence } from '../../evals/json-text.js';
import { percentile } from '../canary/arm-stats.js';

export interface ShadowAssertionRow {
  key: string;
  samples: number;
  primaryPassRate: number;
  candidatePassRate: number;
}

/** A drift report built from mirrored real traffic. */
export interface ShadowReport {
  route: string;
  pairs: number;
  candidateErrors: number;
  primaryTargets: string[];
  candidateTargets: string[];
  candidateServedModels: string[];
  assertions: ShadowAssertionRow[];
  tokens: { primaryMean: number | null; candidateMean: number | null; deltaShare: number | null };
  fencedShare: { primary: number | null; candidate: number | null };
  p95LatencyMs: { primary: number | null; candidate: number | null };
}

const mean = (xs: number[]): number | null => (xs.length === 0 ? null : xs.reduce((a, b) => a + b, 0) / xs.length);
const share = (xs: boolean[]): number | null => (xs.length === 0 ? null : xs.filter(Boolean).length / xs.length);

/** Pairs a shadow report reads at most (the newest): its cost stays bounded however long the shadow runs. */
export const SHADOW_REPORT_MAX_PAIRS = 5000;

export function shadowReport(route: string, all: readonly ShadowPairRecord[]): ShadowReport {
  const pairs = all.filter((p) => p.route === route);
  const ok = pairs.filter((p) => p.candidateError === null);
  const rows = new Map<string, { n: number; p: number; c: number }>();
  for (const p of ok) {
    for (const [key, r] of Object.entries(p.assertions)) {
      const row = rows.get(key) ?? { n: 0, p: 0, c: 0 };
      row.n++;
      if (r.primary) row.p++;
      if (r.candidate) row.c++;
      rows.set(key, row);
    }
  }
  const primaryMean = mean(ok.map((p) => p.primaryTokens));
  const candidateMean = mean(ok.map((p) => p.candidateTokens));
  return {
    route,
    pairs: pairs.length,
    candidateErrors: pairs.length - ok.length,
    primaryTargets: [...new Set(pairs.map((p) => p.primaryTarget))],
    candidateTargets: [...new Set(pairs.map((p) => p.candidateTarget))],
    candidateServedModels: [...new Set(ok.map((p) => p.candidateServedModel).filter((m): m is string => m !== null))],
    assertions: [...rows.entries()].map(([key, r]) => ({
      key,
      samples: r.n,
      primaryPassRate: r.p / r.n,
      candidatePassRate: r.c / r.n,
    })),
    tokens: {
      primaryMean,
      candidateMean,
      deltaShare:
        primaryMean === null || candidateMean === null || primaryMean === 0
          ? null
          : (candidateMean - primaryMean) / primaryMean,
    },
    fencedShare: {
      primary: share(ok.map((p) => hasMarkdownFence(p.primaryText))),
      candidate: share(ok.map((p) => hasMarkdownFence(p.candidateText))),
    },
    p95LatencyMs: {
      primary: percentile(
        ok.map((p) => p.primaryLatencyMs),
        95,
      ),
      candidate: percentile(
        ok.map((p) => p.candidateLatencyMs),
        95,
      ),
    },
  };
}

const pct = (x: number | null): string => (x === null ? 'n/a' : `${(x * 100).toFixed(1)}%`);
const ms = (x: number | null): string => (x === null ? 'n/a' : `${Math.round(x)} ms`);

export function formatShadowReport(r: ShadowReport): string {
  const lines = [
    `shadow report for ${r.route}: ${r.pairs} mirrored request(s), ${r.candidateErrors} candidate error(s)`,
    `  primary ${r.primaryTargets.join(', ') || 'n/a'}  vs  candidate ${r.candidateTargets.join(', ') || 'n/a'} (served ${r.candidateServedModels.join(', ') || 'n/a'})`,
    `  output tokens: primary ${r.tokens.primaryMean?.toFixed(1) ?? 'n/a'}, candidate ${r.tokens.candidateMean?.toFixed(1) ?? 'n/a'} (${r.tokens.deltaShare === null ? 'n/a' : `${r.tokens.deltaShare >= 0 ? '+' : ''}${(r.tokens.deltaShare * 100).toFixed(1)}%`})`,
    `  fenced answers: primary ${pct(r.fencedShare.primary)}, candidate ${pct(r.fencedShare.candidate)}`,
    `  p95 latency: primary ${ms(r.p95LatencyMs.primary)}, candidate ${ms(r.p95LatencyMs.candidate)}`,
  ];
  if (r.assertions.length > 0) {
    lines.push('  assertion pass rates (primary -> candidate):');
    for (const a of r.assertions)
      lines.push(`    ${a.key.padEnd(24)} ${pct(a.primaryPassRate)} -> ${pct(a.candidatePassRate)}  (${a.samples})`);
  }
  return lines.join('\n');
}
