/** Lint output: text for people, json for tools, github for workflow annotations. */
import { pc } from '../core/color.js';
import type { Finding } from './types.js';
import { summarize } from './lint.js';

export const LINT_FORMATS = ['text', 'json', 'github'] as const;
export type LintFormat = (typeof LINT_FORMATS)[number];

export interface LintReport {
  file: string;
  env: string;
  today: string;
  catalogAsOf: string;
  findings: Finding[];
}

const LABEL = { error: pc.red('error'), warning: pc.yellow('warning'), info: pc.cyan('info') } as const;

function text(r: LintReport): string {
  const lines = r.findings.map((f) => {
    const where = f.line !== undefined ? `${r.file}:${f.line}:${f.col}` : r.file;
    return `${where}  ${LABEL[f.severity]}  ${f.message}  ${pc.dim(`[${f.rule}]`)}`;
  });
  const s = summarize(r.findings);
  const ctx = pc.dim(`(env ${r.env}, today ${r.today}, catalog as of ${r.catalogAsOf})`);
  if (s.errors + s.warnings + s.infos === 0) lines.push(`${pc.green('✓')} ${r.file}: no problems ${ctx}`);
  else
    lines.push(
      `${s.errors > 0 ? pc.red('✗') : pc.yellow('!')} ${s.errors} error(s), ${s.warnings} warning(s), ${s.infos} info ${ctx}`,
    );
  return lines.join('\n');
}

const escData = (s: string): string => s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
const escProp = (s: string): string => escData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
const COMMAND = { error: 'error', warning: 'warning', info: 'notice' } as const;

function github(r: LintReport): string {
  const lines = r.findings.map((f) => {
    const props = [`file=${escProp(r.file)}`];
    if (f.line !== undefined) props.push(`line=${f.line}`, `col=${f.col}`);
    props.push(`title=${escProp(`modelpin ${f.rule}`)}`);
    return `::${COMMAND[f.severity]} ${props.join(',')}::${escData(f.message)}`;
  });
  const s = summarize(r.findings);
  lines.push(
    `modelpin lint: ${s.errors} error(s), ${s.warnings} warning(s), ${s.infos} info (env ${r.env}, today ${r.today})`,
  );
  return lines.join('\n');
}

export function formatReport(r: LintReport, format: LintFormat): string {
  if (format === 'json') return JSON.stringify({ ...r, summary: summarize(r.findings) }, null, 2);
  if (format === 'github') return github(r);
  return text(r);
}
