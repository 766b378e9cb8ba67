/** How `modelpin scan` prints: a table for people, JSON for machines, workflow commands for GitHub. */
import { pc } from '../core/color.js';
import type { ScanFinding } from './findings.js';
import type { ScanResult } from './scan.js';

export const SCAN_FORMATS = ['text', 'json', 'github'] as const;
export type ScanFormat = (typeof SCAN_FORMATS)[number];

const COLOR: Record<ScanFinding['kind'], (s: string) => string> = {
  retired: pc.red,
  retiring: pc.red,
  floating: pc.yellow,
  preview: pc.yellow,
  bypass: pc.cyan,
};

export function counts(findings: readonly ScanFinding[]): Record<ScanFinding['kind'], number> {
  const c = { retired: 0, retiring: 0, floating: 0, preview: 0, bypass: 0 };
  for (const f of findings) c[f.kind]++;
  return c;
}

function summary(r: ScanResult): string {
  const c = counts(r.findings);
  const parts = Object.entries(c)
    .filter(([, n]) => n > 0)
    .map(([k, n]) => `${n} ${k}`);
  const what = r.findings.length === 0 ? 'no model ids to fix' : `${r.findings.length} finding(s): ${parts.join(', ')}`;
  return `${what}. ${r.files} file(s) listed (${r.source === 'git' ? 'git ls-files' : 'walk with .gitignore'}), ${r.searched} mention a model id head; today ${r.today}, catalog as of ${r.catalogAsOf}.`;
}

function text(r: ScanResult, hints: boolean): string {
  const lines: string[] = [];
  for (const f of r.findings) {
    lines.push(`${f.file}:${f.line}:${f.col}  ${COLOR[f.kind](f.kind.padEnd(8))}  ${f.message}`);
    if (hints && f.hint) lines.push(pc.dim(`    fix: ${f.hint}`));
  }
  lines.push(pc.dim(summary(r)));
  return lines.join('\n');
}

/** Workflow-command values escape %, CR and LF; properties also escape : and ,. */
const escData = (s: string): string => s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
const escProp = (s: string): string => escData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');

function github(r: ScanResult, hints: boolean): string {
  const lines = r.findings.map((f) => {
    const msg = hints && f.hint ? `${f.message}. Fix: ${f.hint}` : f.message;
    return `::${f.severity} file=${escProp(f.file)},line=${f.line},col=${f.col},title=${escProp(`modelpin scan: ${f.kind}`)}::${escData(msg)}`;
  });
  lines.push(summary(r));
  return lines.join('\n');
}

export function formatScan(r: ScanResult, format: ScanFormat, opts: { hints: boolean }): string {
  if (format === 'json') {
    const findings = r.findings.map((f) => (opts.hints ? f : { ...f, hint: undefined }));
    return JSON.stringify(
      {
        tool: 'modelpin',
        command: 'scan',
        today: r.today,
        catalogAsOf: r.catalogAsOf,
        files: r.files,
        searched: r.searched,
        skipped: r.skipped,
        source: r.source,
        counts: counts(r.findings),
        findings,
      },
      null,
      2,
    );
  }
  return format === 'github' ? github(r, opts.hints) : text(r, opts.hints);
}
