// `modelpin scan` on a generated tree: N source files in nested directories (TS, Python, Go, YAML,
// .env), 1 in 50 naming a model, plus a node_modules and an ignored directory that must not be read.
// Usage: npx tsx bench/scan.ts [files=50000] [runs=3] [--no-git]; prints the median per scan, for the directory
// walk (honouring .gitignore) and for `git ls-files` (the tree committed to a fresh repository).
// Wall time moves with machine load; the CPU time of this process is the steadier figure.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { builtinFamilies } from '../src/catalog/builtin.js';
import { loadCatalog } from '../src/catalog/catalog.js';
import { scan } from '../src/scan/scan.js';

const files = Number(process.argv[2] ?? 50_000);
const runs = Number(process.argv[3] !== undefined && !process.argv[3].startsWith('--') ? process.argv[3] : 3);
const root = mkdtempSync(join(tmpdir(), 'mp-scan-bench-'));

const BODY = {
  ts: (i: number, id: string | null) =>
    `import { helper${i} } from './helper';\n\nexport async function handler${i}(input: string): Promise<string> {\n  const opts = { retries: 3, label: 'handler-${i}' };\n${id ? `  const r = await client.chat.completions.create({ model: '${id}', messages: [] });\n` : ''}  return helper${i}(input, opts);\n}\n${'// filler line to give the file a realistic size\n'.repeat(20)}`,
  py: (i: number, id: string | null) =>
    `import os\n\n\ndef handler_${i}(text: str) -> str:\n    label = "handler-${i}"\n${id ? `    msg = client.messages.create(model="${id}", max_tokens=100)\n` : ''}    return text.strip() + label\n${'# filler line to give the file a realistic size\n'.repeat(20)}`,
  go: (i: number, id: string | null) =>
    `package pkg${i % 100}\n\nfunc Handler${i}(s string) string {\n${id ? `\tmodel := "${id}"\n\t_ = model\n` : ''}\treturn s + "handler-${i}"\n}\n${'// filler line to give the file a realistic size\n'.repeat(20)}`,
  yaml: (i: number, id: string | null) =>
    `service: svc-${i}\nreplicas: 2\n${id ? `model: ${id}\n` : ''}labels:\n  team: platform\n`,
} as const;
const EXT = Object.keys(BODY) as Array<keyof typeof BODY>;
const IDS = ['gpt-4o', 'claude-3-5-sonnet-20240620', 'gemini-2.0-flash', 'claude-sonnet-4-5-20250929', 'o3-mini'];

const t0 = performance.now();
let withIds = 0;
for (let i = 0; i < files; i++) {
  const dir = join(root, 'src', `pkg${i % 200}`, `mod${Math.floor(i / 200) % 50}`);
  if (i % 1000 === 0 || i < 200 * 50) mkdirSync(dir, { recursive: true });
  const ext = EXT[i % EXT.length] ?? 'ts';
  const id = i % 50 === 0 ? (IDS[(i / 50) % IDS.length] ?? 'gpt-4o') : null;
  if (id) withIds++;
  writeFileSync(join(dir, `f${i}.${ext}`), BODY[ext](i, id));
}
writeFileSync(join(root, '.env'), 'OPENAI_MODEL=gpt-4o\n');
writeFileSync(join(root, '.gitignore'), 'generated/\n');
for (const skipped of ['node_modules/sdk', 'generated']) {
  mkdirSync(join(root, skipped), { recursive: true });
  for (let i = 0; i < 2000; i++)
    writeFileSync(join(root, skipped, `x${i}.js`), "export const m = { model: 'gpt-4o' };\n");
}
console.log(
  `generated ${files} files (${withIds + 1} naming a model) + 4000 skipped in node_modules/ and ignored generated/ in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
);

const catalog = loadCatalog();
const base = {
  paths: ['.'],
  cwd: root,
  catalog,
  knownIds: catalog.list().map((e) => e.id),
  idPatterns: builtinFamilies().flatMap((f) => f.idPatterns),
  today: '2026-12-03',
  withinDays: 90,
  bypass: true,
};

function measure(label: string, git: boolean): void {
  const times: number[] = [];
  const cpus: number[] = [];
  let found = 0;
  let listed = 0;
  for (let k = 0; k < runs; k++) {
    const t = performance.now();
    const c = process.cpuUsage();
    const r = scan({ ...base, git });
    times.push(performance.now() - t);
    const used = process.cpuUsage(c);
    cpus.push((used.user + used.system) / 1000);
    found = r.findings.length;
    listed = r.files;
  }
  if (found !== withIds + 1) throw new Error(`${label}: expected ${withIds + 1} findings, got ${found}`);
  times.sort((a, b) => a - b);
  cpus.sort((a, b) => a - b);
  const med = times[Math.floor(times.length / 2)] ?? 0;
  const cpu = cpus[Math.floor(cpus.length / 2)] ?? 0;
  console.log(
    `${label}: ${listed} files listed, ${found} findings; median ${(med / 1000).toFixed(2)} s over ${runs} runs (min ${((times[0] ?? 0) / 1000).toFixed(2)} s), ${((med * 1000) / listed).toFixed(1)} µs per file; this process's CPU ${(cpu / 1000).toFixed(2)} s (${((cpu * 1000) / listed).toFixed(1)} µs per file; git's own CPU not counted)`,
  );
}

try {
  measure('walk + .gitignore', false);
  if (!process.argv.includes('--no-git')) {
    execFileSync('git', ['init', '-q'], { cwd: root });
    execFileSync('git', ['add', '-A'], { cwd: root, maxBuffer: 1 << 28 });
    measure('git ls-files', true);
  }
} finally {
  rmSync(root, { recursive: true, force: true });
}
