/** Shape of the outputs on one side of a compare: format shares, JSON fields and enum-like values. */
import type { SampleResult } from './run-types.js';
import { extractJson, hasMarkdownFence, parseStrictJson } from './json-text.js';
import { leaves } from './json-path.js';

export interface FormatStats {
  /** Answered samples. */
  samples: number;
  /** JSON-bearing samples whose JSON sits inside markdown fences (code fences of prose answers do not count). */
  fenced: number;
  /** Samples containing JSON (bare, fenced or embedded). */
  jsonBearing: number;
  /** Of those, bare JSON a plain JSON.parse accepts. */
  bareJson: number;
  /** Samples checked by a json-schema assertion, and how many passed it. */
  schemaChecked: number;
  schemaValid: number;
}

export interface OutputShape {
  format: FormatStats;
  /** Leaf path -> enum-like values seen there. */
  values: Map<string, Set<string>>;
  fields: Set<string>;
}

/** Short identifier-like strings (`positive`, `mixed`, `in_progress`) are treated as enum members; prose, names and emails are not. */
const ENUM_LIKE = /^[A-Za-z][A-Za-z0-9_.:-]{0,39}$/;

export function shapeOf(samples: readonly SampleResult[]): OutputShape {
  const format: FormatStats = { samples: 0, fenced: 0, jsonBearing: 0, bareJson: 0, schemaChecked: 0, schemaValid: 0 };
  const values = new Map<string, Set<string>>();
  const fields = new Set<string>();
  for (const s of samples) {
    if (s.status === 'errored') continue;
    format.samples++;
    const schema = s.assertions.filter((a) => a.type === 'json-schema');
    if (schema.length > 0) {
      format.schemaChecked++;
      if (schema.every((a) => a.pass)) format.schemaValid++;
    }
    const json = extractJson(s.output);
    if (!json.ok) continue;
    format.jsonBearing++;
    if (hasMarkdownFence(s.output)) format.fenced++;
    if (parseStrictJson(s.output).ok) format.bareJson++;
    for (const [path, v] of leaves(json.value)) {
      fields.add(path);
      if (typeof v === 'string' && ENUM_LIKE.test(v)) {
        let set = values.get(path);
        if (!set) values.set(path, (set = new Set()));
        set.add(v);
      }
    }
  }
  return { format, values, fields };
}

export interface EnumChange {
  path: string;
  onlyBase: string[];
  onlyCandidate: string[];
}

/** Values seen at a path on only one side, for paths both sides produce. */
export function enumChanges(base: OutputShape, cand: OutputShape): EnumChange[] {
  const out: EnumChange[] = [];
  for (const [path, bv] of base.values) {
    const cv = cand.values.get(path);
    if (!cv) continue;
    const onlyBase = [...bv].filter((v) => !cv.has(v)).sort();
    const onlyCandidate = [...cv].filter((v) => !bv.has(v)).sort();
    if (onlyBase.length + onlyCandidate.length > 0) out.push({ path, onlyBase, onlyCandidate });
  }
  return out.sort((a, b) => a.path.localeCompare(b.path));
}

export function fieldChanges(base: OutputShape, cand: OutputShape): { dropped: string[]; added: string[] } {
  return {
    dropped: [...base.fields].filter((f) => !cand.fields.has(f)).sort(),
    added: [...cand.fields].filter((f) => !base.fields.has(f)).sort(),
  };
}
