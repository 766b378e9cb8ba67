/** The tool-call drift section of a compare report: what the candidate's tool calls do differently, per case. */
import type { Block } from './blocks.js';
import type { CompareReport } from '../compare.js';

export function toolDriftBlocks(c: CompareReport): Block[] {
  const drifted = c.cases.filter((x) => x.tools !== null && x.tools.changes.length > 0);
  if (drifted.length === 0) return [];
  const items = drifted.map((x) => {
    const t = x.tools;
    if (!t) return '';
    const follow = `${t.candidateFollow}/${t.candidateSamples} ${c.candidate.arm} samples follow the ${c.base.arm} trajectory (${t.baseFollow}/${t.baseSamples} on ${c.base.arm}), p=${t.p.toPrecision(2)}${t.significant ? '' : ', not significant'}`;
    return `${x.suite}/${x.caseId} [${x.route}]: ${t.changes.join('; ')}. ${follow}`;
  });
  return [
    { kind: 'heading', level: 3, text: 'Tool-call changes' },
    { kind: 'list', items },
  ];
}
