// The pg driver, loaded without its Cloudflare Workers probe. On load, pg asks whether it runs on
// Workers; where `navigator` is missing (Node 20), it answers by building a fetch Response, which
// loads Node's whole fetch implementation: 30-50 ms of a start whose next step waits for Postgres.
// A `navigator` as Node 21+ defines it, present only while pg loads, gives the same answer at once.
import { createRequire } from 'node:module';
import type pgModule from 'pg';

const require = createRequire(import.meta.url);

function loadPg(): typeof pgModule {
  if ('navigator' in globalThis) return require('pg') as typeof pgModule;
  Object.defineProperty(globalThis, 'navigator', { value: { userAgent: `Node.js/${process.versions.node.split('.')[0]}` }, configurable: true });
  try {
    return require('pg') as typeof pgModule;
  } finally {
    delete (globalThis as { navigator?: unknown }).navigator;
  }
}

export const { Client } = loadPg();
