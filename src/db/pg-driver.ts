// The pg driver, loaded without its Cloudflare Workers probe. On load, pg asks whether it runs on
// Workers; where `navigator` is missing (Node 20), it answers by building a fetch Response, which
// loads Node's whole fetch implementation: 30-50 ms of a cold start or of a migration's first query.
// A `navigator` as Node 21+ defines it, present only while pg loads, gives the same answer at once.
import { createRequire } from 'node:module';
import type pg from 'pg';

const require = createRequire(import.meta.url);

function loadPg(): typeof pg {
  if ('navigator' in globalThis) return require('pg') as typeof pg;
  Object.defineProperty(globalThis, 'navigator', { value: { userAgent: `Node.js/${process.versions.node.split('.')[0]}` }, configurable: true });
  try {
    return require('pg') as typeof pg;
  } finally {
    delete (globalThis as { navigator?: unknown }).navigator;
  }
}

/** What `import pg from 'pg'` gives: for Sequelize's `dialectModule`, and the migration's clients. */
export const pgModule = loadPg();
export const { Client } = pgModule;
