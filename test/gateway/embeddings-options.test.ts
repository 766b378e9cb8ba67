/**
 * What the provider says and what the client asks, end to end: the provider's model and usage in
 * the usage record, `dimensions` / `outputDimensionality` / `taskType` / `title` passed to the
 * provider (on the wire, to a loopback upstream), task options refused on OpenAI-format targets,
 * and the Gemini model list advertising the embedding methods.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { simEmbedding } from '../../src/sim/embedding.js';
import { countTokens } from '../../src/core/tokenizer.js';
import { json, startServer, type TestServer } from '../providers/http-server.js';
import { startHarness, type Harness } from '../support/gateway-harness.js';

interface GeminiRequest {
  model: string;
  content: { parts: Array<{ text: string }> };
  outputDimensionality?: number;
  taskType?: string;
  title?: string;
}

/** A vector that says which text it is for: its first value is the text's length. */
const marked = (text: string, n: number): number[] => Array.from({ length: n }, (_, j) => (j === 0 ? text.length : 0));

let upstream: TestServer;
let geminiDown = false;
let h: Harness;

beforeAll(async () => {
  // An OpenAI-format upstream reporting its own model and token count, and a Gemini-format one reporting neither.
  upstream = await startServer((_req, res, rec) => {
    if (rec.url.includes(':batchEmbedContents')) {
      if (geminiDown)
        return json(res, 503, { error: { code: 503, message: 'The model is overloaded.', status: 'UNAVAILABLE' } });
      const { requests } = JSON.parse(rec.body) as { requests: GeminiRequest[] };
      return json(res, 200, {
        embeddings: requests.map((r) => ({
          values: marked(r.content.parts[0]?.text ?? '', r.outputDimensionality ?? 4),
        })),
      });
    }
    const body = JSON.parse(rec.body) as { input: string[]; dimensions?: number };
    return json(res, 200, {
      object: 'list',
      data: body.input.map((t, index) => ({ object: 'embedding', index, embedding: marked(t, body.dimensions ?? 4) })),
      model: 'fake-embed-snapshot-7',
      usage: { prompt_tokens: 999, total_tokens: 999 },
    });
  });
  h = await startHarness(
    (sim) => `providers:
  sim: { type: simulator, fast: true }
  compat: { type: openai-compatible, base_url: "${sim}/v1" }
  as_gemini: { type: gemini, base_url: "${sim}/v1beta", api_key: "k" }
  wire_o: { type: openai, base_url: "${upstream.url}/v1", api_key: "k" }
  wire_g: { type: gemini, base_url: "${upstream.url}/v1beta", api_key: "k" }
  anth: { type: anthropic, base_url: "${upstream.url}", api_key: "k" }
routes:
  compat-alias: { targets: { production: compat/sim-mini-latest } }
  compat-embed: { targets: { production: compat/sim-embed-2026-03-01 }, fallback: [as_gemini/sim-embed-2026-03-01] }
  reported: { targets: { production: wire_o/text-embedding-3-small } }
  wire-gemini: { targets: { production: wire_g/gemini-embedding-001 } }
  gemini-then-openai: { targets: { production: wire_g/gemini-embedding-001 }, fallback: [wire_o/text-embedding-3-small] }
  sim-embed: { targets: { production: sim/sim-embed-2026-03-01 } }
  chat: { targets: { production: sim/sim-chat-2026-01-15 } }
  anth-embed-named: { targets: { production: anth/claude-embed-like-name } }
retry:
  max_attempts: 1
`,
  );
});
afterAll(async () => {
  await h.close();
  await upstream.close();
});
beforeEach(() => {
  upstream.requests.length = 0;
  geminiDown = false;
});

