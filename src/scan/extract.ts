/**
 * Finds the strings in one file that may be model ids: quoted literals in code and JSON, values in
 * .env, YAML, TOML and INI files. Pure: text in, candidates out. A file that does not match the
 * pre-filter (the id heads the catalog knows) is never split into lines.
 */

export type CandidateContext =
  /** An SDK call or constructor that takes the model as an argument: `GenerativeModel("…")`. */
  | 'sdk-call'
  /** A key or parameter that names a model: `model: "…"`, `model="…"`, `OPENAI_MODEL=…`. */
  | 'model-key'
  /** Any other string literal or config value. */
  | 'literal';

export interface Candidate {
  value: string;
  /** 1-based. */
  line: number;
  /** 1-based column of the value's first character. */
  col: number;
  context: CandidateContext;
}

export type FileKind = 'code' | 'env' | 'config';

export function fileKind(name: string): FileKind {
  if (/(?:^|[\\/])\.env(?:\.[^\\/]+)?$|\.env$/.test(name)) return 'env';
  if (/\.(?:ya?ml|toml|ini|cfg|conf|properties|tfvars)$/i.test(name)) return 'config';
  return 'code';
}

const ESCAPE = /[.*+?^${}()|[\]\\]/g;

/**
 * One regex for the id heads the catalog knows (`gpt-`, `claude-`, `gemini-`, `o3`, …), built from
 * every catalog id and the literal prefixes of the families' id patterns. Files without a match
 * are skipped whole, which is what keeps a large tree fast.
 */
export function prefilterFor(ids: Iterable<string>, extraHeads: Iterable<string> = []): RegExp {
  const heads = new Set<string>();
  for (const id of ids) {
    const m = /^([a-z]+)([-.@:]|\d)/i.exec(id);
    if (m?.[1] && m[2])
      heads.add(m[1].toLowerCase().replace(ESCAPE, '\\$&') + (/\d/.test(m[2]) ? '\\d' : m[2].replace(ESCAPE, '\\$&')));
  }
  for (const h of extraHeads) if (h.length >= 2) heads.add(h.toLowerCase().replace(ESCAPE, '\\$&'));
  const alts = [...heads].sort((a, b) => b.length - a.length);
  return new RegExp(`(?<![A-Za-z0-9_])(?:${alts.join('|')})`, 'i');
}

/** Literal prefixes of id patterns such as `^(?:mistral-|codestral-)` or `^claude-`; regex-shaped parts are left out. */
export function literalHeads(patterns: Iterable<string>): string[] {
  const out: string[] = [];
  for (const p of patterns) {
    const body = p.replace(/^\^/, '').replace(/^\(\?:(.*)\)$/, '$1');
    for (const alt of body.split('|')) {
      const m = /^[a-z][a-z-]*[-.]/i.exec(alt.replace(/\\\./g, '.'));
      if (m) out.push(m[0]);
    }
  }
  return out;
}

/** A model id has no spaces and stays short: the shape every candidate must have. */
const ID_SHAPE = /^[A-Za-z0-9][A-Za-z0-9._:@/+-]{1,199}$/;

const QUOTED = /(["'`])((?:\\.|(?!\1)[^\\\n])*)\1/g;
const SDK_CALL =
  /(?:GenerativeModel|getGenerativeModel|ChatOpenAI|ChatAnthropic|ChatGoogleGenerativeAI|ChatVertexAI|ChatMistralAI|init_chat_model|openai|anthropic|google|mistral|xai|languageModel|chat|completion|LLM|Model)\s*\(\s*(?:\{\s*)?(?:model(?:_name|Name|Id|_id)?\s*[:=]\s*)?$/;
const MODEL_KEY =
  /(?:^|[^A-Za-z0-9])(?:[A-Za-z0-9]*_)?(?:model|MODEL|Model)(?:_?(?:name|id|Name|Id|NAME|ID))?["']?\s*(?:[:=]|=>|:=)\s*$/;

function contextOf(before: string): CandidateContext {
  if (SDK_CALL.test(before)) return 'sdk-call';
  if (MODEL_KEY.test(before)) return 'model-key';
  return 'literal';
}

const ENV_LINE = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_.-]*)\s*=\s*(["']?)([^"'\s#]+)\2/;
const LIST_ITEM = /^(\s*-\s+)([^"'\s#[{][^\s#,]*)\s*(?:#.*)?$/;
const KV_LINE = /^(\s*(?:-\s+)?([A-Za-z_][\w.-]*)\s*[:=]\s*)([^"'\s#[{][^\s#,]*)\s*(?:#.*)?$/;

/**
 * Candidates in one file. `prefilter` is tested on the whole text first and again per line, so
 * only lines that mention a known id head are searched for literals.
 */
export function extractCandidates(text: string, kind: FileKind, prefilter: RegExp): Candidate[] {
  if (!prefilter.test(text)) return [];
  const out: Candidate[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as string;
    if (line.length > 4000 || !prefilter.test(line)) continue;
    const seen = new Set<number>();
    if (kind === 'env') {
      const m = ENV_LINE.exec(line);
      if (m?.[3]) {
        const col = line.indexOf(m[3], m[0].length - m[3].length - (m[2]?.length ?? 0)) + 1;
        push(out, seen, m[3], i + 1, col, /model/i.test(m[1] ?? '') ? 'model-key' : 'literal');
      }
      continue;
    }
    if (kind === 'config') {
      const m = KV_LINE.exec(line);
      if (m?.[3] && m[1] !== undefined)
        push(out, seen, m[3], i + 1, m[1].length + 1, /model/i.test(m[2] ?? '') ? 'model-key' : 'literal');
      const item = LIST_ITEM.exec(line);
      if (item?.[1] !== undefined && item[2]) push(out, seen, item[2], i + 1, item[1].length + 1, 'literal');
    }
    for (const q of line.matchAll(QUOTED)) {
      const value = q[2] ?? '';
      const start = (q.index ?? 0) + 1;
      push(out, seen, value, i + 1, start + 1, contextOf(line.slice(0, start - 1)));
    }
  }
  return out;
}

function push(
  out: Candidate[],
  seen: Set<number>,
  raw: string,
  line: number,
  col: number,
  context: CandidateContext,
): void {
  const value = raw.trim();
  if (!ID_SHAPE.test(value) || seen.has(col)) return;
  seen.add(col);
  out.push({ value, line, col, context });
}
