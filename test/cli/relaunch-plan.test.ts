import { describe, expect, it } from 'vitest';
import { relaunchPlan, SERVE_HEAP_FLAG, type RelaunchInput } from '../../src/cli/relaunch-plan.js';

const base: RelaunchInput = { execArgv: [], env: {}, platform: 'linux' };
const plan = (over: Partial<RelaunchInput>) => relaunchPlan({ ...base, ...over });

describe('relaunchPlan', () => {
  it('relaunches with the larger young generation, after the flags this process was started with', () => {
    expect(plan({ execArgv: ['--import', 'tsx'] })).toEqual({
      relaunch: true,
      execArgv: ['--import', 'tsx', SERVE_HEAP_FLAG],
    });
  });

  it.each([['--max-semi-space-size=32'], ['--max_semi_space_size=8'], ['--min-semi-space-size=16']])(
    'keeps one process when the operator set the young generation in execArgv (%s)',
    (flag) => {
      expect(plan({ execArgv: [flag] })).toMatchObject({ relaunch: false, why: expect.stringContaining(flag) });
    },
  );

  it('keeps one process when NODE_OPTIONS sets the young generation', () => {
    const p = plan({ env: { NODE_OPTIONS: '--enable-source-maps  --max-semi-space-size=4' } });
    expect(p).toMatchObject({ relaunch: false, why: expect.stringContaining('--max-semi-space-size=4') });
  });

  it('does not mistake an unrelated flag for heap sizing', () => {
    expect(plan({ execArgv: ['--max-old-space-size=512'] })).toMatchObject({ relaunch: true });
    expect(plan({ env: { NODE_OPTIONS: '--max-old-space-size=512' } })).toMatchObject({ relaunch: true });
  });

  it.each([['--inspect'], ['--inspect-brk=0'], ['--cpu-prof'], ['--heap-prof'], ['--prof']])(
    'keeps one process under a debugger or profiler (%s)',
    (flag) => {
      expect(plan({ execArgv: [flag] })).toMatchObject({ relaunch: false });
      expect(plan({ env: { NODE_OPTIONS: flag } })).toMatchObject({ relaunch: false });
    },
  );

  it('can be turned off', () => {
    expect(plan({ env: { MODELPIN_RELAUNCH: '0' } })).toMatchObject({ relaunch: false });
    expect(plan({ env: { MODELPIN_RELAUNCH: 'false' } })).toMatchObject({ relaunch: false });
    expect(plan({ env: { MODELPIN_RELAUNCH: '1' } })).toMatchObject({ relaunch: true });
  });

  it('never relaunches the relaunched child, nor on Windows', () => {
    expect(plan({ env: { MODELPIN_RELAUNCHED: '1' } })).toMatchObject({ relaunch: false });
    expect(plan({ platform: 'win32' })).toMatchObject({ relaunch: false });
  });
});
