// Runs s3rver in this process. Started as a child by startS3Server / `markethub s3 serve` because s3rver
// needs the OpenSSL legacy provider (without it, paginated listings answer 500), which can only be
// switched on when a Node process starts.
import { mkdir } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import S3rver from 's3rver';

const { values } = parseArgs({
  options: {
    dir: { type: 'string' },
    port: { type: 'string', default: '4569' },
    address: { type: 'string', default: '127.0.0.1' },
    bucket: { type: 'string', multiple: true, default: [] },
  },
});
if (!values.dir) throw new Error('--dir is required');
await mkdir(values.dir, { recursive: true });
const server = new S3rver({
  address: values.address,
  port: Number(values.port),
  directory: values.dir,
  silent: true,
  configureBuckets: values.bucket.map((name) => ({ name, configs: [] })),
});
const { port } = await server.run();
// The parent waits for this line to know the server listens (and on which port, when 0 was asked).
process.stdout.write(`listening http://${values.address}:${port}\n`);
const stop = () => void server.close().then(() => process.exit(0));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
