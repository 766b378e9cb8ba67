/**
 * Reasoning settings translated for one target model. The client asked in its format's terms
 * (an effort, a budget, adaptive); what the target gets depends on what that model accepts, which
 * the catalog records per model (`ReasoningCapabilities`). The table is in docs/wire.md.
 */
import { UnsupportedError } from '../../core/errors.js';
import { REASONING_EFFORTS, type ClientWireFormat, type ReasoningEffort, type ReasoningRequest } from '../canonical.js';
import {
  THINKING_LEVELS,
  type ModelCapabilities,
  type ReasoningCapabilities,
  type ThinkingLevel,
} from '../capabilities.js';

export type ReasoningPlan =
  | { kind: 'off' }
  | { kind: 'effort'; effort: ReasoningEffort }
  /** `budgetTokens: -1` is Gemini's dynamic budget. */
  | { kind: 'budget'; budgetTokens: number; includeThoughts?: boolean }
  | { kind: 'adaptive'; effort?: ReasoningEffort; includeThoughts?: boolean }
  | { kind: 'level'; level?: ThinkingLevel; includeThoughts?: boolean };

/** Effort -> budget tokens, where a target takes budgets (LiteLLM's low/medium/high values; see docs/wire.md). */
export const EFFORT_BUDGET: Record<Exclude<ReasoningEffort, 'none'>, number> = {
  minimal: 512,
  low: 1024,
  medium: 2048,
  high: 4096,
  xhigh: 8192,
  max: 16384,
};

/** Effort -> Gemini thinking level. */
const EFFORT_LEVEL: Record<Exclude<ReasoningEffort, 'none'>, ThinkingLevel> = {
  minimal: 'minimal',
  low: 'low',
  medium: 'medium',
  high: 'high',
  xhigh: 'high',
  max: 'high',
};

/** Budget -> effort: the highest effort whose budget the given budget reaches. */
export function effortForBudget(budget: number): ReasoningEffort {
  if (budget <= 0) return 'none';
  let out: ReasoningEffort = 'minimal';
  for (const [effort, b] of Object.entries(EFFORT_BUDGET) as Array<[Exclude<ReasoningEffort, 'none'>, number]>)
    if (budget >= b) out = effort;
  return out;
}

/** The accepted value nearest to `want` in `order`: itself, else the next lower one, else the next higher one. */
export function nearest<T extends string>(want: T, accepted: readonly T[], order: readonly T[]): T | undefined {
  if (accepted.includes(want)) return want;
  const i = order.indexOf(want);
  for (let j = i - 1; j >= 0; j--) if (accepted.includes(order[j] as T)) return order[j];
  for (let j = i + 1; j < order.length; j++) if (accepted.includes(order[j] as T)) return order[j];
  return undefined;
}

function refuse(format: ClientWireFormat, model: string, why: string): never {
  throw new UnsupportedError(`reasoning cannot be carried to ${format} model ${model}: ${why}`, {
    details: { format, field: 'reasoning', model },
  });
}

type Intent =
  | { kind: 'off' }
  | { kind: 'dynamic' }
  | { kind: 'effort'; effort: Exclude<ReasoningEffort, 'none'> }
  | { kind: 'budget'; budget: number };

function intentOf(r: ReasoningRequest): Intent | undefined {
  if (r.effort === 'none' || r.budgetTokens === 0) return { kind: 'off' };
  if (r.budgetTokens !== undefined && r.budgetTokens > 0) return { kind: 'budget', budget: r.budgetTokens };
  if (r.effort !== undefined) return { kind: 'effort', effort: r.effort };
  if (r.adaptive || r.budgetTokens === -1) return { kind: 'dynamic' };
  return undefined;
}

const effortOf = (i: Extract<Intent, { kind: 'effort' | 'budget' }>): ReasoningEffort =>
  i.kind === 'effort' ? i.effort : effortForBudget(i.budget);
const budgetOf = (i: Extract<Intent, { kind: 'effort' | 'budget' }>): number =>
  i.kind === 'budget' ? i.budget : EFFORT_BUDGET[i.effort];
const withThoughts = <T extends object>(plan: T, r: ReasoningRequest): T =>
  r.includeThoughts !== undefined ? { ...plan, includeThoughts: r.includeThoughts } : plan;

