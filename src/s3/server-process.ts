// Runs s3rver in this process. Started as a child by startS3Server / `markethub s3 serve` because s3rver
// needs the OpenSSL legacy provider (without it, paginated listings answer 500), which can only be
// switched on when a Node process starts.
import { mkdir } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { parseArgs } from 'node:util';
import S3rver from 's3rver';
import { S3RVER_CREDENTIALS } from './server.js';
import { checkPresignedSignature } from './signature-check.js';

guardMultipartHeaderParser();

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
refuseTamperedPresignedUrls(server);
const { port } = await server.run();
// The parent waits for this line to know the server listens (and on which port, when 0 was asked).
process.stdout.write(`listening http://${values.address}:${port}\n`);
const stop = () => void server.close().then(() => process.exit(0));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);

/**
 * s3rver parses POST uploads with busboy 0.3, whose dicer 0.3 throws (GHSA-wm7h-9275-46v2, no fixed
 * version) on a part whose first header line is folded (starts with a space or tab): there is no header
 * to fold it into, and the exception escapes every handler and ends the process. Such a line is dropped
 * before dicer parses the block, so the request is answered as the malformed form it is.
 */
function guardMultipartHeaderParser(): void {
  const fromS3rver = createRequire(createRequire(import.meta.url).resolve('s3rver'));
  const fromBusboy = createRequire(fromS3rver.resolve('busboy'));
  const HeaderParser = fromBusboy('dicer/lib/HeaderParser.js') as { prototype: { buffer: string; _parseHeader: () => void } };
  const parse = HeaderParser.prototype._parseHeader;
  HeaderParser.prototype._parseHeader = function (this: { buffer: string }) {
    let headerSeen = false;
    this.buffer = this.buffer
      .split('\r\n')
      .filter((line) => {
        if (line.startsWith(' ') || line.startsWith('\t')) return headerSeen;
        if (line.length > 0) headerSeen = true;
        return true;
      })
      .join('\r\n');
    parse.call(this);
  };
}

interface KoaContext {
  req: import('node:http').IncomingMessage;
  status: number;
  type: string;
  body: unknown;
}

/** Runs checkPresignedSignature before any of s3rver's own handling, and answers a mismatch as S3 does. */
function refuseTamperedPresignedUrls(app: S3rver): void {
  const secrets = new Map<string, string>([[S3RVER_CREDENTIALS.accessKeyId, S3RVER_CREDENTIALS.secretAccessKey]]);
  const middleware = (app as unknown as { middleware: ((ctx: KoaContext, next: () => Promise<void>) => Promise<void>)[] }).middleware;
  middleware.unshift(async (ctx, next) => {
    const verdict = checkPresignedSignature(ctx.req, (id) => secrets.get(id));
    if (verdict.ok) return next();
    ctx.status = 403;
    ctx.type = 'application/xml';
    ctx.body = `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>SignatureDoesNotMatch</Code><Message>${verdict.message}</Message></Error>`;
  });
}
