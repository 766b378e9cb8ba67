/**
 * The OpenTelemetry GenAI semantic conventions as modelpin uses them: attribute names, provider
 * names, finish reasons, and the opt-in message content format. The names are copied here rather
 * than imported from the conventions' incubating entry point, as that package advises for
 * experimental attributes (they may change between its minor releases). Pure: no SDK.
 */
import type { CanonicalRequest, CanonicalResponse, ContentPart, StopReason } from '../wire/canonical.js';

export const GEN_AI = {
  operationName: 'gen_ai.operation.name',
  providerName: 'gen_ai.provider.name',
  /** The attribute gen_ai.provider.name replaced; still read by older backends. */
  system: 'gen_ai.system',
  requestModel: 'gen_ai.request.model',
  requestTemperature: 'gen_ai.request.temperature',
  requestTopP: 'gen_ai.request.top_p',
  requestMaxTokens: 'gen_ai.request.max_tokens',
  requestSeed: 'gen_ai.request.seed',
  responseModel: 'gen_ai.response.model',
  responseId: 'gen_ai.response.id',
  responseFinishReasons: 'gen_ai.response.finish_reasons',
  inputTokens: 'gen_ai.usage.input_tokens',
  outputTokens: 'gen_ai.usage.output_tokens',
  cacheReadInputTokens: 'gen_ai.usage.cache_read.input_tokens',
  cacheCreationInputTokens: 'gen_ai.usage.cache_creation.input_tokens',
  tokenType: 'gen_ai.token.type',
  inputMessages: 'gen_ai.input.messages',
  outputMessages: 'gen_ai.output.messages',
  systemInstructions: 'gen_ai.system_instructions',
  tokenUsageMetric: 'gen_ai.client.token.usage',
  operationDurationMetric: 'gen_ai.client.operation.duration',
} as const;

/** The conventions' advised bucket boundaries for the two client metrics. */
export const TOKEN_BUCKETS = [
  1, 4, 16, 64, 256, 1024, 4096, 16384, 65536, 262144, 1048576, 4194304, 16777216, 67108864,
];
export const DURATION_BUCKETS = [
  0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28, 2.56, 5.12, 10.24, 20.48, 40.96, 81.92,
];

export type GenAiOperation = 'chat' | 'embeddings';

/** gen_ai.provider.name and the older gen_ai.system value for a provider type. */
export function providerNames(type: string | undefined): { provider: string; system: string } {
  switch (type) {
    case 'openai':
      return { provider: 'openai', system: 'openai' };
    case 'anthropic':
      return { provider: 'anthropic', system: 'anthropic' };
    case 'gemini':
      return { provider: 'gcp.gemini', system: 'gemini' };
    case 'azure-openai':
      return { provider: 'azure.ai.openai', system: 'az.ai.openai' };
    case 'simulator':
      return { provider: 'modelpin.simulator', system: 'modelpin.simulator' };
    default:
      // openai-compatible servers (vLLM, Ollama...): the conventions have no name for them.
      return { provider: '_OTHER', system: '_OTHER' };
  }
}

export function finishReason(r: StopReason): string {
  switch (r) {
    case 'end_turn':
    case 'stop_sequence':
      return 'stop';
    case 'max_tokens':
      return 'length';
    case 'tool_use':
      return 'tool_call';
    default:
      return r;
  }
}

type Part = Record<string, unknown>;

function part(p: ContentPart): Part {
  switch (p.type) {
    case 'text':
      return { type: 'text', content: p.text };
    case 'thinking':
      return p.redacted ? { type: 'reasoning', content: '' } : { type: 'reasoning', content: p.text };
    case 'tool_use':
      return { type: 'tool_call', id: p.id, name: p.name, arguments: p.input };
    case 'tool_result':
      return {
        type: 'tool_call_response',
        id: p.toolUseId,
        response: p.content.map((c) => (c.type === 'text' ? c.text : '[image]')).join(''),
      };
    case 'image':
      // Inline image bytes would make one span as large as the upload: the URL or the type only.
      return p.source.kind === 'url'
        ? { type: 'uri', modality: 'image', uri: p.source.url }
        : { type: 'blob', modality: 'image', mime_type: p.source.mediaType, content: '' };
  }
}

/** gen_ai.system_instructions, gen_ai.input.messages (JSON), as the conventions shape them. */
export function inputContent(req: CanonicalRequest): { system: string | null; messages: string } {
  const system = req.systemBlocks?.map((b) => b.text).join('\n') ?? req.system;
  return {
    system: system === undefined ? null : JSON.stringify([{ type: 'text', content: system }]),
    messages: JSON.stringify(req.messages.map((m) => ({ role: m.role, parts: m.content.map(part) }))),
  };
}

/** gen_ai.output.messages (JSON). */
export function outputContent(res: CanonicalResponse): string {
  return JSON.stringify([
    { role: 'assistant', parts: res.content.map(part), finish_reason: finishReason(res.stopReason) },
  ]);
}
