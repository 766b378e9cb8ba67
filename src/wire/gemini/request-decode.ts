import { UnsupportedError } from '../../core/errors.js';
import { bareModel } from '../shared/model-name.js';
import type {
  CanonicalRequest,
  ContentPart,
  Message,
  ReasoningRequest,
  ReasoningSignature,
  ResponseFormat,
  ToolChoice,
  ToolDef,
} from '../canonical.js';
import type { ClientRequestContext } from '../codec.js';
import { checkFields } from '../shared/field-table.js';
import { failRequest, parseClient } from '../shared/validate.js';
import { GEMINI_FIELDS } from './fields.js';
import { fromGeminiJsonSchema, fromOpenApiSchema } from './schema-dialect.js';
import { GenerateContentRequest, type Part } from './schemas.js';
import { toolResultFromResponse } from './tool-result.js';

function refuse(field: string, why = 'not supported by the modelpin gateway'): never {
  throw new UnsupportedError(`${field}: ${why}`, { details: { field, param: field } });
}

function messages(req: GenerateContentRequest): Message[] {
  const pending: Array<{ id: string; name: string }> = [];
  return req.contents.map((c, i): Message => ({
    role: c.role === 'model' ? 'assistant' : 'user',
    content: c.parts.map((p: Part, j): ContentPart => {
      const path = `contents[${i}].parts[${j}]`;
      const sig: { signature?: ReasoningSignature } =
        p.thoughtSignature !== undefined ? { signature: { format: 'gemini', value: p.thoughtSignature } } : {};
      // An empty signature still marks the thought as Gemini's, so it goes back to Gemini untouched and nowhere else signed.
      if (p.thought)
        return { type: 'thinking', text: p.text ?? '', signature: sig.signature ?? { format: 'gemini', value: '' } };
      if (p.text !== undefined) return { type: 'text', text: p.text, ...sig };
      if (p.inlineData) {
        if (!p.inlineData.mimeType.startsWith('image/'))
          refuse(`${path}.inlineData.mimeType`, `${p.inlineData.mimeType} is not supported`);
        return { type: 'image', source: { kind: 'base64', mediaType: p.inlineData.mimeType, data: p.inlineData.data } };
      }
      if (p.functionCall) {
        const id = p.functionCall.id ?? `call_${i}_${j}`;
        pending.push({ id, name: p.functionCall.name });
        return { type: 'tool_use', id, name: p.functionCall.name, input: p.functionCall.args ?? {}, ...sig };
      }
      if (p.functionResponse) {
        const fr = p.functionResponse;
        // Without ids, a response answers the oldest open call of the same name.
        const k = pending.findIndex((c2) => (fr.id !== undefined ? c2.id === fr.id : c2.name === fr.name));
        const id = fr.id ?? (k >= 0 ? pending[k]?.id : undefined) ?? `call_${fr.name}`;
        if (k >= 0) pending.splice(k, 1);
        return toolResultFromResponse(id, fr.name, fr.response);
      }
      if (p.fileData) return refuse(`${path}.fileData`, 'file references cannot be translated');
      return refuse(path, `part kind ${Object.keys(p).join(',') || 'empty'} is not supported`);
    }),
  }));
}

/** Mode VALIDATED: calls are checked against their schemas, which is what `strict` asks of every tool. */
function tools(req: GenerateContentRequest): ToolDef[] | undefined {
  if (!req.tools) return undefined;
  const strict = req.toolConfig?.functionCallingConfig?.mode === 'VALIDATED';
  const out: ToolDef[] = [];
  req.tools.forEach((t, i) => {
    const other = Object.keys(t).filter((k) => k !== 'functionDeclarations');
    if (other.length > 0) refuse(`tools[${i}].${other[0]}`, 'built-in Gemini tools are not supported');
    for (const f of t.functionDeclarations ?? []) {
      out.push({
        name: f.name,
        ...(f.description !== undefined ? { description: f.description } : {}),
        inputSchema: f.parametersJsonSchema
          ? fromGeminiJsonSchema(f.parametersJsonSchema)
          : f.parameters
            ? fromOpenApiSchema(f.parameters)
            : { type: 'object', properties: {} },
        ...(strict ? { strict: true } : {}),
      });
    }
  });
  return out;
}