const post = (path: string, body: unknown) =>
  fetch(`${h.gateway.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
const openAi = (model: string, input: string | string[], extra: Record<string, unknown> = {}) =>
  post('/v1/embeddings', { model, input, encoding_format: 'float', ...extra });
const batch = (model: string, requests: Array<Partial<GeminiRequest> & { text: string }>) =>
  post(`/v1beta/models/${model}:batchEmbedContents`, {
    requests: requests.map(({ text, ...rest }) => ({ content: { parts: [{ text }] }, ...rest })),
  });
const geminiBodies = () =>
  upstream.requests
    .filter((r) => r.url.includes(':batchEmbedContents'))
    .map((r) => (JSON.parse(r.body) as { requests: GeminiRequest[] }).requests);

async function lastUsage(route: string) {
  await h.gateway.writer.flush();
  return (await h.gateway.store.queryUsage({ route })).at(-1);
}

describe('the provider reports the model and the usage', () => {
  it('an OpenAI-compatible target on the simulator over HTTP: the snapshot an alias resolved to and the exact prompt_tokens', async () => {
    const texts = ['The customer loves the blender.', 'Refunds take five days.'];
    const res = await openAi('compat-alias', texts);
    expect(res.status).toBe(200);
    expect(res.headers.get('x-modelpin-served-model')).toBe('sim-mini-2026-03-01');
    const body = (await res.json()) as { data: Array<{ embedding: number[] }>; usage: { prompt_tokens: number } };
    expect(body.data[0]?.embedding).toEqual(simEmbedding(texts[0] ?? '', 'sim-mini-2026-03-01'));
    const tokens = countTokens(texts[0] ?? '') + countTokens(texts[1] ?? '');
    expect(body.usage.prompt_tokens).toBe(tokens);
    expect(await lastUsage('compat-alias')).toMatchObject({
      target: 'compat/sim-mini-latest',
      servedModel: 'sim-mini-2026-03-01',
      inputTokens: tokens,
      status: 200,
    });
  });

  it('what the upstream reports is recorded even when it differs from the gateway estimate', async () => {
    const res = await openAi('reported', 'four words of text');
    expect(res.status).toBe(200);
    expect(res.headers.get('x-modelpin-served-model')).toBe('fake-embed-snapshot-7');
    expect(((await res.json()) as { usage: { prompt_tokens: number } }).usage.prompt_tokens).toBe(999);
    expect(await lastUsage('reported')).toMatchObject({ servedModel: 'fake-embed-snapshot-7', inputTokens: 999 });
  });

  it('a Gemini-format upstream reports neither: the target model and the estimate are recorded', async () => {
    const res = await batch('wire-gemini', [{ text: 'hello there general' }]);
    expect(res.status).toBe(200);
    expect(res.headers.get('x-modelpin-served-model')).toBe('gemini-embedding-001');
    expect(await lastUsage('wire-gemini')).toMatchObject({
      servedModel: 'gemini-embedding-001',
      inputTokens: countTokens('hello there general'),
    });
  });
});

describe('options go to the provider', () => {
  it('OpenAI dimensions: the simulator over HTTP answers vectors of the requested length, for an OpenAI or a Gemini client', async () => {
    const viaOpenAi = await openAi('compat-embed', 'red apples and green pears', { dimensions: 12 });
    expect(((await viaOpenAi.json()) as { data: Array<{ embedding: number[] }> }).data[0]?.embedding).toEqual(
      simEmbedding('red apples and green pears', 'sim-embed-2026-03-01', 12),
    );
    const viaGemini = await batch('compat-embed', [{ text: 'red apples and green pears', outputDimensionality: 12 }]);
    expect(((await viaGemini.json()) as { embeddings: Array<{ values: number[] }> }).embeddings[0]?.values).toEqual(
      simEmbedding('red apples and green pears', 'sim-embed-2026-03-01', 12),
    );
  });

  it('taskType, title and outputDimensionality reach a Gemini-format upstream with each request', async () => {
    const res = await batch('wire-gemini', [
      { text: 'doc one', taskType: 'RETRIEVAL_DOCUMENT', title: 'Returns', outputDimensionality: 3 },
      { text: 'doc two!', taskType: 'RETRIEVAL_DOCUMENT', title: 'Returns', outputDimensionality: 3 },
    ]);
    expect(res.status).toBe(200);
    expect(geminiBodies()).toEqual([
      [
        {
          model: 'models/gemini-embedding-001',
          content: { parts: [{ text: 'doc one' }] },
          taskType: 'RETRIEVAL_DOCUMENT',
          title: 'Returns',
          outputDimensionality: 3,
        },
        {
          model: 'models/gemini-embedding-001',
          content: { parts: [{ text: 'doc two!' }] },
          taskType: 'RETRIEVAL_DOCUMENT',
          title: 'Returns',
          outputDimensionality: 3,
        },
      ],
    ]);
    expect(((await res.json()) as { embeddings: Array<{ values: number[] }> }).embeddings.map((e) => e.values)).toEqual(
      [marked('doc one', 3), marked('doc two!', 3)],
    );
  });

  it('a batch whose requests differ in options: one upstream call per set of options, answers in the client order', async () => {
    const res = await batch('wire-gemini', [
      { text: 'a', title: 'First' },
      { text: 'bb', title: 'Second', outputDimensionality: 2 },
      { text: 'ccc', title: 'First' },
    ]);
    expect(res.status).toBe(200);
    const sent = geminiBodies().map((reqs) =>
      reqs.map((r) => [r.content.parts[0]?.text, r.title, r.outputDimensionality ?? null]),
    );
    expect(sent).toHaveLength(2);
    expect(sent).toEqual(
      expect.arrayContaining([
        [
          ['a', 'First', null],
          ['ccc', 'First', null],
        ],
        [['bb', 'Second', 2]],
      ]),
    );
    expect(((await res.json()) as { embeddings: Array<{ values: number[] }> }).embeddings.map((e) => e.values)).toEqual(
      [marked('a', 4), marked('bb', 2), marked('ccc', 4)],
    );
    expect(res.headers.get('x-modelpin-attempts')).toBe('1');
  });

  it('the same mixed batch on the in-process simulator: each text at its own length', async () => {
    const res = await batch('sim-embed', [{ text: 'first text', outputDimensionality: 8 }, { text: 'second text' }]);
    const values = ((await res.json()) as { embeddings: Array<{ values: number[] }> }).embeddings.map((e) => e.values);
    expect(values).toEqual([
      simEmbedding('first text', 'sim-embed-2026-03-01', 8),
      simEmbedding('second text', 'sim-embed-2026-03-01'),
    ]);
  });

  it('TASK_TYPE_UNSPECIFIED is no task type: not sent, and not refused by an OpenAI-format target', async () => {
    const res = await batch('compat-embed', [{ text: 'plain', taskType: 'TASK_TYPE_UNSPECIFIED' }]);
    expect(res.status).toBe(200);
    expect(res.headers.get('x-modelpin-target')).toBe('compat/sim-embed-2026-03-01');
  });
});

describe('task options and OpenAI-format targets', () => {
  it('a route answered by an OpenAI-format target refuses taskType and title with a 400 naming the field, calling nobody', async () => {
    const task = await batch('reported', [{ text: 'x' }, { text: 'y', taskType: 'RETRIEVAL_QUERY' }]);
    expect(task.status).toBe(400);
    const body = (await task.json()) as { error: { code: number; status: string; message: string } };
    expect(body.error).toMatchObject({ code: 400, status: 'INVALID_ARGUMENT' });
    expect(body.error.message).toMatch(
      /^requests\[1\]\.taskType: route "reported" is answered by wire_o\/text-embedding-3-small, whose provider "wire_o" \(type openai\) has no taskType in its embeddings API/,
    );
    const title = await post('/v1beta/models/compat-embed:embedContent', {
      content: { parts: [{ text: 'x' }] },
      taskType: 'RETRIEVAL_DOCUMENT',
      title: 'T',
    });
    expect(title.status).toBe(400);
    // taskType comes first among the options checked.
    expect(((await title.json()) as { error: { message: string } }).error.message).toMatch(
      /^taskType: route "compat-embed" is answered by compat\/sim-embed-2026-03-01/,
    );
    const titleOnly = await post('/v1beta/models/compat-embed:embedContent', {
      content: { parts: [{ text: 'x' }] },
      title: 'T',
    });
    expect(((await titleOnly.json()) as { error: { message: string } }).error.message).toMatch(
      /^title: .*type openai-compatible\) has no title/,
    );
    expect(upstream.requests).toHaveLength(0);
    expect(await lastUsage('reported')).toMatchObject({ status: 400, errorCode: 'unsupported', attempts: 0 });
  });

  it('an OpenAI-format fallback is left out of the chain for a request with a task option, and kept for one without', async () => {
    geminiDown = true;
    const task = await batch('gemini-then-openai', [{ text: 'x', taskType: 'RETRIEVAL_QUERY' }]);
    expect(task.status).toBe(503);
    expect(task.headers.get('x-modelpin-attempts')).toBe('1');
    expect(upstream.requests.map((r) => r.url)).toEqual(['/v1beta/models/gemini-embedding-001:batchEmbedContents']);
    expect(
      h.logs.some(
        (l) =>
          l.msg.startsWith('embeddings: targets that cannot answer this request') &&
          JSON.stringify(l.fields).includes('has no taskType'),
      ),
    ).toBe(true);

    upstream.requests.length = 0;
    const plain = await batch('gemini-then-openai', [{ text: 'x' }]);
    expect(plain.status).toBe(200);
    expect(plain.headers.get('x-modelpin-target')).toBe('wire_o/text-embedding-3-small');
    expect(upstream.requests.map((r) => r.url)).toEqual([
      '/v1beta/models/gemini-embedding-001:batchEmbedContents',
      '/v1/embeddings',
    ]);
  });
});

describe('Gemini model list', () => {
  const methods = async (path: string) => {
    const res = await fetch(`${h.gateway.url}${path}`);
    expect(res.status).toBe(200);
    return res.json() as Promise<
      { name: string; supportedGenerationMethods: string[] } & {
        models?: Array<{ name: string; supportedGenerationMethods: string[] }>;
      }
    >;
  };

  it('routes on an embedding model of a provider with embed list the embedding methods, the others the generate ones', async () => {
    const list = await methods('/v1beta/models');
    const by = new Map((list.models ?? []).map((m) => [m.name, m.supportedGenerationMethods]));
    const EMBED = ['embedContent', 'batchEmbedContents'];
    const GENERATE = ['generateContent', 'streamGenerateContent'];
    expect(by.get('models/wire-gemini')).toEqual(EMBED);
    expect(by.get('models/reported')).toEqual(EMBED);
    expect(by.get('models/sim-embed')).toEqual(EMBED);
    expect(by.get('models/chat')).toEqual(GENERATE);
    // The model id has no "embed" in it, although the simulator would embed with it.
    expect(by.get('models/compat-alias')).toEqual(GENERATE);
    // "embed" in the id, but Anthropic has no embeddings API.
    expect(by.get('models/anth-embed-named')).toEqual(GENERATE);
    expect((await methods('/v1beta/models/sim-embed')).supportedGenerationMethods).toEqual(EMBED);
  });

  it('follows a runtime override of the target', async () => {
    await h.gateway.store.setOverride({
      route: 'chat',
      env: 'production',
      target: 'sim/sim-embed-2026-03-01',
      reason: 'test',
      actor: 'me',
      createdAt: h.clock.now(),
      expiresAt: null,
    });
    await h.gateway.refresh();
    try {
      expect((await methods('/v1beta/models/chat')).supportedGenerationMethods).toEqual([
        'embedContent',
        'batchEmbedContents',
      ]);
    } finally {
      await h.gateway.store.clearOverride('chat', 'production');
      await h.gateway.refresh();
    }
    expect((await methods('/v1beta/models/chat')).supportedGenerationMethods).toEqual([
      'generateContent',
      'streamGenerateContent',
    ]);
  });
});
