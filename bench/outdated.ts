// `modelpin outdated` planning cost as a models.yml grows: N routes x 2 envs over the shipped catalog.
// Usage: npx tsx bench/outdated.ts [routes=200] [runs=9]; prints the median and min per plan.
import { loadCatalog } from '../src/catalog/catalog.js';
import { parseConfig } from '../src/config/load.js';
import { planOutdated } from '../src/lifecycle/promote/outdated-plan.js';

const routes = Number(process.argv[2] ?? 200);
const runs = Number(process.argv[3] ?? 9);
const ids = [
  'claude-sonnet-4-5-20250929',
  'claude-sonnet-4-5',
  'gpt-5-2025-08-07',
  'gpt-4o-2024-11-20',
  'gpt-4o',
  'claude-sonnet-4-20250514',
];
let yaml = 'providers:\n  anthropic: { type: anthropic }\n  openai: { type: openai }\nroutes:\n';
for (let i = 0; i < routes; i++) {
  const id = ids[i % ids.length] ?? 'gpt-4o';
  const p = id.startsWith('gpt') ? 'openai' : 'anthropic';
  yaml += `  r${i}:\n    targets: { production: ${p}/${id}, staging: ${p}/${id} }\n`;
}
const loaded = parseConfig(yaml, 'models.yml', { env: {} });
const catalog = loadCatalog({ file: loaded.file });
const times: number[] = [];
for (let k = 0; k < runs; k++) {
  const t = performance.now();
  const rows = planOutdated({ file: loaded.file, catalog, today: '2026-12-03', withinDays: 90, envVars: {} });
  times.push(performance.now() - t);
  if (rows.length !== routes * 2) throw new Error(`expected ${routes * 2} rows, got ${rows.length}`);
}
times.sort((a, b) => a - b);
console.log(
  `planOutdated: ${routes} routes x 2 envs (${routes * 2} rows), ${runs} runs: median ${(times[Math.floor(runs / 2)] ?? 0).toFixed(1)} ms, min ${(times[0] ?? 0).toFixed(1)} ms`,
);
