/**
 * Every request parameter the official SDKs publish is classified by the gateway: translated,
 * passed through (same format only) or refused. The names come from the SDKs' TypeScript
 * declarations in node_modules, so a new SDK version that adds a parameter fails this test until
 * someone decides what the gateway does with it (an entry in src/wire/<format>/fields.ts).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { CLIENT_FIELD_TABLES } from '../../../src/wire/field-check.js';
import { classifiedPaths, type FieldTable } from '../../../src/wire/shared/field-table.js';
import { sdkParameterNames } from './sdk-params.js';

let sdk: Record<string, string[]>;

beforeAll(() => {
  sdk = sdkParameterNames(process.cwd(), [
    { alias: 'Chat', from: 'openai/resources/chat/completions/completions', type: 'ChatCompletionCreateParams' },
    {
      alias: 'ChatStreamOptions',
      from: 'openai/resources/chat/completions/completions',
      type: 'ChatCompletionStreamOptions',
    },
    {
      alias: 'ChatJsonSchema',
      from: 'openai/resources/shared',
      type: 'ResponseFormatJSONSchema',
      member: 'JSONSchema',
    },
    { alias: 'Responses', from: 'openai/resources/responses/responses', type: 'ResponseCreateParams' },
    { alias: 'ResponsesText', from: 'openai/resources/responses/responses', type: 'ResponseTextConfig' },
    {
      alias: 'ResponsesJsonSchema',
      from: 'openai/resources/responses/responses',
      type: 'ResponseFormatTextJSONSchemaConfig',
    },
    { alias: 'Messages', from: '@anthropic-ai/sdk/resources/messages/messages', type: 'MessageCreateParams' },
    { alias: 'MessagesOutputConfig', from: '@anthropic-ai/sdk/resources/messages/messages', type: 'OutputConfig' },
    { alias: 'MessagesMetadata', from: '@anthropic-ai/sdk/resources/messages/messages', type: 'Metadata' },
    { alias: 'BetaMessages', from: '@anthropic-ai/sdk/resources/beta/messages/messages', type: 'MessageCreateParams' },
    { alias: 'GeminiParams', from: '@google/genai', type: 'GenerateContentParameters' },
    { alias: 'GeminiConfig', from: '@google/genai', type: 'GenerateContentConfig' },
    { alias: 'GeminiToolConfig', from: '@google/genai', type: 'ToolConfig' },
    { alias: 'GeminiFunctionCalling', from: '@google/genai', type: 'FunctionCallingConfig' },
  ]);
}, 120_000);

/** SDK names with no classification in the table (under `prefix` for nested objects). */
function unclassified(table: FieldTable, names: readonly string[], prefix = ''): string[] {
  const known = classifiedPaths(table);
  return names.map((n) => `${prefix}${n}`).filter((p) => !known.has(p));
}

const params = (alias: string): string[] => {
  const names = sdk[alias];
  if (!names || names.length === 0) throw new Error(`no parameters read for ${alias}`);
  return names;
};

describe('the conformance check itself', () => {
  it('reports a parameter a table does not classify', () => {
    expect(unclassified(CLIENT_FIELD_TABLES.openai, ['model', 'brand_new_parameter'])).toEqual(['brand_new_parameter']);
    expect(unclassified(CLIENT_FIELD_TABLES.anthropic, ['format', 'brand_new'], 'output_config.')).toEqual([
      'output_config.brand_new',
    ]);
  });

  it('reads the SDK declarations (a type that disappears would read as empty and fail)', () => {
    expect(params('Chat')).toContain('response_format');
    expect(params('Messages')).toContain('output_config');
    expect(params('GeminiConfig')).toContain('responseJsonSchema');
  });
});

describe('openai ChatCompletionCreateParams', () => {
  it('every parameter is classified', () => {
    const t = CLIENT_FIELD_TABLES.openai;
    expect(unclassified(t, params('Chat'))).toEqual([]);
    expect(unclassified(t, params('ChatStreamOptions'), 'stream_options.')).toEqual([]);
    expect(unclassified(t, params('ChatJsonSchema'), 'response_format.json_schema.')).toEqual([]);
  });
});

describe('openai ResponseCreateParams', () => {
  it('every parameter is classified', () => {
    const t = CLIENT_FIELD_TABLES['openai-responses'];
    expect(unclassified(t, params('Responses'))).toEqual([]);
    expect(unclassified(t, params('ResponsesText'), 'text.')).toEqual([]);
    expect(unclassified(t, params('ResponsesJsonSchema'), 'text.format.')).toEqual([]);
  });
});

describe('@anthropic-ai/sdk MessageCreateParams', () => {
  it('every parameter is classified, the beta ones included', () => {
    const t = CLIENT_FIELD_TABLES.anthropic;
    expect(unclassified(t, params('Messages'))).toEqual([]);
    expect(unclassified(t, params('MessagesOutputConfig'), 'output_config.')).toEqual([]);
    expect(unclassified(t, params('MessagesMetadata'), 'metadata.')).toEqual([]);
    // `betas` is sent as the anthropic-beta header by the SDK, never in the body.
    expect(
      unclassified(
        t,
        params('BetaMessages').filter((n) => n !== 'betas'),
      ),
    ).toEqual([]);
  });
});

describe('@google/genai GenerateContentParameters', () => {
  /**
   * The SDK's `config` spreads over the wire body: these go to the top level (one under another
   * name), these stay in the SDK, and every other one lands under `generationConfig`.
   * Source: the SDK's generateContentConfigToMldev / ToVertex converters.
   */
  const TOP_LEVEL: Record<string, string> = {
    systemInstruction: 'systemInstruction',
    safetySettings: 'safetySettings',
    tools: 'tools',
    toolConfig: 'toolConfig',
    labels: 'labels',
    cachedContent: 'cachedContent',
    serviceTier: 'serviceTier',
    store: 'store',
    continuationToken: 'continuationToken',
    modelArmorConfig: 'modelArmorConfig',
    generationOutputConfig: 'outputConfig',
  };
  const RENAMED_IN_GENERATION: Record<string, string> = { modelSelectionConfig: 'modelConfig' };
  // Client-side loops and transport options: the SDK acts on them and never sends them.
  const SDK_ONLY = new Set(['abortSignal', 'httpOptions', 'automaticFunctionCalling', 'automaticContinuation']);

  it('every parameter is classified at its wire location', () => {
    const t = CLIENT_FIELD_TABLES.gemini;
    // `model` travels in the URL path, `config` is spread as below.
    expect(
      unclassified(
        t,
        params('GeminiParams').filter((n) => n !== 'config'),
      ),
    ).toEqual([]);
    const wire = params('GeminiConfig')
      .filter((n) => !SDK_ONLY.has(n))
      .map((n) => TOP_LEVEL[n] ?? `generationConfig.${RENAMED_IN_GENERATION[n] ?? n}`);
    expect(unclassified(t, wire)).toEqual([]);
    expect(unclassified(t, params('GeminiToolConfig'), 'toolConfig.')).toEqual([]);
    expect(unclassified(t, params('GeminiFunctionCalling'), 'toolConfig.functionCallingConfig.')).toEqual([]);
  });
});
