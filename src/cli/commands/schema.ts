/** `partnersim schema`: print the scenario file JSON Schema (for editors and validators). */
import { Command } from 'commander';
import type { CliContext } from '../../io/console.ts';
import { scenarioSchema } from '../../documents/schema.ts';

export function registerSchema(program: Command, ctx: CliContext): void {
  program
    .command('schema')
    .summary('print the JSON Schema of scenario files')
    .description('Print the JSON Schema (draft-07) of scenario files: every field with its type, range, default, ' +
      'meaning and unit. Save it and point your editor at it to get completion and checking while you write.')
    .addHelpText('after', `
Examples:
  partnersim schema > scenario.schema.json
  # then, first line of a YAML file (VS Code with the YAML extension):
  # yaml-language-server: $schema=./scenario.schema.json
  # or in a JSON file:  { "$schema": "./scenario.schema.json", "extends": "gm-2017" }`)
    .action(() => ctx.io.stdout(`${JSON.stringify(scenarioSchema(), null, 2)}\n`));
}
