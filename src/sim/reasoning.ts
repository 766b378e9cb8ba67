/**
 * Simulated reasoning: how many reasoning tokens a request's settings buy, the thinking part a
 * provider of each format shows, and the signatures it checks when the thinking comes back.
 * Signatures are a keyed hash of the thinking text, so a changed byte is caught like a real API would.
 */
import { createHash } from 'node:crypto';
import type {
  CanonicalRequest,
  ClientWireFormat,
  ReasoningRequest,
  ReasoningSignature,
  ThinkingPart,
  ToolUsePart,
  WireFormat,
} from '../wire/canonical.js';
import { EFFORT_BUDGET } from '../wire/shared/reasoning.js';

/** Share of the budget a simulated model actually spends thinking. */
const SPEND = 0.25;

/** Reasoning tokens for these settings: a quarter of the budget (or of the effort's budget); 0 when reasoning is off or not asked for. */
export function simReasoningTokens(r: ReasoningRequest | undefined): number {
  if (!r || r.effort === 'none' || r.budgetTokens === 0) return 0;
  const budget =
    r.budgetTokens !== undefined && r.budgetTokens > 0
      ? r.budgetTokens
      : r.effort !== undefined
        ? EFFORT_BUDGET[r.effort]
        : r.adaptive || r.budgetTokens === -1
          ? EFFORT_BUDGET.medium
          : 0;
  return Math.max(budget > 0 ? 1 : 0, Math.round(budget * SPEND));
}

/** The signing formats: Responses reasoning items are not simulated. */
function signingFormat(format: ClientWireFormat | undefined): WireFormat | undefined {
  return format === 'anthropic' || format === 'gemini' ? format : undefined;
}

export function simSignature(format: WireFormat, content: string): string {
  const digest = createHash('sha256').update(`modelpin-sim\u0000${format}\u0000${content}`).digest('base64');
  return `SIM${digest}`;
}

export function validSignature(sig: ReasoningSignature, content: string): boolean {
  return sig.value === simSignature(sig.format, content);
}

export function toolCallContent(p: Pick<ToolUsePart, 'name' | 'input'>): string {
  return `${p.name}\u0000${JSON.stringify(p.input)}`;
}

/**
 * The thinking part a provider of `format` returns, or null when it shows none: OpenAI formats never
 * show reasoning text; Gemini only with `includeThoughts`; Anthropic always (empty text when `display: omitted`).
 */
export function simThinking(
  format: ClientWireFormat | undefined,
  r: ReasoningRequest,
  tokens: number,
  served: string,
): ThinkingPart | null {
  const f = signingFormat(format);
  const text = `Simulated reasoning by ${served}: ${tokens} reasoning tokens spent weighing the request (not real reasoning).`;
  if (f === 'anthropic') {
    const shown = r.includeThoughts === false ? '' : text;
    return { type: 'thinking', text: shown, signature: { format: f, value: simSignature(f, shown) } };
  }
  if (f === 'gemini' && r.includeThoughts === true)
    return { type: 'thinking', text, signature: { format: f, value: '' } };
  if (format === undefined && r.includeThoughts === true) return { type: 'thinking', text };
  return null;
}

/** Gemini signs the first function call of a thinking turn. */
export function signToolCall(format: ClientWireFormat | undefined, p: ToolUsePart): ToolUsePart {
  return format === 'gemini'
    ? { ...p, signature: { format: 'gemini', value: simSignature('gemini', toolCallContent(p)) } }
    : p;
}

function thinkingOn(r: ReasoningRequest | undefined): boolean {
  return simReasoningTokens(r) > 0;
}

/**
 * What a real provider refuses about the reasoning a request sends back, as a 400 message; null when
 * it is fine. Anthropic: a changed thinking block, or a tool loop whose last assistant turn lost its
 * thinking while thinking is on. Gemini: a function call with a signature it did not issue.
 */
export function checkReturnedReasoning(
  req: Pick<CanonicalRequest, 'messages' | 'reasoning'>,
  format: ClientWireFormat | undefined,
): string | null {
  const msgs = req.messages;
  for (let i = 0; i < msgs.length; i++) {
    const m = msgs[i];
    if (!m) continue;
    for (let j = 0; j < m.content.length; j++) {
      const p = m.content[j];
      if (!p) continue;
      if (
        format === 'anthropic' &&
        p.type === 'thinking' &&
        !p.redacted &&
        p.signature?.format === 'anthropic' &&
        !validSignature(p.signature, p.text)
      ) {
        return `messages.${i}.content.${j}: Invalid \`signature\` in \`thinking\` block`;
      }
      if (
        format === 'gemini' &&
        p.type === 'tool_use' &&
        p.signature?.format === 'gemini' &&
        p.signature.value !== 'skip_thought_signature_validator' &&
        !validSignature(p.signature, toolCallContent(p))
      ) {
        return `Thought signature is not valid for contents[${i}].parts[${j}].`;
      }
    }
  }
  if (format === 'anthropic' && thinkingOn(req.reasoning)) {
    for (let i = msgs.length - 1; i >= 0; i--) {
      const m = msgs[i];
      if (m?.role !== 'assistant') continue;
      if (m.content.some((p) => p.type === 'tool_use') && m.content[0]?.type !== 'thinking') {
        return `messages.${i}.content.0.type: Expected \`thinking\` or \`redacted_thinking\`, but found \`${m.content[0]?.type ?? 'nothing'}\`. When \`thinking\` is enabled, a final \`assistant\` message must start with a thinking block. To avoid this requirement, disable \`thinking\`. (simulated)`;
      }
      break;
    }
  }
  return null;
}
