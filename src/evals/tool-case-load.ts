/** Build a case's tool loop settings from the case and the suite defaults, with errors that name the path. */
import { suiteError } from './issues.js';
import { didYouMean } from '../config/did-you-mean.js';
import type { CompiledAssertion } from './assertions/types.js';
import {
  DEFAULT_MAX_STEPS,
  toCanned,
  toToolDef,
  type AgentSpec,
  type CannedResult,
  type CannedResultInput,
  type SuiteTool,
} from './tool-case.js';

interface ToolFields {
  tools?: SuiteTool[] | undefined;
  tool_results?: Record<string, CannedResultInput[]> | undefined;
  max_steps?: number | undefined;
}

interface Where {
  file: string;
  /** `cases[2]`. */
  path: string;
  /** Templating of canned results with the case's vars. */
  render: (value: unknown, at: string) => unknown;
}

const hint = (name: string, known: readonly string[]): string => {
  const near = didYouMean(name, known);
  return near ? ` (did you mean "${near}"?)` : ` (declared: ${known.join(', ')})`;
};

/** Case tools replace the defaults' tools; canned results add up, the case's tried first. */
export function agentSpec(c: ToolFields, d: ToolFields, w: Where): AgentSpec | undefined {
  const tools = c.tools ?? d.tools;
  const toolsAt = c.tools ? `${w.path}.tools` : 'defaults.tools';
  if (!tools) {
    if (c.tool_results)
      throw suiteError(w.file, `${w.path}.tool_results`, 'tool results need "tools" (in the case or in defaults)');
    if (c.max_steps !== undefined)
      throw suiteError(w.file, `${w.path}.max_steps`, 'max_steps needs "tools" (in the case or in defaults)');
    return undefined;
  }
  const names = tools.map((t) => t.name);
  names.forEach((n, i) => {
    if (names.indexOf(n) !== i) throw suiteError(w.file, `${toolsAt}[${i}].name`, `duplicate tool name "${n}"`);
  });
  const results = new Map<string, CannedResult[]>();
  for (const [src, at] of [
    [c.tool_results, `${w.path}.tool_results`],
    [d.tool_results, 'defaults.tool_results'],
  ] as const) {
    for (const [name, entries] of Object.entries(src ?? {})) {
      if (!names.includes(name))
        throw suiteError(w.file, `${at}.${name}`, `no tool named "${name}"${hint(name, names)}`);
      const list = results.get(name) ?? [];
      entries.forEach((e, i) => list.push(toCanned(w.render(e, `${at}.${name}[${i}]`) as CannedResultInput)));
      results.set(name, list);
    }
  }
  return { tools: tools.map(toToolDef), results, maxSteps: c.max_steps ?? d.max_steps ?? DEFAULT_MAX_STEPS };
}

/** Tool assertions need a tool case, and the tools they name must be declared. */
export function checkToolAssertions(
  assertions: readonly CompiledAssertion[],
  agent: AgentSpec | undefined,
  file: string,
): void {
  for (const a of assertions) {
    const wanted = a.needs.tools;
    if (wanted === undefined) continue;
    if (!agent) throw suiteError(file, a.path, `"${a.type}" checks tool calls, but the case declares no "tools"`);
    const names = agent.tools.map((t) => t.name);
    for (const n of wanted)
      if (!names.includes(n))
        throw suiteError(file, a.path, `names tool "${n}", which the case does not declare${hint(n, names)}`);
  }
}
