/**
 * A provider call carries one set of options for all its texts, while a Gemini batch may set
 * `outputDimensionality`, `taskType` and `title` per request. Texts with the same options go in one
 * call; the answers are put back in the client's order.
 */
import { joinEmbedResults } from '../providers/embed-result.js';
import type { EmbedOptions, EmbedRequest, EmbedResult } from '../providers/types.js';

export interface EmbedGroup {
  /** Positions of the group's texts in the client's request. */
  indices: number[];
  request: EmbedRequest;
}

const keyOf = (o: EmbedOptions): string => JSON.stringify([o.dimensions ?? null, o.taskType ?? null, o.title ?? null]);

/** Groups in order of first appearance: an OpenAI request, or a batch with one set of options, is one group. */
export function groupByOptions(texts: readonly string[], options: readonly EmbedOptions[]): EmbedGroup[] {
  const groups = new Map<string, EmbedGroup>();
  texts.forEach((text, i) => {
    const o = options[i] ?? {};
    const key = keyOf(o);
    let g = groups.get(key);
    if (!g) {
      g = { indices: [], request: { texts: [], ...o } };
      groups.set(key, g);
    }
    g.indices.push(i);
    g.request.texts.push(text);
  });
  return [...groups.values()];
}

/** The groups' answers as one, vectors in the client's order; usage and model as `joinEmbedResults` joins them. */
export function ungroup(groups: readonly EmbedGroup[], results: readonly EmbedResult[]): EmbedResult {
  const joined = joinEmbedResults(results);
  const count = groups.reduce((n, g) => n + g.indices.length, 0);
  const vectors: number[][] = new Array<number[]>(count);
  let k = 0;
  for (const g of groups) for (const i of g.indices) vectors[i] = joined.vectors[k++] as number[];
  return { ...joined, vectors };
}
