/** The official SDKs' embeddings calls against the gateway, same format and cross-format, with a simulator upstream. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import OpenAI from 'openai';
import { GoogleGenAI } from '@google/genai';
import { simEmbedding } from '../../src/sim/embedding.js';
import { countTokens } from '../../src/core/tokenizer.js';
import { SIM_PROVIDERS, startHarness, type Harness } from '../support/gateway-harness.js';

let h: Harness;

beforeAll(async () => {
  h = await startHarness(
    (sim) => `${SIM_PROVIDERS(sim)}
routes:
  embed: { targets: { production: sim/sim-embed-2026-03-01 } }
  embed-on-gemini: { targets: { production: as_gemini/sim-embed-2026-03-01 } }
  embed-on-openai: { targets: { production: as_openai/sim-embed-2026-03-01 } }
gateway:
  auth: keys
  keys:
    - { id: app, key: "\${GW_KEY}" }
`,
  );
});
afterAll(async () => {
  await h.close();
});

const openai = (apiKey = 'client-secret-1') => new OpenAI({ baseURL: `${h.gateway.url}/v1`, apiKey, maxRetries: 0 });
const genai = (apiKey = 'client-secret-1') => new GoogleGenAI({ apiKey, httpOptions: { baseUrl: h.gateway.url } });

/** What the simulated model answers, as float32 (what base64 carries). */
const f32 = (v: number[]) => v.map((x) => Math.fround(x));
const norm = (v: readonly number[]) => Math.sqrt(v.reduce((n, x) => n + x * x, 0));
const LONG_A = 'What is your name, and where did you grow up before moving to the coast with your family?';
const LONG_B = 'What is your favourite colour for a small wooden boat painted by hand in early spring?';

describe('OpenAI SDK embeddings.create', () => {
  it('default encoding (the SDK asks for base64 and decodes it): the simulated vector, usage and routing headers', async () => {
    const text = 'The quick brown fox jumps over the lazy dog';
    const { data, response } = await openai().embeddings.create({ model: 'embed', input: text }).withResponse();
    expect(data.object).toBe('list');
    expect(data.model).toBe('embed');
    expect(data.data).toHaveLength(1);
    expect(data.data[0]?.index).toBe(0);
    expect(Array.from(data.data[0]?.embedding ?? [])).toEqual(f32(simEmbedding(text, 'sim-embed-2026-03-01')));
    expect(data.usage).toEqual({ prompt_tokens: countTokens(text), total_tokens: countTokens(text) });
    expect(response.headers.get('x-modelpin-route')).toBe('embed');
    expect(response.headers.get('x-modelpin-target')).toBe('sim/sim-embed-2026-03-01');
    expect(response.headers.get('x-modelpin-served-model')).toBe('sim-embed-2026-03-01');
    expect(response.headers.get('x-modelpin-attempts')).toBe('1');
  });

  it('the wire carries base64 when the SDK asks for it, and floats when asked for float', async () => {
    const raw = await fetch(`${h.gateway.url}/v1/embeddings`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer client-secret-1' },
      body: JSON.stringify({ model: 'embed', input: 'hello world', encoding_format: 'base64' }),
    });
    const body = (await raw.json()) as { data: Array<{ embedding: unknown }> };
    expect(typeof body.data[0]?.embedding).toBe('string');
    const buf = Buffer.from(body.data[0]?.embedding as string, 'base64');
    expect(buf.length).toBe(256 * 4);
    expect(buf.readFloatLE(0)).toBe(Math.fround(simEmbedding('hello world', 'sim-embed-2026-03-01')[0] ?? NaN));

    const float = await openai().embeddings.create({ model: 'embed', input: 'hello world', encoding_format: 'float' });
    expect(float.data[0]?.embedding).toEqual(simEmbedding('hello world', 'sim-embed-2026-03-01'));
  });

  it('several inputs keep their order; dimensions go to the provider, which answers vectors of that length', async () => {
    const inputs = [LONG_A, LONG_B, 'red apples and green pears and blue berries in a basket on the kitchen table'];
    const res = await openai().embeddings.create({
      model: 'embed',
      input: inputs,
      encoding_format: 'float',
      dimensions: 64,
    });
    expect(res.data.map((d) => d.index)).toEqual([0, 1, 2]);
    // The simulator's own 64-long vectors, not a shortened 256-long one.
    expect(res.data.map((d) => d.embedding)).toEqual(inputs.map((t) => simEmbedding(t, 'sim-embed-2026-03-01', 64)));
    res.data.forEach((d) => expect(norm(d.embedding)).toBeCloseTo(1, 9));
    expect(res.usage.prompt_tokens).toBe(inputs.reduce((n, t) => n + countTokens(t), 0));
    const b64 = await openai().embeddings.create({ model: 'embed', input: inputs, dimensions: 8 });
    expect(b64.data.map((d) => d.embedding.length)).toEqual([8, 8, 8]);
  });

  it('reaches a route on a Gemini-format provider (cross-format)', async () => {
    const { data, response } = await openai()
      .embeddings.create({ model: 'embed-on-gemini', input: ['first text', 'second text'], encoding_format: 'float' })
      .withResponse();
    expect(data.data.map((d) => d.embedding)).toEqual([
      simEmbedding('first text', 'sim-embed-2026-03-01'),
      simEmbedding('second text', 'sim-embed-2026-03-01'),
    ]);
    expect(response.headers.get('x-modelpin-target')).toBe('as_gemini/sim-embed-2026-03-01');
  });

  it('raises the SDK error classes: bad key, unknown route, too many dimensions (the provider refuses), token ids', async () => {
    await expect(openai('wrong').embeddings.create({ model: 'embed', input: 'x' })).rejects.toBeInstanceOf(
      OpenAI.AuthenticationError,
    );
    const unknown = await openai()
      .embeddings.create({ model: 'nope', input: 'x' })
      .catch((e: unknown) => e);
    expect(unknown).toBeInstanceOf(OpenAI.NotFoundError);
    expect((unknown as Error).message).toMatch(/unknown route "nope".*embed, embed-on-gemini, embed-on-openai/);
    const tooLong = await openai()
      .embeddings.create({ model: 'embed', input: 'x', dimensions: 4096 })
      .catch((e: unknown) => e);
    expect(tooLong).toBeInstanceOf(OpenAI.BadRequestError);
    expect((tooLong as Error).message).toMatch(
      /dimensions: 4096 is not between 1 and 256, the length sim-embed-2026-03-01 answers/,
    );
    // Over HTTP too: the OpenAI-format upstream's 400 is answered as a 400.
    const overHttp = await openai()
      .embeddings.create({ model: 'embed-on-openai', input: 'x', dimensions: 4096 })
      .catch((e: unknown) => e);
    expect(overHttp).toBeInstanceOf(OpenAI.BadRequestError);
    expect((overHttp as Error).message).toMatch(/4096 is not between 1 and 256/);
    const tokens = await openai()
      .embeddings.create({ model: 'embed', input: [[1, 2, 3]] })
      .catch((e: unknown) => e);
    expect(tokens).toBeInstanceOf(OpenAI.BadRequestError);
    expect((tokens as Error).message).toMatch(/token-id arrays are not supported/);
  });
});