/** Formats' defaults for a model the catalog does not know: the mode every model of that format has taken longest. */
const UNKNOWN: Record<'openai' | 'anthropic' | 'gemini', ReasoningCapabilities> = {
  openai: { efforts: [...REASONING_EFFORTS] },
  anthropic: { budget: { min: 1024, max: Number.MAX_SAFE_INTEGER } },
  gemini: { budget: { min: 0, max: Number.MAX_SAFE_INTEGER } },
};

function acceptedEffort(
  want: ReasoningEffort,
  caps: ReasoningCapabilities,
  format: ClientWireFormat,
  model: string,
): ReasoningEffort {
  const got = nearest(want, caps.efforts ?? [], REASONING_EFFORTS);
  if (got === undefined) refuse(format, model, 'the catalog lists no effort values for it');
  return got;
}

/**
 * The plan for one target, or undefined when the request says nothing about reasoning. Throws
 * UnsupportedError (a 400 naming the field and target) when the setting cannot be carried.
 */
export function planReasoning(
  r: ReasoningRequest | undefined,
  format: ClientWireFormat,
  model: string,
  caps: ModelCapabilities | undefined,
): ReasoningPlan | undefined {
  if (!r) return undefined;
  const intent = intentOf(r);
  if (!intent) return undefined;
  const family = format === 'openai-responses' ? 'openai' : format;
  const known = caps?.reasoning;
  if (known === false) {
    if (intent.kind === 'off') return { kind: 'off' };
    return refuse(format, model, 'the catalog says it does not reason');
  }
  const rc = known ?? UNKNOWN[family];
  if (family === 'openai') {
    if (intent.kind === 'dynamic') return undefined; // the model's own default is what "let the model decide" means here
    if (intent.kind === 'off') return { kind: 'effort', effort: acceptedEffort('none', rc, format, model) };
    return { kind: 'effort', effort: acceptedEffort(effortOf(intent), rc, format, model) };
  }
  if (family === 'anthropic') return planAnthropic(intent, r, rc, format, model);
  return planGemini(intent, r, rc, format, model);
}

function planAnthropic(
  intent: Intent,
  r: ReasoningRequest,
  caps: ReasoningCapabilities,
  format: ClientWireFormat,
  model: string,
): ReasoningPlan {
  if (intent.kind === 'off') return { kind: 'off' };
  // Budgets go to models that take budgets; efforts and "model decides" prefer adaptive where offered.
  const manual = caps.budget !== undefined && (intent.kind === 'budget' || !caps.adaptive);
  if (manual && caps.budget) {
    const want = intent.kind === 'dynamic' ? EFFORT_BUDGET.medium : budgetOf(intent);
    return withThoughts(
      { kind: 'budget', budgetTokens: Math.min(caps.budget.max, Math.max(caps.budget.min, want)) },
      r,
    );
  }
  if (!caps.adaptive)
    return refuse(format, model, 'the catalog lists neither a thinking budget nor adaptive thinking for it');
  if (intent.kind === 'dynamic' || !caps.efforts?.length) return withThoughts({ kind: 'adaptive' }, r);
  return withThoughts({ kind: 'adaptive', effort: acceptedEffort(effortOf(intent), caps, format, model) }, r);
}

function planGemini(
  intent: Intent,
  r: ReasoningRequest,
  caps: ReasoningCapabilities,
  format: ClientWireFormat,
  model: string,
): ReasoningPlan {
  if (caps.levels) {
    if (intent.kind === 'dynamic') return withThoughts({ kind: 'level' }, r);
    const want: ThinkingLevel =
      intent.kind === 'off' ? 'minimal' : EFFORT_LEVEL[effortOf(intent) as Exclude<ReasoningEffort, 'none'>];
    if (intent.kind === 'off' && caps.canDisable !== false) return { kind: 'off' };
    const level = nearest(want, caps.levels, THINKING_LEVELS);
    if (level === undefined) return refuse(format, model, 'the catalog lists no thinking levels for it');
    return withThoughts({ kind: 'level', level }, r);
  }
  const b = caps.budget;
  if (!b) return refuse(format, model, 'the catalog lists neither thinking levels nor a thinking budget for it');
  if (intent.kind === 'dynamic') return withThoughts({ kind: 'budget', budgetTokens: -1 }, r);
  if (intent.kind === 'off')
    return caps.canDisable === false
      ? withThoughts({ kind: 'budget', budgetTokens: Math.max(1, b.min) }, r)
      : { kind: 'off' };
  return withThoughts({ kind: 'budget', budgetTokens: Math.min(b.max, Math.max(b.min, budgetOf(intent))) }, r);
}
