import { ApiError, GoogleGenAI } from '@google/genai';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/core/clock.js';
import { vectorCosine } from '../../src/evals/similarity.js';
import { simEmbedding } from '../../src/sim/embedding.js';
import { startSimulatorServer, type SimulatorServer } from '../../src/sim/server.js';

const REFUND = 'You can return any item within 30 days for a full refund.';
const PARAPHRASE = 'Any item can be returned within 30 days for a full refund.';
const UNRELATED = 'Paris is the capital of France and sits on the Seine.';
const MODEL = 'sim-embed-2026-03-01';

let server: SimulatorServer;
let openai: OpenAI;
let genai: GoogleGenAI;

beforeAll(async () => {
  const clock = new ManualClock(Date.parse('2026-11-23T09:00:00Z'));
  server = await startSimulatorServer({ port: 0, scenario: 'default', clock, seed: 1 });
  openai = new OpenAI({ apiKey: 'sim-key', baseURL: `${server.url}/v1`, maxRetries: 0 });
  genai = new GoogleGenAI({ apiKey: 'sim-key', httpOptions: { baseUrl: server.url } });
});
afterAll(async () => {
  await server.close();
});

/** Float32 on the wire (base64) loses precision against the float64 vectors. */
function expectClose(actual: ArrayLike<number> | undefined, expected: number[]): void {
  expect(actual?.length).toBe(expected.length);
  expected.forEach((x, i) => expect(actual?.[i]).toBeCloseTo(x, 6));
}

describe('openai SDK embeddings.create against the simulator', () => {
  it('default (base64 on the wire, decoded by the SDK): one vector per input, in order, with usage', async () => {
    const { data: res, response } = await openai.embeddings
      .create({ model: MODEL, input: [REFUND, UNRELATED] })
      .withResponse();
    expect(response.headers.get('x-modelpin-simulator')).toBe('1');
    expect(response.headers.get('x-modelpin-served-model')).toBe(MODEL);
    expect(res.object).toBe('list');
    expect(res.model).toBe(MODEL);
    expect(res.data.map((d) => [d.object, d.index])).toEqual([
      ['embedding', 0],
      ['embedding', 1],
    ]);
    expectClose(res.data[0]?.embedding, simEmbedding(REFUND, MODEL));
    expectClose(res.data[1]?.embedding, simEmbedding(UNRELATED, MODEL));
    expect(res.usage).toEqual({ prompt_tokens: 13 + 12, total_tokens: 13 + 12 });
  });

  it('encoding_format float answers plain number arrays; dimensions shortens the vector', async () => {
    const res = await openai.embeddings.create({
      model: MODEL,
      input: REFUND,
      encoding_format: 'float',
      dimensions: 64,
    });
    expect(res.data).toHaveLength(1);
    expect(res.data[0]?.embedding).toEqual(simEmbedding(REFUND, MODEL, 64));
  });

  it('a paraphrase is close, an unrelated text is not', async () => {
    const res = await openai.embeddings.create({ model: MODEL, input: [REFUND, PARAPHRASE, UNRELATED] });
    const [a, b, c] = res.data.map((d) => d.embedding);
    expect(vectorCosine(a ?? [], b ?? [])).toBeGreaterThan(0.7);
    expect(vectorCosine(a ?? [], c ?? [])).toBeLessThan(0.3);
  });

  it('aliases resolve to their snapshot; any live chat snapshot embeds too', async () => {
    const res = await openai.embeddings.create({ model: 'sim-mini-latest', input: 'hello' });
    expect(res.model).toBe('sim-mini-2026-03-01');
  });

  it('a retired snapshot is the same 404 as for chat; bad input is a 400', async () => {
    const retired = await openai.embeddings
      .create({ model: 'sim-chat-2025-06-01', input: 'x' })
      .catch((e: unknown) => e);
    expect(retired).toBeInstanceOf(OpenAI.NotFoundError);
    expect((retired as InstanceType<typeof OpenAI.NotFoundError>).code).toBe('model_not_found');
    const chat = await openai.chat.completions
      .create({ model: 'sim-chat-2025-06-01', messages: [{ role: 'user', content: 'x' }] })
      .catch((e: unknown) => e);
    expect((chat as Error).message).toBe((retired as Error).message);

    const empty = await openai.embeddings.create({ model: MODEL, input: ['ok', ''] }).catch((e: unknown) => e);
    expect(empty).toBeInstanceOf(OpenAI.BadRequestError);
    expect((empty as Error).message).toMatch(/input\[1\]: an empty string cannot be embedded/);
    const tokens = await openai.embeddings.create({ model: MODEL, input: [1, 2, 3] }).catch((e: unknown) => e);
    expect(tokens).toBeInstanceOf(OpenAI.BadRequestError);
    expect((tokens as Error).message).toMatch(/token arrays are not supported/);
    const wide = await openai.embeddings
      .create({ model: MODEL, input: 'x', dimensions: 4096 })
      .catch((e: unknown) => e);
    expect(wide).toBeInstanceOf(OpenAI.BadRequestError);
  });
});

