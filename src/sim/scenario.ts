/** A loaded, cross-checked scenario: what the engine runs. */
import { ConfigError } from '../core/errors.js';
import type { Alias, Behaviour, Rule, ScenarioFile } from './scenario-schema.js';

export interface Scenario {
  name: string;
  file: string;
  fast: boolean;
  seed: number | undefined;
  hangMaxMs: number;
  filler: string[];
  trimWords: string[];
  /** Snapshot id -> behaviour with `defaults:` applied. */
  snapshots: Map<string, Behaviour>;
  aliases: Map<string, Alias>;
  rules: Rule[];
}

/** Mixed lengths so padding lands close to its target with whole sentences. */
export const DEFAULT_FILLER = [
  'I can expand on any part of this if you need.',
  'Let me know if anything is unclear.',
  'Happy to help further.',
  'Hope this helps.',
  'Enjoy!',
];

export const DEFAULT_TRIM_WORDS = [
  'really',
  'very',
  'just',
  'simply',
  'basically',
  'actually',
  'quite',
  'certainly',
  'clearly',
];

export function finishScenario(raw: ScenarioFile, file: string): Scenario {
  const fail = (path: string, message: string): never => {
    throw new ConfigError(`${file}: ${path}: ${message}`, { file, path });
  };
  const snapshots = new Map<string, Behaviour>();
  for (const [id, s] of Object.entries(raw.snapshots ?? {})) snapshots.set(id, { ...raw.defaults, ...s });
  if (snapshots.size === 0) fail('snapshots', 'a scenario needs at least one snapshot');

  const rules = raw.rules ?? [];
  const ruleIds = new Set<string>();
  rules.forEach((r, i) => {
    if (ruleIds.has(r.id)) fail(`rules[${i}].id`, `duplicate rule id ${JSON.stringify(r.id)}`);
    ruleIds.add(r.id);
  });
  for (const [id, s] of snapshots) {
    for (const r of s.rules ?? []) ruleIds.add(r.id);
    (s.json?.enum_changes ?? []).forEach((c, i) => {
      for (const ref of c.rules ?? []) {
        if (!ruleIds.has(ref))
          fail(`snapshots.${id}.json.enum_changes[${i}].rules`, `unknown rule id ${JSON.stringify(ref)}`);
      }
    });
  }

  const aliases = new Map<string, Alias>();
  for (const [id, a] of Object.entries(raw.aliases ?? {})) {
    if (snapshots.has(id)) fail(`aliases.${id}`, 'an alias cannot have the same id as a snapshot');
    if (!snapshots.has(a.target)) fail(`aliases.${id}.target`, `unknown snapshot ${JSON.stringify(a.target)}`);
    (a.moves ?? []).forEach((m, i) => {
      if (!snapshots.has(m.to)) fail(`aliases.${id}.moves[${i}].to`, `unknown snapshot ${JSON.stringify(m.to)}`);
    });
    aliases.set(id, a);
  }

  return {
    name: raw.name ?? file,
    file,
    fast: raw.fast ?? false,
    seed: raw.seed,
    hangMaxMs: raw.hang_max_ms ?? 300_000,
    filler: raw.filler ?? DEFAULT_FILLER,
    trimWords: raw.trim_words ?? DEFAULT_TRIM_WORDS,
    snapshots,
    aliases,
    rules,
  };
}