describe('Google Gen AI SDK models.embedContent', () => {
  it('embeds several contents through :batchEmbedContents with outputDimensionality', async () => {
    const res = await genai().models.embedContent({
      model: 'embed',
      contents: [LONG_A, LONG_B],
      config: { outputDimensionality: 32 },
    });
    expect(res.embeddings?.map((e) => e.values)).toEqual([
      simEmbedding(LONG_A, 'sim-embed-2026-03-01', 32),
      simEmbedding(LONG_B, 'sim-embed-2026-03-01', 32),
    ]);
  });

  it('reaches a route on an OpenAI-format provider (cross-format)', async () => {
    const res = await genai().models.embedContent({ model: 'embed-on-openai', contents: 'plain text' });
    expect(res.embeddings?.[0]?.values).toEqual(simEmbedding('plain text', 'sim-embed-2026-03-01'));
  });

  it('answers Gemini errors the SDK raises with their status', async () => {
    await expect(genai('wrong').models.embedContent({ model: 'embed', contents: 'x' })).rejects.toMatchObject({
      status: 401,
    });
    await expect(genai().models.embedContent({ model: 'nope', contents: 'x' })).rejects.toMatchObject({ status: 404 });
    const task = await genai()
      .models.embedContent({ model: 'embed-on-openai', contents: 'x', config: { taskType: 'RETRIEVAL_QUERY' } })
      .catch((e: unknown) => e);
    expect(task).toMatchObject({ status: 400 });
    // The SDK puts the JSON body in its message, quotes escaped.
    expect((task as Error).message).toMatch(
      /requests\[0\]\.taskType: route \W+embed-on-openai\W+ is answered by as_openai\/sim-embed-2026-03-01, whose provider \W+as_openai\W+ \(type openai\) has no taskType/,
    );
  });

  it('taskType and title reach Gemini-format and simulator targets', async () => {
    for (const model of ['embed', 'embed-on-gemini']) {
      const res = await genai().models.embedContent({
        model,
        contents: ['first text'],
        config: { taskType: 'RETRIEVAL_DOCUMENT', title: 'A title' },
      });
      expect(res.embeddings?.[0]?.values).toEqual(simEmbedding('first text', 'sim-embed-2026-03-01'));
    }
  });

  it(':embedContent (one content) answers one embedding', async () => {
    const res = await fetch(`${h.gateway.url}/v1beta/models/embed-on-gemini:embedContent`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-goog-api-key': 'client-secret-1' },
      body: JSON.stringify({ content: { parts: [{ text: LONG_A }, { text: LONG_B }] }, outputDimensionality: 16 }),
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('x-modelpin-route')).toBe('embed-on-gemini');
    const body = (await res.json()) as { embedding: { values: number[] } };
    expect(body.embedding.values).toEqual(simEmbedding(`${LONG_A} ${LONG_B}`, 'sim-embed-2026-03-01', 16));
  });
});
