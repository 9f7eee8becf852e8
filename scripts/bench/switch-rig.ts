// Both backends as production runs them during a switch: the legacy app on MySQL behind the routing
// middleware, the new app on Postgres behind the serverless shim (refusing writes while frozen too),
// and shoppers registering through the legacy front, retrying a refused write shortly after.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { toVercel } from '../../shim/index.js';
import { createApp } from '../../src/app/index.js';
import { cutoverMiddleware, SIDE_HEADER } from '../../src/cutover/middleware.js';
import { CutoverStore } from '../../src/cutover/store.js';
import { createLegacySequelize, createServerlessSequelize } from '../../src/db/index.js';

export interface SwitchRig {
  frontUrl: string;
  store: CutoverStore;
  close(): Promise<void>;
}

const JWT_SECRET = 'switch-rig-secret-0123456789';

export async function startSwitchRig(options: { mysqlUrl: string; postgresUrl: string; flagCacheMs: number }): Promise<SwitchRig> {
  const store = await CutoverStore.open(options.postgresUrl, { cacheMs: options.flagCacheMs });
  const legacyDb = createLegacySequelize(options.mysqlUrl);
  const newDb = createServerlessSequelize(options.postgresUrl);
  const config = { jwtSecret: JWT_SECRET, bcryptRounds: 4, logSink: () => {} };
  const frozen = async () => (await store.state()).frozen;
  const newApp = createApp({ sequelize: newDb, config: { ...config, writesFrozen: frozen } });
  const servers: http.Server[] = [];
  const listen = async (handler: http.RequestListener) => {
    const server = http.createServer(handler);
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  };
  const newUrl = await listen(toVercel(newApp));
  const routing = cutoverMiddleware({ store, newBackend: newUrl, statsFlushMs: 60_000, cohortSecret: JWT_SECRET });
  const frontUrl = await listen(express().use(routing).use(createApp({ sequelize: legacyDb, config })));
  return {
    frontUrl,
    store,
    async close() {
      await routing.close();
      for (const s of servers) {
        s.closeAllConnections();
        await new Promise((resolve) => s.close(resolve));
      }
      await Promise.all([legacyDb.close(), newDb.close(), store.close()]);
    },
  };
}

export interface Shoppers {
  acknowledged: { email: string; side: string }[];
  /** When each refusal (503) was seen. */
  refusals: number[];
  stop(): Promise<void>;
}


/** Registers users through `frontUrl`: `concurrency` clients, paced to `perSecond` in all when given. */
export function startShoppers(frontUrl: string, options: { prefix: string; concurrency?: number; perSecond?: number }): Shoppers {
  const shoppers: Shoppers = { acknowledged: [], refusals: [], stop: async () => {} };
  let running = true;
  let serial = 0;
  const started = Date.now();
  const client = async () => {
    while (running) {
      const n = ++serial;
      if (options.perSecond) {
        const due = started + (n * 1000) / options.perSecond;
        if (due > Date.now()) await new Promise((r) => setTimeout(r, due - Date.now()));
      }
      const email = `${options.prefix}-${n}@example.com`;
      for (;;) {
        const res = await fetch(`${frontUrl}/api/auth/register`, {
          method: 'POST', headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ email, password: 'correct horse battery', firstName: 'Shopper' }),
        });
        const body = await res.text();
        if (res.status === 201) {
          shoppers.acknowledged.push({ email, side: res.headers.get(SIDE_HEADER) ?? '?' });
          break;
        }
        if (res.status !== 503 || !(Number(res.headers.get('retry-after')) > 0)) throw new Error(`register ${email}: ${res.status} ${body}`);
        shoppers.refusals.push(Date.now());
        await new Promise((r) => setTimeout(r, 50));
      }
    }
  };
  const clients = Array.from({ length: options.concurrency ?? 4 }, client);
  shoppers.stop = async () => {
    running = false;
    await Promise.all(clients);
  };
  return shoppers;
}
