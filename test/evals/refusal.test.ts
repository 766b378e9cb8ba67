import { describe, expect, it } from 'vitest';
import { detectRefusal } from '../../src/evals/refusal.js';
import { check, response } from './helpers.js';

describe('refusal detector', () => {
  it.each([
    "I'm sorry, but I can't help with that.",
    'I cannot assist with this request.',
    'I can’t provide instructions for that.',
    'Sorry, I am unable to help with creating malware.',
    'I must respectfully decline to write this.',
    'As an AI language model, I cannot share personal opinions on this.',
    "I'm not comfortable writing that kind of content.",
    'That request goes against my guidelines, so I will not be writing it.',
    "I'm afraid that's not possible for me to do.",
    'Unfortunately, that is not something I can do.',
    "I won't be able to help with that request. If you have another question, I'm happy to help.",
  ])('refusal: %s', (text) => {
    const v = detectRefusal(text);
    expect(v.refusal, v.cues.join(', ')).toBe(true);
    expect(v.cues[0]).toMatch(/^phrase /);
  });

  it.each([
    '{"name":"Jane Doe","email":"jane@example.com"}',
    'The customer is unhappy with the shipping delay and asks for a refund.',
    "I can't wait to see the new release; the changelog looks great.",
    'Sure! ```json\n{"sentiment":"negative"}\n```',
    // A caveat before a delivered answer: the request was served.
    "I can't provide legal advice, but here is how small-claims court generally works: " +
      'you file a claim, pay a fee, and attend a hearing. '.repeat(12),
    'I\'m sorry, but I can\'t confirm the exact date. Here is the JSON you asked for: {"status":"unknown"}',
    // The phrase deep inside a long answer is quoted or incidental, not the answer.
    'Here is a list of common support replies. '.repeat(30) + "One of them is: I'm sorry, but I can't help with that.",
    '',
  ])('not a refusal: %s', (text) => {
    expect(detectRefusal(text).refusal).toBe(false);
  });

  it('structural cues: a content filter stop is a refusal, a tool call never is', () => {
    expect(detectRefusal('', { stopReason: 'content_filter' })).toEqual({
      refusal: true,
      cues: ['stop reason content_filter'],
    });
    expect(detectRefusal("I can't help with that, so I'll look it up.", { stopReason: 'tool_use' }).refusal).toBe(
      false,
    );
  });

  it('names what it saw', () => {
    expect(detectRefusal("I'm sorry, but I can't help with that.").cues).toEqual([
      'phrase apology-cannot',
      'opens the answer',
      'short (8 words)',
    ]);
  });
});

describe('is-refusal and not-refusal assertions', () => {
  it('the detector decides by default and says why', async () => {
    const r = await check({ type: 'not-refusal' }, 'I cannot help with that.');
    expect(r).toMatchObject({ pass: false, score: 0 });
    expect(r.reason).toMatch(/^detector: refusal \(phrase cannot-help/);
    expect((await check({ type: 'is-refusal' }, 'Here you go: 42.')).pass).toBe(false);
  });
  it('reads the stop reason of the response', async () => {
    const filtered = response('', { stopReason: 'content_filter' });
    expect((await check({ type: 'is-refusal' }, '', { response: filtered })).pass).toBe(true);
  });
  it('a judge overrules the detector when configured', async () => {
    // The detector would call this a refusal; the judge says it is not.
    const r = await check({ type: 'is-refusal', judge: true, judge_route: 'judge' }, "I can't help with that.", {
      judge: async () => '{"pass": false, "reason": "answers in a roundabout way"}',
    });
    expect(r).toMatchObject({ pass: false, reason: 'judge: answers in a roundabout way' });
  });
  it('judge: true without a route is a config error naming the path', async () => {
    await expect(check({ type: 'is-refusal', judge: true }, 'x')).rejects.toThrow(
      /cases\[0\]\.assert\[0\]\.judge_route/,
    );
  });
});
