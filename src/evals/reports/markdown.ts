import type { Reporter } from './types.js';
import { reportBlocks, type Block } from './blocks.js';
import { fenceFor, unifiedLines } from './answer-diff.js';

const htmlText = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const cell = (s: string): string => s.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');

export function renderMarkdown(blocks: readonly Block[]): string {
  const out: string[] = [];
  for (const b of blocks) {
    if (b.kind === 'heading') out.push(`${'#'.repeat(b.level)} ${b.text}`);
    else if (b.kind === 'para') out.push(b.strong ? `**${b.text}**` : b.text);
    else if (b.kind === 'list') out.push(b.items.map((i) => `- ${i}`).join('\n'));
    else if (b.kind === 'answers') {
      // Collapsed: a PR comment stays short, and a reviewer opens the cases they care about.
      const body = unifiedLines(b.base, b.candidate);
      const fence = fenceFor(body);
      out.push(
        `<details><summary>${htmlText(b.title)}: <code>-</code> ${htmlText(b.baseLabel)}, <code>+</code> ${htmlText(b.candidateLabel)}</summary>\n\n${fence}diff\n${body}\n${fence}\n\n</details>`,
      );
    } else {
      out.push(
        [
          `| ${b.head.map(cell).join(' | ')} |`,
          `|${b.head.map(() => '---').join('|')}|`,
          ...b.rows.map((r) => `| ${r.map(cell).join(' | ')} |`),
        ].join('\n'),
      );
    }
  }
  return out.join('\n\n') + '\n';
}

export const markdownReporter: Reporter = {
  description: 'Markdown summary for PR comments and CI job summaries ($GITHUB_STEP_SUMMARY).',
  extension: 'md',
  render: (r) => renderMarkdown(reportBlocks(r)),
};
