/** Deterministic answers: the first rule whose conditions all hold produces a draft reply. */
import type { CanonicalRequest, ContentPart } from '../wire/canonical.js';
import type { Condition, MatchSource, Rule } from './scenario-schema.js';

export type Draft =
  | { kind: 'text'; ruleId: string | undefined; text: string }
  | { kind: 'json'; ruleId: string; value: Record<string, unknown>; fences: boolean | undefined }
  | { kind: 'tool'; ruleId: string; name: string; input: Record<string, unknown> };

export type Vars = Record<string, string>;

function textOf(parts: ContentPart[], kind: 'text' | 'tool_result'): string {
  const out: string[] = [];
  for (const p of parts) {
    if (kind === 'text' && p.type === 'text') out.push(p.text);
    if (kind === 'tool_result' && p.type === 'tool_result') {
      for (const c of p.content) if (c.type === 'text') out.push(c.text);
    }
  }
  return out.join('\n');
}

/** The texts conditions can look at. */
export function requestTexts(req: CanonicalRequest): Record<MatchSource, string> {
  const lastUser = [...req.messages].reverse().find((m) => m.role === 'user');
  const all = req.messages.map((m) =>
    [textOf(m.content, 'text'), textOf(m.content, 'tool_result')].filter(Boolean).join('\n'),
  );
  return {
    user: lastUser ? textOf(lastUser.content, 'text') : '',
    tool_result: lastUser ? textOf(lastUser.content, 'tool_result') : '',
    system: req.system ?? '',
    any: [req.system ?? '', ...all].filter(Boolean).join('\n'),
  };
}

export function matchCondition(c: Condition, texts: Record<MatchSource, string>): Vars | null {
  const hay = texts[c.in];
  if (c.contains !== undefined) return hay.toLowerCase().includes(c.contains.toLowerCase()) ? {} : null;
  const m = new RegExp(c.regex ?? '', c.flags ?? '').exec(hay);
  if (!m) return null;
  const vars: Vars = {};
  m.forEach((g, i) => {
    vars[String(i)] = g ?? '';
  });
  for (const [k, v] of Object.entries(m.groups ?? {})) vars[k] = v ?? '';
  return vars;
}

/** Every condition of a `match` (one, a list, or none) against the texts: the variables they capture on top of `base`, or null. */
export function matchAll(
  match: Condition | Condition[] | undefined,
  texts: Record<MatchSource, string>,
  base: Vars,
): Vars | null {
  let vars: Vars = { ...base };
  for (const c of match === undefined ? [] : Array.isArray(match) ? match : [match]) {
    const got = matchCondition(c, texts);
    if (!got) return null;
    vars = { ...vars, ...got };
  }
  return vars;
}

export function toolOffered(req: CanonicalRequest, name: string): boolean {
  if (!req.tools?.some((t) => t.name === name)) return false;
  const choice = req.toolChoice;
  if (choice?.type === 'none') return false;
  return choice?.type !== 'tool' || choice.name === name;
}

export function interpolate(template: string, vars: Vars): string {
  return template.replace(/\{\{\s*([\w-]+)\s*\}\}/g, (_, k: string) => vars[k] ?? '');
}

export function interpolateJson(value: unknown, vars: Vars): unknown {
  if (typeof value === 'string') return interpolate(value, vars);
  if (Array.isArray(value)) return value.map((v) => interpolateJson(v, vars));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, interpolateJson(v, vars)]));
  }
  return value;
}

/** First matching rule -> draft; `base` carries `input`, `system`, `model` for templates. */
export function answer(req: CanonicalRequest, rules: Rule[], base: Vars): Draft | null {
  const texts = requestTexts(req);
  for (const rule of rules) {
    const vars = matchAll(rule.match, texts, base);
    if (!vars) continue;
    const reply = rule.reply;
    if ('tool_call' in reply) {
      if (!toolOffered(req, reply.tool_call.name)) continue;
      const input = interpolateJson(reply.tool_call.input, vars) as Record<string, unknown>;
      return { kind: 'tool', ruleId: rule.id, name: reply.tool_call.name, input };
    }
    if ('json' in reply) {
      const value = interpolateJson(reply.json, vars) as Record<string, unknown>;
      return { kind: 'json', ruleId: rule.id, value, fences: reply.fences };
    }
    return { kind: 'text', ruleId: rule.id, text: interpolate(reply.text, vars) };
  }
  return null;
}
