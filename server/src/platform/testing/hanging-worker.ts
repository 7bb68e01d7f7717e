// A job worker process whose one task never ends, for the crash-recovery test: it is killed
// with SIGKILL while holding its job and that job's queue.
import pino from 'pino';
import { startJobWorker } from '../jobs.js';

const connectionString = process.argv[2];
if (!connectionString) throw new Error('usage: hanging-worker.ts <database url>');
await startJobWorker({
  connectionString,
  concurrency: 1,
  log: pino({ level: 'silent' }),
  tasks: {
    'test.hang': async () => {
      process.stdout.write('job started\n');
      await new Promise(() => {});
    },
  },
});
process.stdout.write('worker ready\n');