describe('@google/genai SDK models.embedContent against the simulator', () => {
  it('embeds one or several contents (batchEmbedContents on the wire)', async () => {
    const one = await genai.models.embedContent({ model: MODEL, contents: REFUND });
    expect(one.embeddings).toHaveLength(1);
    expectClose(one.embeddings?.[0]?.values, simEmbedding(REFUND, MODEL));

    const many = await genai.models.embedContent({
      model: MODEL,
      contents: [REFUND, PARAPHRASE, UNRELATED],
      config: { outputDimensionality: 128, taskType: 'SEMANTIC_SIMILARITY' },
    });
    const [a, b, c] = (many.embeddings ?? []).map((e) => e.values ?? []);
    expect(a).toHaveLength(128);
    expectClose(a, simEmbedding(REFUND, MODEL, 128));
    expect(vectorCosine(a ?? [], b ?? [])).toBeGreaterThan(0.7);
    expect(vectorCosine(a ?? [], c ?? [])).toBeLessThan(0.3);
  });

  it('a retired model is a 404 ApiError', async () => {
    const e = await genai.models
      .embedContent({ model: 'sim-chat-2025-06-01', contents: 'x' })
      .catch((err: unknown) => err);
    expect(e).toBeInstanceOf(ApiError);
    expect((e as ApiError).status).toBe(404);
  });
});

describe('Gemini REST shapes', () => {
  const post = async (path: string, body: unknown) => {
    const res = await fetch(`${server.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    return { status: res.status, json: (await res.json()) as Record<string, unknown> };
  };

  it(':embedContent answers {embedding: {values}}', async () => {
    const r = await post(`/v1beta/models/${MODEL}:embedContent`, { content: { parts: [{ text: REFUND }] } });
    expect(r.status).toBe(200);
    expect(r.json).toEqual({ embedding: { values: simEmbedding(REFUND, MODEL) } });
  });

  it(':batchEmbedContents refuses a request naming another model, and more than 100 requests', async () => {
    const other = await post(`/v1beta/models/${MODEL}:batchEmbedContents`, {
      requests: [{ model: 'models/sim-mini-2026-03-01', content: { parts: [{ text: 'x' }] } }],
    });
    expect(other.status).toBe(400);
    expect(other.json).toMatchObject({
      error: {
        code: 400,
        status: 'INVALID_ARGUMENT',
        message: expect.stringMatching(/does not match the model in the URL/),
      },
    });
    const requests = Array.from({ length: 101 }, () => ({
      model: `models/${MODEL}`,
      content: { parts: [{ text: 'x' }] },
    }));
    expect((await post(`/v1beta/models/${MODEL}:batchEmbedContents`, { requests })).status).toBe(400);
  });

  it('lists the embedding methods for every live model', async () => {
    const res = await fetch(`${server.url}/v1beta/models/${MODEL}`);
    expect(((await res.json()) as { supportedGenerationMethods: string[] }).supportedGenerationMethods).toEqual(
      expect.arrayContaining(['embedContent', 'batchEmbedContents']),
    );
  });
});
