// A real S3-compatible server (s3rver) on loopback for a test file, and a fresh bucket per test.
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { CreateBucketCommand, GetObjectCommand, HeadObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { createS3Client } from '../../src/migrate/files/s3.js';
import { S3RVER_CREDENTIALS, startS3Server, type RunningS3Server } from '../../src/s3/server.js';

export const S3_ENV = { AWS_ACCESS_KEY_ID: S3RVER_CREDENTIALS.accessKeyId, AWS_SECRET_ACCESS_KEY: S3RVER_CREDENTIALS.secretAccessKey };

export interface TestS3 {
  endpoint: string;
  client: S3Client;
  server: RunningS3Server;
  freshBucket(label: string): Promise<string>;
  stop(): Promise<void>;
}

export async function startTestS3(): Promise<TestS3> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'mh-s3-'));
  const server = await startS3Server({ dir });
  Object.assign(process.env, S3_ENV);
  const client = createS3Client({ endpoint: server.endpoint, checksums: 'when-required' });
  return {
    endpoint: server.endpoint,
    client,
    server,
    async freshBucket(label) {
      const name = `mh-${label.toLowerCase().replace(/[^a-z0-9-]/g, '-').slice(0, 40)}-${randomBytes(3).toString('hex')}`;
      await client.send(new CreateBucketCommand({ Bucket: name }));
      return name;
    },
    async stop() {
      client.destroy();
      await server.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

export async function objectBytes(client: S3Client, bucket: string, key: string): Promise<Buffer> {
  const result = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  return Buffer.from(await result.Body!.transformToByteArray());
}

export async function objectSha256(client: S3Client, bucket: string, key: string): Promise<string> {
  return createHash('sha256').update(await objectBytes(client, bucket, key)).digest('hex');
}

export async function headObject(client: S3Client, bucket: string, key: string) {
  return client.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
}

export async function listKeys(client: S3Client, bucket: string): Promise<string[]> {
  const keys: string[] = [];
  let token: string | undefined;
  do {
    const page = await client.send(new ListObjectsV2Command({ Bucket: bucket, ContinuationToken: token }));
    keys.push(...(page.Contents ?? []).map((o) => o.Key!));
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
  return keys.sort();
}
