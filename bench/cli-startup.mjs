// Whole-process start-up of CLI commands (not a test): each command runs as its own process, the
// median wall time of 5 runs (after one warm-up run) is reported next to `node -e 0`, with the median
// CPU time (user + system) of the child on Linux, which a busy machine disturbs less. Build first:
//   npm run build && node bench/cli-startup.mjs [--runs 5] [--before /path/to/other/build/dist/cli/main.js]
// With --before, that build runs interleaved with this one (A B A B ...), so a machine whose speed
// drifts affects both alike.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const cli = join(root, 'dist/cli/main.js');
const args = process.argv.slice(2);
const flag = (name) => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined);
const runs = Number(flag('--runs') ?? 5);
const before = flag('--before');
if (!existsSync(cli)) {
  console.error('dist/ is missing: run `npm run build` first');
  process.exit(2);
}
const config = join(root, 'examples/models.yml');
const commands = [
  ['--version'],
  ['--help'],
  ['lint', '--config', config],
  ['resolve', 'summarize', '--config', config],
  ['catalog', 'classify', 'gpt-4o'],
];
const goals = { '--version': 0.3, '--help': 0.3, lint: 0.4, resolve: 0.4, catalog: 0.4 };

/** CPU seconds of reaped children (Linux /proc: cutime + cstime, in clock ticks of 10 ms); null elsewhere. */
function childCpu() {
  try {
    const f = readFileSync('/proc/self/stat', 'utf8').split(') ')[1].split(' ');
    return (Number(f[13]) + Number(f[14])) / 100;
  } catch {
    return null;
  }
}

function once(argv) {
  const c0 = childCpu();
  const t0 = process.hrtime.bigint();
  const r = spawnSync(process.execPath, argv, {
    cwd: root,
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { ...process.env, NO_COLOR: '1' },
  });
  const wall = Number(process.hrtime.bigint() - t0) / 1e9;
  const c1 = childCpu();
  if (r.status !== 0) throw new Error(`node ${argv.join(' ')} exited ${r.status}: ${r.stderr}`);
  return { wall, cpu: c0 === null || c1 === null ? NaN : c1 - c0 };
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const fmt = (xs) => `${median(xs.map((x) => x.wall)).toFixed(3)} wall, ${median(xs.map((x) => x.cpu)).toFixed(2)} cpu`;

const base = [];
for (let i = 0; i <= runs; i++) {
  const s = once(['-e', '0']);
  if (i > 0) base.push(s);
}
console.log(`whole process, median of ${runs} runs (s)${before ? '; before = ' + before : ''}`);
console.log(`${'node -e 0'.padEnd(34)} ${fmt(base)}`);
for (const c of commands) {
  const a = [];
  const b = [];
  for (let i = 0; i <= runs; i++) {
    const sa = once([cli, ...c]);
    const sb = before ? once([before, ...c]) : null;
    if (i === 0) continue; // warm-up: file cache
    a.push(sa);
    b.push(sb);
  }
  const name = `modelpin ${c
    .filter((x) => !x.includes('/'))
    .join(' ')
    .replace(' --config', '')}`;
  const goal = goals[c[0]];
  console.log(`${name.padEnd(34)} ${fmt(a)}${before ? `  (before ${fmt(b)})` : ''}  goal <= ${goal} wall`);
}
