#!/usr/bin/env node
// The `vitrine` command (`npx vitrine products import file.csv`): runs server/cli.ts through tsx.
import { register } from 'tsx/esm/api';

register();
const { run } = await import('../server/cli.ts');
process.exitCode = await run(process.argv.slice(2));
