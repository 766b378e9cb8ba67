import type { CaseResult, SampleResult } from '../run-types.js';

export const fmtMs = (n: number | null): string => (n === null ? 'n/a' : `${Math.round(n)} ms`);
export const fmtUsd = (n: number | null): string => (n === null ? 'n/a' : `$${n < 0.01 ? n.toFixed(6) : n.toFixed(4)}`);
export const fmtPct = (n: number | null): string => (n === null ? 'n/a' : `${n >= 0 ? '+' : ''}${n.toFixed(1)}%`);
export const share = (n: number, d: number): string => (d === 0 ? 'n/a' : `${Math.round((n / d) * 100)}%`);

/** The first sample that explains the case's status: a failing or errored one, else the first. */
export function telling(c: CaseResult): SampleResult | undefined {
  return (
    c.samples.find((s) => s.status === c.status && s.status !== 'passed') ??
    c.samples.find((s) => s.status !== 'passed') ??
    c.samples[0]
  );
}

/** Why a case did not pass, one reason per failed assertion or the error. */
export function reasons(c: CaseResult): string[] {
  const s = telling(c);
  if (!s) return [];
  if (s.error) return [`${s.error.code}: ${s.error.message}`];
  return s.assertions.filter((a) => !a.pass).map((a) => `${a.label}: ${a.reason}`);
}

export function repeatsNote(c: CaseResult): string {
  const n = c.samples.length;
  if (n <= 1) return '';
  return ` (${c.passes}/${c.passes + c.failures} passed, needs ${c.required}${c.errors > 0 ? `, ${c.errors} errored` : ''})`;
}