function toolChoice(req: GenerateContentRequest): ToolChoice | undefined {
  const cfg = req.toolConfig?.functionCallingConfig;
  if (!cfg || cfg.mode === undefined || cfg.mode === 'MODE_UNSPECIFIED') return undefined;
  if (cfg.mode === 'VALIDATED') {
    if ((cfg.allowedFunctionNames ?? []).length > 0)
      refuse(
        'toolConfig.functionCallingConfig.allowedFunctionNames',
        'a subset of allowed functions with mode VALIDATED cannot be translated',
      );
    return { type: 'auto' };
  }
  if (cfg.mode === 'AUTO') return { type: 'auto' };
  if (cfg.mode === 'NONE') return { type: 'none' };
  const names = cfg.allowedFunctionNames ?? [];
  if (names.length > 1)
    refuse('toolConfig.functionCallingConfig.allowedFunctionNames', 'more than one allowed function');
  return names[0] !== undefined ? { type: 'tool', name: names[0] } : { type: 'any' };
}

/** Gemini always constrains the answer to the schema it is given, so the canonical format is strict. */
function responseFormat(g: NonNullable<GenerateContentRequest['generationConfig']>): ResponseFormat | undefined {
  if (g.responseJsonSchema && g.responseSchema)
    refuse('generationConfig.responseSchema', 'send responseJsonSchema or responseSchema, not both');
  const schema = g.responseJsonSchema
    ? fromGeminiJsonSchema(g.responseJsonSchema)
    : g.responseSchema
      ? fromOpenApiSchema(g.responseSchema)
      : undefined;
  if (g.responseMimeType === undefined) {
    if (schema)
      failRequest(
        'generationConfig.responseMimeType: required with a response schema',
        'generationConfig.responseMimeType',
      );
    return undefined;
  }
  if (g.responseMimeType === 'text/plain') return { type: 'text' };
  if (g.responseMimeType !== 'application/json')
    refuse('generationConfig.responseMimeType', `${g.responseMimeType} is not supported`);
  return schema ? { type: 'json_schema', schema, strict: true } : { type: 'json' };
}

function reasoning(g: NonNullable<GenerateContentRequest['generationConfig']>): ReasoningRequest | undefined {
  const t = g.thinkingConfig;
  if (!t) return undefined;
  const level = t.thinkingLevel === 'thinking_level_unspecified' ? undefined : t.thinkingLevel;
  if (level !== undefined && t.thinkingBudget !== undefined) {
    failRequest(
      'generationConfig.thinkingConfig: set thinkingLevel or thinkingBudget, not both',
      'generationConfig.thinkingConfig',
    );
  }
  const out: ReasoningRequest = {};
  if (level !== undefined) out.effort = level;
  if (t.thinkingBudget === 0) out.effort = 'none';
  else if (t.thinkingBudget === -1) out.adaptive = true;
  else if (t.thinkingBudget !== undefined) out.budgetTokens = t.thinkingBudget;
  if (t.includeThoughts !== undefined) out.includeThoughts = t.includeThoughts;
  return Object.keys(out).length > 0 ? out : undefined;
}

export function decodeGeminiRequest(body: unknown, ctx: ClientRequestContext = {}): CanonicalRequest {
  checkFields('gemini', GEMINI_FIELDS, body);
  const r = parseClient(GenerateContentRequest, body);
  const g = r.generationConfig ?? {};
  if (g.candidateCount !== undefined && g.candidateCount !== 1)
    refuse('generationConfig.candidateCount', 'only 1 candidate is supported');
  const model = bareModel(ctx.pathModel ?? r.model ?? '');
  if (model === '') failRequest('model: required (in the URL path models/{model}:generateContent)', 'model');
  const t = tools(r);
  const tc = toolChoice(r);
  const rf = responseFormat(g);
  const system = r.systemInstruction?.parts.map((p) => p.text).join('');
  const rs = reasoning(g);
  return {
    model,
    ...(system !== undefined ? { system } : {}),
    messages: messages(r),
    ...(t ? { tools: t } : {}),
    ...(tc ? { toolChoice: tc } : {}),
    ...(g.temperature !== undefined ? { temperature: g.temperature } : {}),
    ...(g.topP !== undefined ? { topP: g.topP } : {}),
    ...(g.topK !== undefined ? { topK: g.topK } : {}),
    ...(g.maxOutputTokens !== undefined ? { maxTokens: g.maxOutputTokens } : {}),
    ...(g.stopSequences !== undefined ? { stop: g.stopSequences } : {}),
    ...(g.seed !== undefined ? { seed: g.seed } : {}),
    ...(g.presencePenalty !== undefined ? { presencePenalty: g.presencePenalty } : {}),
    ...(g.frequencyPenalty !== undefined ? { frequencyPenalty: g.frequencyPenalty } : {}),
    ...(rf ? { responseFormat: rf } : {}),
    ...(rs ? { reasoning: rs } : {}),
    stream: ctx.stream ?? false,
  };
}
