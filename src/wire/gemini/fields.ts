/**
 * Every generateContent request field, classified as it sits on the wire: top level, or under
 * `generationConfig`. The SDK's `GenerateContentConfig` spreads over both (see docs/wire.md).
 */
import { allTranslated, isOn, isSet, nested, passthrough, translated, type FieldTable } from '../shared/field-table.js';

const GEMINI_ONLY = 'a Gemini-only feature other providers cannot serve';
const VERTEX_ONLY = 'a Vertex AI feature other providers cannot serve';

export const GEMINI_GENERATION_FIELDS: FieldTable = {
  ...allTranslated(
    'temperature',
    'topP',
    'topK',
    'maxOutputTokens',
    'stopSequences',
    'seed',
    'presencePenalty',
    'frequencyPenalty',
  ),
  /** Only 1 is accepted (checked in the decoder). */
  candidateCount: translated,
  ...allTranslated('responseMimeType', 'responseSchema', 'responseJsonSchema', 'thinkingConfig'),
  responseModalities: passthrough(
    `output modalities are ${GEMINI_ONLY}`,
    (v) => isSet(v) && !(Array.isArray(v) && v.every((m) => m === 'TEXT')),
  ),
  speechConfig: passthrough(`speech output is ${GEMINI_ONLY}`),
  responseLogprobs: passthrough(`logprobs are ${GEMINI_ONLY}`, isOn),
  logprobs: passthrough(`logprobs are ${GEMINI_ONLY}`),
  mediaResolution: passthrough(`media resolution is ${GEMINI_ONLY}`),
  imageConfig: passthrough(`image output is ${GEMINI_ONLY}`),
  audioTimestamp: passthrough(`audio timestamps are ${VERTEX_ONLY}`, isOn),
  audioTranscriptionConfig: passthrough(`audio transcription is ${GEMINI_ONLY}`),
  enableEnhancedCivicAnswers: passthrough(`enhanced civic answers are ${GEMINI_ONLY}`, isOn),
  routingConfig: passthrough(`model routing is ${VERTEX_ONLY}`),
  modelConfig: passthrough(`model selection is ${VERTEX_ONLY}`),
};

export const GEMINI_FIELDS: FieldTable = {
  ...allTranslated('contents', 'model', 'systemInstruction', 'tools'),
  toolConfig: nested({
    functionCallingConfig: nested({
      mode: translated,
      allowedFunctionNames: translated,
      streamFunctionCallArguments: passthrough(`partial function-call arguments in a stream are ${GEMINI_ONLY}`, isOn),
    }),
    retrievalConfig: passthrough(`retrieval settings are ${GEMINI_ONLY}`),
    includeServerSideToolInvocations: passthrough(`server-side tool invocations are ${GEMINI_ONLY}`, isOn),
  }),
  generationConfig: nested(GEMINI_GENERATION_FIELDS),
  safetySettings: passthrough(`safety settings are ${GEMINI_ONLY}`, isOn),
  cachedContent: passthrough('cached contents live at Google'),
  labels: passthrough(`billing labels are ${GEMINI_ONLY}`),
  serviceTier: passthrough(`service tiers are ${GEMINI_ONLY}`),
  store: passthrough(`stored interactions are ${GEMINI_ONLY}`, isOn),
  continuationToken: passthrough(`continuation tokens are ${GEMINI_ONLY}`),
  modelArmorConfig: passthrough(`Model Armor is ${VERTEX_ONLY}`),
  outputConfig: passthrough(`output configuration is ${VERTEX_ONLY}`),
};
