// A stand-in for Paystack's verify endpoint on loopback: GET /transaction/verify/:reference with
// Bearer <secret> answers what was recorded for the reference, 404 for anything else. One per test
// process, shared by every app built in it.
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeTransaction {
  reference: string;
  status: string;
  amount: number;
  currency: string;
  paid_at?: string;
}

export interface FakePaystack {
  url: string;
  record(tx: FakeTransaction): void;
  /** Each verify request: the reference asked for and the Authorization header it came with. */
  requests: { reference: string; authorization: string | undefined }[];
  /** While true, every request answers 500 (Paystack having a bad day). */
  failing: boolean;
}

let running: Promise<FakePaystack> | undefined;

export function fakePaystack(secret: string): Promise<FakePaystack> {
  running ??= new Promise((resolve) => {
    const transactions = new Map<string, FakeTransaction>();
    const fake: FakePaystack = { url: '', record: (tx) => void transactions.set(tx.reference, tx), requests: [], failing: false };
    const server = http.createServer((req, res) => {
      const match = /^\/transaction\/verify\/([^/?]+)$/.exec(req.url ?? '');
      const answer = (status: number, body: unknown) => void res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
      if (!match || req.method !== 'GET') return answer(404, { status: false, message: 'not found' });
      const reference = decodeURIComponent(match[1]!);
      fake.requests.push({ reference, authorization: req.headers.authorization });
      if (fake.failing) return answer(500, { status: false, message: 'internal error' });
      if (req.headers.authorization !== `Bearer ${secret}`) return answer(401, { status: false, message: 'Invalid key' });
      const tx = transactions.get(reference);
      if (!tx) return answer(404, { status: false, message: 'Transaction reference not found' });
      answer(200, { status: true, message: 'Verification successful', data: { id: 1, domain: 'test', gateway_response: 'Successful', paid_at: null, ...tx } });
    });
    server.listen(0, '127.0.0.1', () => {
      fake.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      // The test process ends with its tests; the server must not keep it alive.
      server.unref();
      resolve(fake);
    });
  });
  return running;
}
