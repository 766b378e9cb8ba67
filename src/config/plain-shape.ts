/**
 * The plain shape many teams already keep:
 *   models: { claude: { production: claude-sonnet-4-20250514, staging: claude-sonnet-4-5, last_validated: 2026-11-01 } }
 * normalised to the full shape (`routes:` with `targets:`). A model id without a `provider/`
 * prefix gets its provider from the catalog; every inference is recorded as a note.
 */
import { ConfigError } from '../core/errors.js';
import type { Path } from './interpolate.js';
import { routeSchema } from './schema.js';

export interface ShapeNote {
  path: Path;
  message: string;
}

/** The catalog family a bare model id belongs to, or null when it cannot be told. */
export type InferFamily = (modelId: string) => { family: string; providerTypes: readonly string[] } | null;

/** Providers added when a plain file names a model of a family but defines no provider for it. */
const DEFAULT_PROVIDERS: Record<string, { id: string; config: Record<string, unknown> }> = {
  anthropic: { id: 'anthropic', config: { type: 'anthropic', api_key: '${ANTHROPIC_API_KEY}' } },
  openai: { id: 'openai', config: { type: 'openai', api_key: '${OPENAI_API_KEY}' } },
  gemini: { id: 'gemini', config: { type: 'gemini', api_key: '${GEMINI_API_KEY}' } },
  simulator: { id: 'sim', config: { type: 'simulator', scenario: 'default' } },
  mistral: {
    id: 'mistral',
    config: { type: 'openai-compatible', base_url: 'https://api.mistral.ai/v1', api_key: '${MISTRAL_API_KEY}' },
  },
  xai: { id: 'xai', config: { type: 'openai-compatible', base_url: 'https://api.x.ai/v1', api_key: '${XAI_API_KEY}' } },
  deepseek: {
    id: 'deepseek',
    config: { type: 'openai-compatible', base_url: 'https://api.deepseek.com', api_key: '${DEEPSEEK_API_KEY}' },
  },
};

const ROUTE_KEYS = new Set(Object.keys(routeSchema.shape).filter((k) => k !== 'targets'));

export function isPlainShape(data: unknown): data is Record<string, unknown> {
  return typeof data === 'object' && data !== null && !Array.isArray(data) && 'models' in data && !('routes' in data);
}

export interface NormalizedPlain {
  data: Record<string, unknown>;
  notes: ShapeNote[];
}

export function normalizePlain(input: Record<string, unknown>, file: string, infer: InferFamily): NormalizedPlain {
  const { models, ...rest } = input;
  if (typeof models !== 'object' || models === null || Array.isArray(models)) {
    throw new ConfigError(`${file}: models: expected a mapping of route name -> { production: ..., staging: ... }`, {
      file,
      path: 'models',
    });
  }
  const notes: ShapeNote[] = [];
  const providers: Record<string, unknown> = { ...((rest.providers as Record<string, unknown> | undefined) ?? {}) };
  const providerFor = (modelId: string, path: Path, routeProvider: unknown): string => {
    if (typeof routeProvider === 'string') return routeProvider;
    const fam = infer(modelId);
    if (!fam) {
      throw new ConfigError(
        `${file}: ${sourcePathOf(path).join('.')}: cannot infer the provider of "${modelId}" from the catalog; write it as provider/model`,
        {
          file,
          path: sourcePathOf(path).join('.'),
        },
      );
    }
    const existing = Object.entries(providers).find(([, p]) => {
      const t = (p as { type?: unknown } | null)?.type;
      return typeof t === 'string' && fam.providerTypes.includes(t);
    });
    let id = existing?.[0];
    if (!id) {
      const def = DEFAULT_PROVIDERS[fam.family];
      if (!def) {
        throw new ConfigError(
          `${file}: ${sourcePathOf(path).join('.')}: "${modelId}" is a ${fam.family} model but no provider for it is defined; add one under providers: and write the target as provider/model`,
          { file },
        );
      }
      id = def.id;
      if (!(id in providers)) {
        providers[id] = def.config;
        notes.push({
          path: ['providers', id],
          message: `provider "${id}" added for ${fam.family} models (${JSON.stringify(def.config)})`,
        });
      }
    }
    notes.push({
      path,
      message: `provider "${id}" inferred from model id "${modelId}" via the catalog (${fam.family} family)`,
    });
    return id;
  };
  const target = (v: unknown, path: Path, routeProvider: unknown): unknown => {
    if (typeof v === 'string' && !v.includes('/')) return `${providerFor(v, path, routeProvider)}/${v}`;
    if (
      typeof v === 'object' &&
      v !== null &&
      !Array.isArray(v) &&
      !('provider' in v) &&
      typeof (v as { model?: unknown }).model === 'string'
    ) {
      return { provider: providerFor((v as { model: string }).model, path, routeProvider), ...v };
    }
    return v;
  };

  const routes: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(models)) {
    const spec: Record<string, unknown> =
      typeof value === 'string' ? { production: value } : (value as Record<string, unknown>);
    if (typeof spec !== 'object' || spec === null || Array.isArray(spec)) {
      routes[name] = value;
      continue;
    }
    const route: Record<string, unknown> = {};
    const targets: Record<string, unknown> = {};
    const routeProvider = spec.provider;
    for (const [k, v] of Object.entries(spec)) {
      if (k === 'provider') continue;
      if (k === 'fallback' && Array.isArray(v))
        route.fallback = v.map((t, i) => target(t, ['routes', name, 'fallback', i], routeProvider));
      else if (k === 'previous') route.previous = target(v, ['routes', name, 'previous'], routeProvider);
      else if (ROUTE_KEYS.has(k)) route[k] = v;
      else targets[k] = target(v, ['routes', name, 'targets', k], routeProvider);
    }
    route.targets = targets;
    routes[name] = route;
  }
  return { data: { ...rest, providers, routes }, notes };
}

/** Map a path in the normalised (full) shape back to where it is written in a plain-shape file. */
export function sourcePathOf(path: Path): Path {
  if (path[0] !== 'routes') return path;
  if (path.length === 1) return ['models'];
  const [, route, key, ...rest] = path;
  if (key === undefined) return ['models', route as string];
  if (key === 'targets') return rest.length === 0 ? ['models', route as string] : ['models', route as string, ...rest];
  return ['models', route as string, key, ...rest];
}
