import type { Reporter } from './types.js';
import type { CaseResult } from '../run-types.js';
import { reasons, repeatsNote, telling } from './format-helpers.js';
import { signalLine } from '../signals.js';

// XML 1.0 forbids most control characters even when escaped.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const INVALID_XML = /[^\x09\x0A\x0D\x20-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

export function xmlEscape(s: string): string {
  return s
    .replace(INVALID_XML, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

const secs = (ms: number): string => (ms / 1000).toFixed(3);

function testcase(c: CaseResult, classname: string): string {
  const time = c.samples.reduce((n, s) => n + s.latencyMs, 0);
  const open = `    <testcase classname="${xmlEscape(classname)}" name="${xmlEscape(`${c.caseId} [${c.route}]`)}" time="${secs(time)}">`;
  if (c.status === 'passed') return `${open}</testcase>`;
  const why = reasons(c);
  const body = why.join('\n') + repeatsNote(c);
  const tag = c.status === 'errored' ? 'error' : 'failure';
  const type = c.status === 'errored' ? (telling(c)?.error?.code ?? 'error') : 'assertion';
  const out = telling(c)?.output ?? '';
  return [
    open,
    `      <${tag} message="${xmlEscape(why[0] ?? c.status)}" type="${xmlEscape(type)}">${xmlEscape(body)}</${tag}>`,
    ...(out ? [`      <system-out>${xmlEscape(out)}</system-out>`] : []),
    '    </testcase>',
  ].join('\n');
}

/** JUnit XML: one <testsuite> per (suite, arm), one <testcase> per (case, route). */
export const junitReporter: Reporter = {
  description: 'JUnit XML for CI test tabs: failures as <failure>, errored cases as <error>.',
  extension: 'xml',
  render: ({ run, compare }) => {
    const suites: string[] = [];
    let tests = 0;
    let failures = 0;
    let errors = 0;
    let totalMs = 0;
    for (const arm of run.arms) {
      for (const s of run.suites) {
        const cases = arm.cases.filter((c) => c.suite === s.name);
        if (cases.length === 0) continue;
        const f = cases.filter((c) => c.status === 'failed').length;
        const e = cases.filter((c) => c.status === 'errored').length;
        tests += cases.length;
        failures += f;
        errors += e;
        const time = cases.reduce((n, c) => n + c.samples.reduce((m, x) => m + x.latencyMs, 0), 0);
        totalMs += time;
        const name = `${s.name} [${arm.arm}]`;
        suites.push(
          [
            `  <testsuite name="${xmlEscape(name)}" tests="${cases.length}" failures="${f}" errors="${e}" skipped="0" time="${secs(time)}" timestamp="${new Date(run.startedAt).toISOString()}">`,
            '    <properties>',
            `      <property name="file" value="${xmlEscape(s.file)}"/>`,
            `      <property name="env" value="${xmlEscape(arm.env)}"/>`,
            `      <property name="served_models" value="${xmlEscape(arm.summary.servedModels.join(','))}"/>`,
            `      <property name="suite_hash" value="${s.hash}"/>`,
            '    </properties>',
            ...cases.map((c) => testcase(c, `${s.name}.${arm.arm}`)),
            '  </testsuite>',
          ].join('\n'),
        );
      }
    }
    if (compare) {
      // CI that reads only JUnit must see a drift verdict as red, exactly as the exit code says.
      const drift = compare.verdict === 'drift';
      // Insufficient evidence exits non-zero too (its own code): an error, since no verdict was reached.
      const unsure = compare.verdict === 'insufficient';
      tests += 1;
      if (drift) failures += 1;
      if (unsure) errors += 1;
      const detail = [compare.verdictLine, ...compare.signals.map(signalLine)].join('\n');
      const name = `drift [${compare.candidate.arm} vs ${compare.base.arm}]`;
      suites.push(
        [
          `  <testsuite name="${xmlEscape(name)}" tests="1" failures="${drift ? 1 : 0}" errors="${unsure ? 1 : 0}" skipped="0" time="0.000" timestamp="${new Date(run.startedAt).toISOString()}">`,
          `    <testcase classname="modelpin.compare" name="verdict" time="0.000">`,
          ...(drift
            ? [`      <failure message="${xmlEscape(compare.verdictLine)}" type="drift">${xmlEscape(detail)}</failure>`]
            : []),
          ...(unsure
            ? [
                `      <error message="${xmlEscape(compare.verdictLine)}" type="insufficient-evidence">${xmlEscape(detail)}</error>`,
              ]
            : []),
          `      <system-out>${xmlEscape(detail)}</system-out>`,
          '    </testcase>',
          '  </testsuite>',
        ].join('\n'),
      );
    }
    // Suites time their calls, which overlap under concurrency: the total is their sum (as JUnit
    // readers add suites up), never the shorter wall-clock time.
    const total = secs(Math.max(totalMs, run.finishedAt - run.startedAt));
    return [
      '<?xml version="1.0" encoding="UTF-8"?>',
      `<testsuites name="modelpin eval" tests="${tests}" failures="${failures}" errors="${errors}" time="${total}">`,
      ...suites,
      '</testsuites>',
      '',
    ].join('\n');
  },
};
