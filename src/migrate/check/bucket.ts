// S3: each call `migrate files` and `migrate rollback` make, tried on one small probe object that is
// deleted again: PutObject, GetObject, ListObjectsV2, DeleteObject. Nothing stays in the bucket.
import { randomBytes } from 'node:crypto';
import '../../reserved-globals/aws-sdk.js';
import { DeleteObjectCommand, GetObjectCommand, HeadBucketCommand, ListObjectsV2Command, PutObjectCommand } from '@aws-sdk/client-s3';
import { bucketError } from '../files/s3-errors.js';
import { createS3Client } from '../files/s3.js';
import type { S3Options } from '../files/s3-options.js';
import type { CheckedCommand, CheckItem } from './model.js';

const PROBE_PREFIX = '.markethub-check/';

function reason(error: unknown, bucket: string): string {
  const e = error as { name?: string; message?: string; $metadata?: { httpStatusCode?: number } };
  const known = bucketError(error, bucket)?.message;
  return known ?? `${e.name ?? 'error'}${e.$metadata?.httpStatusCode ? ` (HTTP ${e.$metadata.httpStatusCode})` : ''}: ${(e.message ?? '').split('\n')[0]}`;
}

export async function checkBucket(bucket: string, options: S3Options): Promise<CheckItem[]> {
  const client = createS3Client(options);
  const key = `${PROBE_PREFIX}${Date.now()}-${randomBytes(6).toString('hex')}`;
  const body = `markethub migrate check probe ${key}\n`;
  const items: CheckItem[] = [];
  const row = (check: string, commands: CheckedCommand[], ok: boolean, detail: string) => items.push({ area: 'bucket', check, status: ok ? 'ok' : 'blocked', detail, commands });
  try {
    try {
      await client.send(new HeadBucketCommand({ Bucket: bucket }));
    } catch (error) {
      row(`bucket ${bucket}`, ['migrate files', 'migrate rollback'], false, reason(error, bucket));
      return items;
    }
    let put = false;
    try {
      await client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body, ContentType: 'text/plain' }));
      put = true;
      row('s3:PutObject', ['migrate files'], true, `wrote probe object ${key}`);
    } catch (error) {
      row('s3:PutObject', ['migrate files'], false, reason(error, bucket));
    }
    if (!put) return items;
    try {
      const got = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
      const text = await got.Body!.transformToString();
      row('s3:GetObject', ['migrate files'], text === body, text === body ? 'read the probe back, byte for byte' : 'the probe read back differs from what was written');
    } catch (error) {
      row('s3:GetObject', ['migrate files'], false, reason(error, bucket));
    }
    try {
      const listed = await client.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: key }));
      const found = (listed.Contents ?? []).some((o) => o.Key === key);
      row('s3:ListBucket', ['migrate files'], found, found ? 'listed the probe' : 'the listing does not show the probe just written');
    } catch (error) {
      row('s3:ListBucket', ['migrate files'], false, reason(error, bucket));
    }
    try {
      await client.send(new DeleteObjectCommand({ Bucket: bucket, Key: key }));
      row('s3:DeleteObject', ['migrate rollback'], true, 'deleted the probe');
    } catch (error) {
      row('s3:DeleteObject', ['migrate rollback'], false, `${reason(error, bucket)}; the probe s3://${bucket}/${key} is left: delete it by hand`);
    }
    return items;
  } finally {
    client.destroy();
  }
}
