// A TypeScript suite: the same format as YAML, plus check functions inline.
// modelpin loads it through tsx when tsx is installed (npm install --save-dev tsx):
//   npx modelpin eval examples/evals/typescript --config examples/models.yml
// (or compile it to .js/.mjs, which load directly).
import { defineSuite } from 'modelpin';

interface Contact {
  name?: unknown;
  email?: unknown;
}

export default defineSuite({
  name: 'contracts-ts',
  tags: ['typescript'],
  defaults: { route: 'summarize', assert: [{ type: 'no-markdown-fences' }] },
  cases: [
    {
      id: 'contact-shape',
      vars: { text: 'Reach Grace Hopper at grace@example.com' },
      prompt: 'Extract the name and email as JSON. Text: {{text}}',
      assert: [
        { type: 'is-json' },
        {
          type: 'javascript',
          label: 'email is lower-case and belongs to the name',
          fn: (_output, ctx) => {
            const c = ctx.json as Contact | undefined;
            if (typeof c?.email !== 'string' || typeof c.name !== 'string') return { pass: false, reason: 'name/email missing' };
            const first = c.name.split(' ')[0]?.toLowerCase() ?? '';
            return { pass: c.email === c.email.toLowerCase() && c.email.startsWith(first), reason: `email ${c.email}` };
          },
        },
      ],
    },
  ],
});
