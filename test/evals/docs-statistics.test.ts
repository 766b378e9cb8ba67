/** The statistics section of docs/evals.md and the sampling section of docs/simulator.md run as written. */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { scenarioFileSchema } from '../../src/sim/scenario-schema.js';
import { finishScenario } from '../../src/sim/scenario.js';
import { createSimEngine } from '../../src/sim/engine.js';
import { responseText } from '../../src/wire/canonical.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const doc = (name: string): string => readFileSync(join(ROOT, 'docs', name), 'utf8');

/** The fenced blocks of one language in the section that starts at `heading`. */
function blocks(text: string, heading: string, lang: string): string[] {
  const start = text.indexOf(heading);
  expect(start, heading).toBeGreaterThanOrEqual(0);
  const rest = text.slice(start + heading.length);
  const end = rest.search(/\n## /);
  const section = end < 0 ? rest : rest.slice(0, end);
  return [...section.matchAll(new RegExp('```' + lang + '\\n([\\s\\S]*?)\\n *```', 'g'))].map((m) =>
    lang === 'text'
      ? (m[1] ?? '')
          .split('\n')
          .map((l) => l.trim())
          .join('\n')
      : (m[1] ?? ''),
  );
}

describe('docs/evals.md: Statistics', () => {
  const section = '## Statistics: p-values, floors and insufficient evidence';
  const text = doc('evals.md');

  it('each command exits with the code its comment states, and the first prints the verdict shown', () => {
    const bash = blocks(text, section, 'bash')[0] ?? '';
    const lines = bash.split('\n');
    const commands = lines.filter((l) => l.startsWith('node dist/cli/main.js '));
    expect(commands).toHaveLength(3);
    const shown = blocks(text, section, 'text');
    commands.forEach((cmd, i) => {
      const comment = lines[lines.indexOf(cmd) - 1] ?? '';
      const want = Number(/exit (\d+)/.exec(comment)?.[1]);
      const args = cmd.replace('node dist/cli/main.js ', '').split(/\s+/);
      const r = spawnSync(process.execPath, [join(ROOT, 'dist/cli/main.js'), ...args], {
        cwd: ROOT,
        encoding: 'utf8',
        env: { PATH: process.env.PATH ?? '', NO_COLOR: '1' },
        timeout: 60_000,
      });
      expect(r.status, `${cmd}\n${r.stderr}`).toBe(want);
      if (i === 0) {
        expect(r.stdout).toContain(shown[1]);
        expect(r.stderr).toContain(shown[0]?.trim());
      }
    });
  });
});

describe('docs/simulator.md: sampled behaviour', () => {
  it('the sampling example is a valid scenario that answers with its variants', () => {
    const yaml = blocks(doc('simulator.md'), '### Sampled behaviour', 'yaml')[0] ?? '';
    const raw = scenarioFileSchema.parse(parse(yaml));
    const engine = createSimEngine({ scenario: finishScenario(raw, 'doc.yml'), fast: true, seed: 1 });
    const model = [...engine.scenario.snapshots.keys()][0] ?? '';
    const answers = Array.from({ length: 300 }, () => {
      const o = engine.handle(
        {
          model,
          stream: false,
          messages: [{ role: 'user', content: [{ type: 'text', text: 'Classify the sentiment as JSON: I love it' }] }],
        },
        model,
        false,
      );
      return o.kind === 'answer' ? responseText(o.response) : '';
    });
    expect(answers.some((a) => a.includes('```'))).toBe(true);
    expect(answers.some((a) => a.startsWith('{'))).toBe(true);
    expect(answers.some((a) => /can't help/.test(a))).toBe(true);
  });
});
