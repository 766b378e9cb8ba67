/** Turn a rule's draft into the snapshot's answer: JSON drift, fences, tone, verbosity, stop and max tokens. */
import type { StopReason, TextPart, ToolUsePart } from '../wire/canonical.js';
import { applyJsonDrift } from './json-drift.js';
import type { Draft } from './rules.js';
import type { Behaviour } from './scenario-schema.js';
import { countTokens, truncateToTokens } from '../core/tokenizer.js';
import { pad, trim } from './verbosity.js';

export interface Rendered {
  content: Array<TextPart | ToolUsePart>;
  stopReason: StopReason;
  stopSequence?: string;
}

export interface RenderOptions {
  filler: string[];
  trimWords: string[];
  toolUseId: string;
  stop?: string[];
  maxTokens?: number;
  /** The answer's exact text (structured outputs): no fences, tone or verbosity changes. */
  exactText?: string;
}

function withTone(text: string, tone: Behaviour['tone']): string {
  let out = text;
  const prefix = tone?.prefix ?? '';
  const suffix = tone?.suffix ?? '';
  // A fence must start and end on its own line.
  if (prefix) out = out.startsWith('```') && !prefix.endsWith('\n') ? `${prefix.trimEnd()}\n${out}` : prefix + out;
  if (suffix) out = out.endsWith('```') && !suffix.startsWith('\n') ? `${out}\n${suffix.trimStart()}` : out + suffix;
  return out;
}

/** Prose around the answer is allowed for text and fenced JSON; bare JSON stays parseable. */
function renderText(draft: Draft, b: Behaviour, opts: RenderOptions): string {
  if (draft.kind === 'tool') return '';
  let base: string;
  if (draft.kind === 'json') {
    const value = applyJsonDrift(draft.value, b.json, draft.ruleId);
    const fenced = draft.fences ?? b.json?.fences ?? false;
    if (!fenced) return JSON.stringify(value);
    base = '```json\n' + JSON.stringify(value, null, 2) + '\n```';
  } else {
    base = draft.text;
  }
  const baseTokens = countTokens(draft.kind === 'json' ? JSON.stringify(draft.value) : base);
  const toned = withTone(base, b.tone);
  const pct = b.verbosity ?? 0;
  if (pct > 0) return pad(toned, Math.ceil(baseTokens * (1 + pct / 100)), opts.filler);
  if (pct < 0) return trim(toned, Math.floor(baseTokens * (1 + pct / 100)), opts.trimWords);
  return toned;
}

export function render(draft: Draft, b: Behaviour, opts: RenderOptions): Rendered {
  if (draft.kind === 'tool') {
    return {
      content: [{ type: 'tool_use', id: opts.toolUseId, name: draft.name, input: draft.input }],
      stopReason: 'tool_use',
    };
  }
  let text = opts.exactText ?? renderText(draft, b, opts);
  let stopReason: StopReason = 'end_turn';
  let stopSequence: string | undefined;
  for (const s of opts.stop ?? []) {
    const at = s === '' ? -1 : text.indexOf(s);
    if (at >= 0 && (stopSequence === undefined || at < text.indexOf(stopSequence))) stopSequence = s;
  }
  if (stopSequence !== undefined) {
    text = text.slice(0, text.indexOf(stopSequence));
    stopReason = 'stop_sequence';
  }
  if (opts.maxTokens !== undefined && countTokens(text) > opts.maxTokens) {
    text = truncateToTokens(text, opts.maxTokens);
    stopReason = 'max_tokens';
    stopSequence = undefined;
  }
  return {
    content: [{ type: 'text', text }],
    stopReason,
    ...(stopSequence !== undefined ? { stopSequence } : {}),
  };
}

/** Output tokens of an answer: text plus tool name and JSON input. */
export function outputTokens(content: Rendered['content']): number {
  let n = 0;
  for (const p of content)
    n += p.type === 'text' ? countTokens(p.text) : countTokens(p.name) + countTokens(JSON.stringify(p.input));
  return n;
}
