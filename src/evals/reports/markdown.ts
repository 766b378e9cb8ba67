import type { Reporter } from './types.js';
import { reportBlocks, type Block } from './blocks.js';

const cell = (s: string): string => s.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');

export function renderMarkdown(blocks: readonly Block[]): string {
  const out: string[] = [];
  for (const b of blocks) {
    if (b.kind === 'heading') out.push(`${'#'.repeat(b.level)} ${b.text}`);
    else if (b.kind === 'para') out.push(b.strong ? `**${b.text}**` : b.text);
    else if (b.kind === 'list') out.push(b.items.map((i) => `- ${i}`).join('\n'));
    else {
      out.push(
        [`| ${b.head.map(cell).join(' | ')} |`, `|${b.head.map(() => '---').join('|')}|`, ...b.rows.map((r) => `| ${r.map(cell).join(' | ')} |`)].join('\n'),
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
