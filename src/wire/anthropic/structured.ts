/**
 * Structured outputs on the Anthropic side: `output_config.format` for a schema, `strict` on
 * tools, and a forced answer tool for JSON without a schema (the format has no bare JSON mode).
 * Sources: platform.claude.com/docs/en/build-with-claude/structured-outputs (JSON Schema
 * limitations), anthropic-sdk-typescript `OutputConfig` / `JSONOutputFormat` / `Tool.strict`.
 */
import { UnsupportedError } from '../../core/errors.js';
import type { ModelCapabilities } from '../capabilities.js';
import type { CanonicalRequest, ResponseFormat } from '../canonical.js';
import { schemaWithDescription, toSchemaSubset, type SchemaSubset } from '../shared/schema-subset.js';

const fmt = 'anthropic' as const;

/** The tool a JSON-mode answer is asked through; never shown to the client. */
export const ANSWER_TOOL = 'json_answer';

const FORMATS = new Set(['date-time', 'time', 'date', 'duration', 'email', 'hostname', 'uri', 'ipv4', 'ipv6', 'uuid']);

/**
 * What Anthropic's grammar compiler accepts: no numeric or length bounds, `minItems` 0 or 1,
 * `additionalProperties` false only (added where a schema leaves it out: that only narrows what
 * is valid, so every answer still matches the caller's schema), objects with declared properties.
 */
export const ANTHROPIC_SCHEMA_SUBSET: SchemaSubset = {
  name: 'Anthropic structured outputs',
  keywords: new Set([
    'type',
    'properties',
    'required',
    'additionalProperties',
    'items',
    'enum',
    'const',
    'anyOf',
    'allOf',
    '$ref',
    '$defs',
    'definitions',
    'format',
    'pattern',
    'minItems',
  ]),
  node(node) {
    if (node.minItems !== undefined && node.minItems !== 0 && node.minItems !== 1)
      return { refuse: 'only minItems 0 or 1 is enforced', keyword: 'minItems' };
    if (typeof node.format === 'string' && !FORMATS.has(node.format))
      return { refuse: `string format ${node.format} is not enforced`, keyword: 'format' };
    const isObjectType = node.type === 'object' || (Array.isArray(node.type) && node.type.includes('object'));
    if (!isObjectType) return node;
    if (node.additionalProperties !== undefined && node.additionalProperties !== false) {
      return { refuse: 'only additionalProperties: false is enforced', keyword: 'additionalProperties' };
    }
    if (node.properties === undefined)
      return { refuse: 'an object without declared properties cannot be constrained', keyword: 'type' };
    return node.additionalProperties === false ? node : { ...node, additionalProperties: false };
  },
};

function refuse(field: string, why: string, model: string): never {
  throw new UnsupportedError(`${field} cannot be sent to ${model} (${fmt}): ${why}`, {
    details: { format: fmt, field, param: field, model },
  });
}

export interface AnthropicStructured {
  /** `output_config` to send. */
  outputConfig?: Record<string, unknown>;
  /** The forced answer tool, when JSON is asked through one. */
  answerTool?: { tool: Record<string, unknown>; choice: Record<string, unknown> };
}

/**
 * The translation depends on the target model: with structured outputs (or when unknown) a
 * schema goes to `output_config.format`; a model known to lack them gets the schema as a forced
 * tool's input schema (best effort, like OpenAI's non-strict json_schema), and a strict request
 * is refused instead. JSON without a schema always goes through the forced tool.
 */
export function encodeStructured(
  req: CanonicalRequest,
  model: string,
  caps: ModelCapabilities | undefined,
): AnthropicStructured {
  const rf: ResponseFormat | undefined = req.responseFormat;
  if (!rf || rf.type === 'text') return {};
  const so = caps?.structuredOutput;
  if (rf.type === 'json_schema') {
    const schema = schemaWithDescription(rf, fmt, model);
    if (so?.jsonSchema !== false) {
      return {
        outputConfig: {
          format: {
            type: 'json_schema',
            schema: toSchemaSubset(schema, ANTHROPIC_SCHEMA_SUBSET, {
              format: fmt,
              where: 'response_format.schema',
              model,
            }),
          },
        },
      };
    }
    if (rf.strict === true)
      refuse(
        'response_format',
        'the model has no structured outputs, so a strict json_schema cannot be guaranteed',
        model,
      );
    return { answerTool: answerTool(req, schema, model) };
  }
  return { answerTool: answerTool(req, { type: 'object' }, model) };
}

/**
 * JSON through a forced tool: the tool's input is always a JSON object, which the provider client
 * turns back into the answer's text. It needs the tool slot to itself.
 */
function answerTool(
  req: CanonicalRequest,
  schema: Record<string, unknown>,
  model: string,
): AnthropicStructured['answerTool'] {
  if (req.tools && req.tools.length > 0)
    refuse(
      'response_format',
      "JSON is asked through a forced tool on this target, which cannot be combined with the request's own tools",
      model,
    );
  if (req.toolChoice && req.toolChoice.type !== 'auto')
    refuse('tool_choice', 'JSON is asked through a forced tool on this target, which needs tool_choice auto', model);
  return {
    tool: {
      name: ANSWER_TOOL,
      description: "Give the answer as this tool's input: a JSON object.",
      input_schema: schema,
    },
    choice: { type: 'tool', name: ANSWER_TOOL },
  };
}

/** A tool's `strict`, checked against the model and the schema subset strict tools share with output_config. */
export function strictToolSchema(
  inputSchema: Record<string, unknown>,
  index: number,
  model: string,
  caps: ModelCapabilities | undefined,
): Record<string, unknown> {
  const so = caps?.structuredOutput;
  if (so?.strictTools === false) refuse(`tools[${index}].strict`, 'the model has no strict tool use', model);
  return toSchemaSubset(inputSchema, ANTHROPIC_SCHEMA_SUBSET, {
    format: fmt,
    where: `tools[${index}].input_schema`,
    model,
  });
}
