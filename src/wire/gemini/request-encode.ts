import type { EncodeOptions } from '../capabilities.js';
import type { CanonicalRequest, ContentPart, Message, ReasoningSignature } from '../canonical.js';
import type { EncodedRequest } from '../codec.js';
import { planReasoning, type ReasoningPlan } from '../shared/reasoning.js';
import { GEMINI_SCHEMA_SUBSET, encodeResponseFormat, strictToolsMode } from './structured.js';
import { toSchemaSubset } from '../shared/schema-subset.js';
import { unsupported } from '../shared/unsupported.js';
import { copySettings, type SettingNames } from '../shared/copy-settings.js';
import { responseFromToolResult } from './tool-result.js';

const fmt = 'gemini' as const;

/**
 * Google's documented stand-in for a thought signature on a function call that another model made:
 * Gemini 3 refuses a current-turn function call without one (ai.google.dev/gemini-api/docs/thought-signatures).
 */
export const FOREIGN_CALL_SIGNATURE = 'skip_thought_signature_validator';

/** Only Gemini's own signatures go back to Gemini. */
function signed(out: Record<string, unknown>, sig: ReasoningSignature | undefined): Record<string, unknown> {
  if (sig?.format === 'gemini' && sig.value !== '') out.thoughtSignature = sig.value;
  return out;
}

/** Null for a part that is not sent: reasoning from another provider. */
function part(p: ContentPart, path: string): Record<string, unknown> | null {
  switch (p.type) {
    case 'thinking':
      if (p.signature?.format !== 'gemini') return null;
      return signed({ text: p.text, thought: true }, p.signature);
    case 'text':
      return signed({ text: p.text }, p.signature);
    case 'image':
      if (p.source.kind === 'url') unsupported(fmt, `${path} image url`, 'Gemini takes inline base64 images only');
      return { inlineData: { mimeType: p.source.mediaType, data: p.source.data } };
    case 'tool_use':
      return signed({ functionCall: { id: p.id, name: p.name, args: p.input } }, p.signature);
    case 'tool_result': {
      if (p.name === undefined)
        unsupported(
          fmt,
          `${path} tool_result without a function name`,
          'no matching tool_use earlier in the conversation',
        );
      const text = p.content
        .map((c) => (c.type === 'text' ? c.text : unsupported(fmt, `${path} image inside a tool_result`)))
        .join('');
      return { functionResponse: { id: p.toolUseId, name: p.name, response: responseFromToolResult(text, p.isError) } };
    }
  }
}

function turn(m: Message, i: number, signCalls: boolean): Record<string, unknown> {
  const parts = m.content
    .map((p, j) => part(p, `messages[${i}].content[${j}]`))
    .filter((p): p is Record<string, unknown> => p !== null);
  if (signCalls && m.role === 'assistant' && !parts.some((p) => p.thoughtSignature !== undefined)) {
    const first = parts.find((p) => p.functionCall !== undefined);
    if (first) first.thoughtSignature = FOREIGN_CALL_SIGNATURE;
  }
  return { role: m.role === 'assistant' ? 'model' : 'user', parts };
}

function thinkingConfig(plan: ReasoningPlan | undefined): Record<string, unknown> | undefined {
  if (!plan) return undefined;
  const shown =
    'includeThoughts' in plan && plan.includeThoughts !== undefined ? { includeThoughts: plan.includeThoughts } : {};
  if (plan.kind === 'off') return { thinkingBudget: 0 };
  if (plan.kind === 'budget') return { thinkingBudget: plan.budgetTokens, ...shown };
  if (plan.kind === 'level')
    return { ...(plan.level !== undefined ? { thinkingLevel: plan.level.toUpperCase() } : {}), ...shown };
  return undefined;
}

const GENERATION_SETTINGS: SettingNames = {
  temperature: 'temperature',
  topP: 'topP',
  topK: 'topK',
  maxTokens: 'maxOutputTokens',
  stop: 'stopSequences',
  seed: 'seed',
  presencePenalty: 'presencePenalty',
  frequencyPenalty: 'frequencyPenalty',
};

export function encodeGeminiRequest(req: CanonicalRequest, model: string, opts: EncodeOptions = {}): EncodedRequest {
  const caps = opts.capabilities;
  const strict = strictToolsMode(req, model, caps);
  if (req.metadata && Object.keys(req.metadata).length > 0)
    unsupported(fmt, 'metadata', 'generateContent has no caller metadata');
  if (req.parallelToolCalls === false) unsupported(fmt, 'parallel_tool_calls=false');
  const rc = caps?.reasoning;
  const signCalls = rc !== undefined && rc !== false && rc.signedToolCalls === true;
  const plan = planReasoning(req.reasoning, fmt, model, caps);
  const body: Record<string, unknown> = {
    contents: req.messages.map((m, i) => turn(m, i, signCalls)),
  };
  if (req.system !== undefined) body.systemInstruction = { parts: [{ text: req.system }] };
  if (req.tools) {
    body.tools = [
      {
        functionDeclarations: req.tools.map((t, i) => ({
          name: t.name,
          ...(t.description !== undefined ? { description: t.description } : {}),
          parametersJsonSchema:
            t.strict === true
              ? toSchemaSubset(t.inputSchema, GEMINI_SCHEMA_SUBSET, {
                  format: 'gemini',
                  where: `tools[${i}].input_schema`,
                  model,
                })
              : t.inputSchema,
        })),
      },
    ];
  }
  const tc = req.toolChoice ?? (strict ? { type: 'auto' as const } : undefined);
  if (tc) {
    body.toolConfig = {
      functionCallingConfig:
        tc.type === 'tool'
          ? { mode: 'ANY', allowedFunctionNames: [tc.name] }
          : { mode: tc.type === 'auto' ? (strict ? 'VALIDATED' : 'AUTO') : tc.type === 'none' ? 'NONE' : 'ANY' },
    };
  }
  const g: Record<string, unknown> = {};
  copySettings(g, req, GENERATION_SETTINGS);
  Object.assign(g, encodeResponseFormat(req, model, caps));
  const tc2 = thinkingConfig(plan);
  if (tc2 && Object.keys(tc2).length > 0) g.thinkingConfig = tc2;
  if (Object.keys(g).length > 0) body.generationConfig = g;
  return req.stream
    ? { path: `/models/${encodeURIComponent(model)}:streamGenerateContent`, body, query: { alt: 'sse' } }
    : { path: `/models/${encodeURIComponent(model)}:generateContent`, body };
}
