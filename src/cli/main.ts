/**
 * The entry point of the `aemp` command (`bin/aemp.js` loads it).
 * @module
 */
import { runCli } from './run.js';

// `aemp watch f | head -1`: a reader that went away ends us quietly
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE') process.exit(0);
  throw e;
});

const code = await runCli(process.argv.slice(2));
// output to pipes and files is written synchronously; leave once it is out
process.stdout.write('', () => process.exit(code));
