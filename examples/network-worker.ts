/**
 * A worker process of the live demo (examples/network.ts): attaches to the
 * seed, makes a job port, registers it in family `workers`, and answers
 * `job` requests after a short "work" delay. argv: name, seed address.
 */
import { createNode } from '../src/index.js';

const [name = 'worker', seed = '127.0.0.1:4040'] = process.argv.slice(2);
const node = await createNode({
  nodeid: `${name}/`,
  binds: ['127.0.0.1:0'],
  seeds: [seed],
  secret: process.env.AEMP_SECRET,
  norc: true,
  stderrLog: 'error',
});

const jobs = node.port().rcv('job', ([n, reply]) => {
  // pretend to work for a moment, then answer with the result and who did it
  node.after(0.15 + Math.random() * 0.1, () => node.snd(reply as string, name, (n as number) ** 2));
});
node.db.reg('workers', jobs.id, { name, pid: process.pid });

process.stdout.write(`ready ${jobs.id}\n`);
const stop = () => void node.close().then(() => process.exit(0));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
process.stdin.resume();
process.stdin.on('end', stop);
