import type { Reporter } from './types.js';
import { reportBlocks, type Block } from './blocks.js';
import { wordRuns, type Marked } from './answer-diff.js';

const esc = (s: string): string =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

function block(b: Block): string {
  if (b.kind === 'heading') return `<h${b.level}>${esc(b.text)}</h${b.level}>`;
  if (b.kind === 'para')
    return b.strong ? `<p class="verdict"><strong>${esc(b.text)}</strong></p>` : `<p>${esc(b.text)}</p>`;
  if (b.kind === 'list') return `<ul>${b.items.map((i) => `<li>${esc(i)}</li>`).join('')}</ul>`;
  if (b.kind === 'answers') {
    const runs = wordRuns(b.base, b.candidate);
    const col = (label: string, parts: Marked[], tag: 'del' | 'ins'): string =>
      `<div class="answer"><div class="label">${esc(label)}</div><pre>${parts.map((p) => (p.changed ? `<${tag}>${esc(p.text)}</${tag}>` : esc(p.text))).join('')}</pre></div>`;
    return `<section class="answers"><h4>${esc(b.title)}</h4><div class="pair">${col(b.baseLabel, runs.base, 'del')}${col(b.candidateLabel, runs.candidate, 'ins')}</div></section>`;
  }
  const cls = (v: string): string =>
    /^(FAIL|ERROR|regression)/.test(v) ? ' class="bad"' : /^(pass|fix)/.test(v) ? ' class="good"' : '';
  return `<table><thead><tr>${b.head.map((h) => `<th>${esc(h)}</th>`).join('')}</tr></thead><tbody>${b.rows
    .map((r) => `<tr>${r.map((c) => `<td${cls(c)}>${esc(c)}</td>`).join('')}</tr>`)
    .join('')}</tbody></table>`;
}

const STYLE = `body{font:14px/1.45 system-ui,sans-serif;margin:2rem;color:#222}table{border-collapse:collapse;margin:.5rem 0 1.5rem}th,td{border:1px solid #ccc;padding:.25rem .5rem;text-align:left;vertical-align:top}th{background:#f4f4f4}.bad{color:#b00020;font-weight:600}.good{color:#0a7a2f}.verdict{font-size:1.1rem}.pair{display:grid;grid-template-columns:1fr 1fr;gap:1rem}.answer pre{white-space:pre-wrap;word-break:break-word;background:#f8f8f8;border:1px solid #ddd;padding:.5rem;margin:0}.label{font-weight:600;margin-bottom:.25rem}del{background:#fde2e2;color:#8a0010;text-decoration:line-through}ins{background:#d9f5df;color:#0a5a22;text-decoration:none}`;

export const htmlReporter: Reporter = {
  description: 'A self-contained HTML page (no scripts, no external assets).',
  extension: 'html',
  render: (r) =>
    `<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><title>modelpin eval report</title><style>${STYLE}</style></head><body>\n${reportBlocks(
      r,
    )
      .map(block)
      .join('\n')}\n</body></html>\n`,
};
