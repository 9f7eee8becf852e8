// The plain HTTP S3 requests sign exactly as the AWS SDK does (s3rver does not check SigV4 signatures,
// so the integration tests cannot), and read listings whatever characters the keys hold.
import assert from 'node:assert/strict';
import { test } from 'vitest';
import { ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { parseListPage } from '../../src/migrate/files/s3-http.js';
import { encodeKeyPath, signRequest, type Credentials } from '../../src/migrate/files/sigv4.js';

interface Captured {
  method: string;
  hostname: string;
  port?: number;
  path: string;
  query: Record<string, string>;
  headers: Record<string, string>;
}

/** The request the SDK would send, signed, without sending it. */
async function sdkRequest(credentials: Credentials, region: string, command: PutObjectCommand | ListObjectsV2Command): Promise<Captured> {
  let captured: Captured | undefined;
  const client = new S3Client({
    region,
    credentials,
    endpoint: 'http://127.0.0.1:9000',
    forcePathStyle: true,
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    maxAttempts: 1,
    requestHandler: {
      handle: async (request: Captured) => {
        captured = { ...request, headers: { ...request.headers } };
        throw new Error('captured');
      },
    },
  });
  await client.send(command as PutObjectCommand).catch(() => {});
  client.destroy();
  assert.ok(captured, 'the SDK built a request');
  return captured;
}

function signLikeSdk(sdk: Captured, credentials: Credentials, region: string): string {
  const authorization = sdk.headers.authorization!;
  const signedNames = /SignedHeaders=([^,]+)/.exec(authorization)![1]!.split(';');
  const own = new Set(['host', 'x-amz-date', 'x-amz-content-sha256', 'x-amz-security-token']);
  const headers = Object.fromEntries(signedNames.filter((n) => !own.has(n)).map((n) => [n, sdk.headers[n]!]));
  const stamp = sdk.headers['x-amz-date']!;
  const date = new Date(`${stamp.slice(0, 4)}-${stamp.slice(4, 6)}-${stamp.slice(6, 8)}T${stamp.slice(9, 11)}:${stamp.slice(11, 13)}:${stamp.slice(13, 15)}Z`);
  const host = sdk.port ? `${sdk.hostname}:${sdk.port}` : sdk.hostname;
  const added = signRequest({ method: sdk.method, host, path: sdk.path, query: sdk.query, headers, payloadSha256: sdk.headers['x-amz-content-sha256']!, region, credentials, date });
  return added.authorization!;
}

const TRICKY_KEYS = [
  'products/plain.jpg',
  'products/a b+c&d=e;f#g?h%i.jpg',
  "products/it's (1) *!~$@,:[].jpg",
  'products/café/ü ñ/中文 😀.png',
  'products/deep/er/still//double.bin',
];

test('SigV4: PUT signatures equal the SDK\'s for keys with any character, with and without a session token', async () => {
  for (const credentials of [{ accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' }, { accessKeyId: 'ASIAEXAMPLE', secretAccessKey: 'secret', sessionToken: 'token/with+chars=' }]) {
    for (const key of TRICKY_KEYS) {
      const sdk = await sdkRequest(credentials, 'eu-west-1', new PutObjectCommand({
        Bucket: 'media-bucket', Key: key, Body: Buffer.from('bytes'), ContentType: 'image/jpeg', CacheControl: 'public, max-age=31536000, immutable',
        ContentMD5: 'yP8vSJHTPgavVyVVWbJTFQ==', Metadata: { sha256: 'ab'.repeat(32) },
      }));
      assert.equal(sdk.path, `/media-bucket/${encodeKeyPath(key)}`, key);
      assert.equal(signLikeSdk(sdk, credentials, 'eu-west-1'), sdk.headers.authorization, key);
    }
  }
});

test('SigV4: listing signatures equal the SDK\'s, query parameters included', async () => {
  const credentials = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' };
  const sdk = await sdkRequest(credentials, 'us-east-1', new ListObjectsV2Command({ Bucket: 'media-bucket', Prefix: 'products/a b+c', ContinuationToken: '1/abc+def==' }));
  assert.equal(signLikeSdk(sdk, credentials, 'us-east-1'), sdk.headers.authorization);
});

test('listing pages: keys and ETags with XML entities, sizes, and the next page', () => {
  const xml = `<?xml version="1.0" encoding="UTF-8"?>
<ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Name>b</Name><Prefix>products/</Prefix><KeyCount>3</KeyCount><MaxKeys>1000</MaxKeys><IsTruncated>true</IsTruncated>
<Contents><Key>products/a &amp; b &lt;c&gt; &quot;d&quot; &apos;e&apos;.jpg</Key><LastModified>2026-01-01T00:00:00.000Z</LastModified><ETag>&quot;0123abcd&quot;</ETag><Size>42</Size><StorageClass>STANDARD</StorageClass></Contents>
<Contents><Key>products/caf&#xE9;&#233;.png</Key><ETag>"ffff-2"</ETag><Size>0</Size></Contents>
<Contents><Key>products/中文.jpg</Key><ETag>&#34;x&#34;</ETag><Size>7</Size></Contents>
<NextContinuationToken>token+/=&amp;</NextContinuationToken></ListBucketResult>`;
  const page = parseListPage(xml);
  assert.deepEqual(page.objects, [
    ['products/a & b <c> "d" \'e\'.jpg', { etag: '"0123abcd"', size: 42 }],
    ['products/caféé.png', { etag: '"ffff-2"', size: 0 }],
    ['products/中文.jpg', { etag: '"x"', size: 7 }],
  ]);
  assert.equal(page.next, 'token+/=&');
  assert.equal(parseListPage(xml.replace('<IsTruncated>true', '<IsTruncated>false')).next, undefined);
});
