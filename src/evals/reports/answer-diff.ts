/** The two answers of a drifted case, marked where they differ: line-level for Markdown, word-level for HTML. */
import { diffLines, diffWordsWithSpace } from 'diff';

export interface Marked {
  text: string;
  /** Present only on one side. */
  changed: boolean;
}

/** Word-level runs of each side: what the base has that the candidate lost, and what the candidate added. */
export function wordRuns(base: string, candidate: string): { base: Marked[]; candidate: Marked[] } {
  const out: { base: Marked[]; candidate: Marked[] } = { base: [], candidate: [] };
  for (const part of diffWordsWithSpace(base, candidate)) {
    if (!part.added) out.base.push({ text: part.value, changed: part.removed });
    if (!part.removed) out.candidate.push({ text: part.value, changed: part.added });
  }
  return out;
}

/** A unified line diff (`-` base, `+` candidate, two spaces for shared lines). */
export function unifiedLines(base: string, candidate: string): string {
  const lines: string[] = [];
  for (const part of diffLines(base, candidate)) {
    const sign = part.added ? '+' : part.removed ? '-' : ' ';
    for (const line of part.value.replace(/\n$/, '').split('\n')) lines.push(`${sign} ${line}`);
  }
  return lines.join('\n');
}

/** A fence longer than any backtick run in the text, so an answer that holds ``` cannot close it. */
export function fenceFor(text: string): string {
  const longest = Math.max(2, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
  return '`'.repeat(longest + 1);
}
