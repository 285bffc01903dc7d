/**
 * The entry point of the `aemp` command (`bin/aemp.js` loads it).
 * @module
 */
import { runCli } from './run.js';

const code = await runCli(process.argv.slice(2));
// output to pipes and files is written synchronously; leave once it is out
process.stdout.write('', () => process.exit(code));
