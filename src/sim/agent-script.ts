/**
 * Scripted tool-calling agents. A snapshot's `agent:` scripts say which tool calls it makes at each
 * step of a task and what it finally answers. The step is read off the conversation: the number of
 * tool rounds (assistant turns with tool calls) since the task's user message. A script whose last
 * step is a call keeps making it, which is how a looping agent is simulated.
 */
import type { CanonicalRequest, ContentPart, Message, ToolUsePart } from '../wire/canonical.js';
import type { Rendered } from './render.js';
import { strictToolInput } from './structured.js';
import { interpolate, interpolateJson, matchAll, toolOffered, type Vars } from './rules.js';
import type { AgentScript, MatchSource } from './scenario-schema.js';

export type ScriptedTurn =
  | { kind: 'calls'; scriptId: string; calls: Array<{ name: string; input: Record<string, unknown> }> }
  | { kind: 'text'; scriptId: string; text: string };

const hasText = (m: Message): boolean => m.content.some((p) => p.type === 'text' && p.text.trim() !== '');
const texts = (parts: ContentPart[], kind: 'text' | 'tool_result'): string[] =>
  parts.flatMap((p) =>
    kind === 'text' && p.type === 'text'
      ? [p.text]
      : kind === 'tool_result' && p.type === 'tool_result'
        ? p.content.flatMap((c) => (c.type === 'text' ? [c.text] : []))
        : [],
  );

/** Where the task starts (the last user message with text) and how many tool rounds followed it. */
export function taskProgress(req: CanonicalRequest): { task: number; rounds: number } {
  let task = -1;
  req.messages.forEach((m, i) => {
    if (m.role === 'user' && hasText(m)) task = i;
  });
  const rounds = req.messages
    .slice(task + 1)
    .filter((m) => m.role === 'assistant' && m.content.some((p) => p.type === 'tool_use')).length;
  return { task, rounds };
}

/** The texts a script's conditions read: the task text, tool results since it, the system prompt, everything. */
function scriptTexts(req: CanonicalRequest, task: number): Record<MatchSource, string> {
  const after = req.messages.slice(task + 1);
  const taskMsg = req.messages[task];
  return {
    user: taskMsg ? texts(taskMsg.content, 'text').join('\n') : '',
    tool_result: after.flatMap((m) => texts(m.content, 'tool_result')).join('\n'),
    system: req.system ?? '',
    any: [
      req.system ?? '',
      ...req.messages.flatMap((m) => [...texts(m.content, 'text'), ...texts(m.content, 'tool_result')]),
    ]
      .filter(Boolean)
      .join('\n'),
  };
}

/** The first script whose conditions hold and whose tools are all offered; null lets the rules answer. */
export function scriptedTurn(
  req: CanonicalRequest,
  scripts: readonly AgentScript[] | undefined,
  base: Vars,
): ScriptedTurn | null {
  if (!scripts || scripts.length === 0 || !req.tools || req.tools.length === 0) return null;
  const { task, rounds } = taskProgress(req);
  const hay = scriptTexts(req, task);
  const last = req.messages[req.messages.length - 1];
  // `{{tool_result}}`: what the last round of tool calls returned, so an answer can quote it.
  const lastResults =
    last && last.role === 'user' && task < req.messages.length - 1 ? texts(last.content, 'tool_result').join('\n') : '';
  for (const s of scripts) {
    const vars = matchAll(s.match, hay, { ...base, tool_result: lastResults });
    if (!vars) continue;
    const offered = s.steps.every((st) => !('calls' in st) || st.calls.every((c) => toolOffered(req, c.name)));
    if (!offered) continue;
    const step = s.steps[Math.min(rounds, s.steps.length - 1)];
    if (!step) continue;
    if ('text' in step) return { kind: 'text', scriptId: s.id, text: interpolate(step.text, vars) };
    const v = vars;
    return {
      kind: 'calls',
      scriptId: s.id,
      calls: step.calls.map((c) => ({ name: c.name, input: interpolateJson(c.input, v) as Record<string, unknown> })),
    };
  }
  return null;
}

/** A scripted turn's tool calls as the answer's content: one tool_use part per call, ids unique per call. */
export function scriptedCalls(
  req: CanonicalRequest,
  calls: Array<{ name: string; input: Record<string, unknown> }>,
  idBase: string,
): Rendered {
  return {
    content: calls.map((c, i): ToolUsePart => ({
      type: 'tool_use',
      id: calls.length === 1 ? idBase : `${idBase}_${i + 1}`,
      name: c.name,
      input: strictToolInput(req, c.name, c.input),
    })),
    stopReason: 'tool_use',
  };
}
