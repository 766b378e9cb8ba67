/**
 * The JSON Schema published at schema/models.schema.json (and printed by `modelpin schema`),
 * generated from the zod schema so the two cannot drift. It accepts the full shape and the
 * plain `models:` shape.
 */
import { z } from 'zod';
import { modelsFileSchema, routeSchema, targetObjectSchema, targetRefSchema } from './schema.js';

const plainTarget = z.union([
  targetRefSchema,
  z.string().describe('A model id; the provider is inferred from the catalog'),
  targetObjectSchema.partial({ provider: true }),
]);

const plainRouteSchema = routeSchema
  .omit({ targets: true })
  .extend({
    provider: z.string().optional().describe('Provider for bare model ids in this route'),
    fallback: z.array(plainTarget).optional(),
    previous: plainTarget.optional(),
  })
  .catchall(plainTarget)
  .describe('A route in the plain shape: environment names map straight to targets');

export const plainModelsFileSchema = modelsFileSchema
  .omit({ routes: true })
  .extend({
    models: z
      .record(z.string(), z.union([plainTarget, plainRouteSchema]))
      .describe('Plain shape: route name -> { production, staging, last_validated, ... }'),
  })
  .strict();

export function buildJsonSchema(): Record<string, unknown> {
  const generated = z.toJSONSchema(z.union([modelsFileSchema, plainModelsFileSchema]), {
    io: 'input',
    unrepresentable: 'any',
  }) as Record<string, unknown>;
  return {
    $schema: generated.$schema,
    title: 'modelpin models.yml',
    description:
      'Routes, providers and pins for modelpin. Generated from src/config/schema.ts; do not edit by hand (regenerate with `modelpin schema > schema/models.schema.json`).',
    ...Object.fromEntries(Object.entries(generated).filter(([k]) => k !== '$schema')),
  };
}

export function jsonSchemaText(): string {
  return `${JSON.stringify(buildJsonSchema(), null, 2)}\n`;
}
