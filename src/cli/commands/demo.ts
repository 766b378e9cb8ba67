import type { Command } from 'commander';
import { addCommand, type CommandModule } from '../registry.js';
import { action } from '../action.js';
import { EXIT } from '../exit-codes.js';
import { runDemo } from '../../demo/story.js';

export const command: CommandModule = {
  register(program: Command) {
    addCommand(program, 'demo')
      .option('--dir <path>', 'workspace directory to create the demo project in (default: a new temp dir)')
      .addHelpText(
        'after',
        '\nEvery step is a real modelpin command run against the simulator; no keys and no network are used.\nExit code 1 if any step did not behave as the story expects.',
      )
      .action(
        action(async (o: { dir?: string }) => {
          const res = await runDemo(o.dir ? { dir: o.dir } : {});
          return res.surprises.length === 0 ? EXIT.ok : EXIT.failed;
        }),
      );
  },
};
