// A TCP proxy to Postgres that can play a frozen function instance: while frozen, nothing the server
// sends reaches the client (a frozen process hears nothing: not the FATAL message of
// pg_terminate_backend, not the close), and once the server side is gone the next bytes the client
// sends are answered by a reset, as the server's kernel would answer them.
import net from 'node:net';

export interface SilentProxy {
  port: number;
  freeze(): void;
  thaw(): void;
  close(): Promise<void>;
}

export async function silentProxy(targetPort: number, targetHost = '127.0.0.1'): Promise<SilentProxy> {
  const sockets = new Set<net.Socket>();
  let frozen = false;
  const server = net.createServer((client) => {
    const upstream = net.connect(targetPort, targetHost);
    sockets.add(client).add(upstream);
    let upstreamGone = false;
    client.on('data', (chunk) => {
      if (upstreamGone) client.resetAndDestroy();
      else upstream.write(chunk);
    });
    upstream.on('data', (chunk) => { if (!frozen) client.write(chunk); });
    const gone = () => { upstreamGone = true; };
    upstream.on('end', gone);
    upstream.on('close', gone);
    upstream.on('error', gone);
    client.on('error', () => upstream.destroy());
    client.on('close', () => { upstream.destroy(); sockets.delete(client); sockets.delete(upstream); });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    freeze: () => { frozen = true; },
    thaw: () => { frozen = false; },
    close: () => new Promise<void>((resolve) => { for (const s of sockets) s.destroy(); server.close(() => resolve()); }),
  };
}
