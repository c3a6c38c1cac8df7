/** A verify worker thread: checks one seq range of a hash chain with its own connection (see HashChain.verify). */
import { parentPort, workerData } from 'node:worker_threads';
import knex, { type Knex } from 'knex';
import { HashChain } from './hash-chain';

const data = workerData as { table: string; content: string[]; config: Knex.Config; after: number; upTo: number | null; batchSize: number };
const db = knex(data.config);
new HashChain(data.table, data.content).checkSegment(db, data.after, data.upTo ?? Infinity, data.batchSize)
  .then((segment) => parentPort!.postMessage({ segment }), (err: unknown) => parentPort!.postMessage({ error: String((err as Error).message ?? err).slice(0, 500) }))
  .finally(() => db.destroy());
