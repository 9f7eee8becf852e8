// Delete what migrate files uploaded, and nothing else: never an object that was there before, never
// one whose bytes changed since we wrote it. Local files are never touched.
import '../../reserved-globals/aws-sdk.js';
import { DeleteObjectCommand, HeadObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type pg from 'pg';
import pLimit from 'p-limit';
import { LEDGER_SCHEMA } from '../ledger/index.js';
import { bareEtag } from '../files/hash.js';
import { OURS } from '../files/manifest.js';
import { withRetry } from '../files/retry.js';
import { isRetryable, SHA256_METADATA } from '../files/s3.js';

export interface ObjectKept {
  bucket: string;
  key: string;
  why: string;
}

export interface FilesUndoResult {
  deleted: number;
  /** Already gone from the bucket: nothing to delete. */
  missing: number;
  kept: ObjectKept[];
}

interface OurObject {
  bucket: string;
  key: string;
  size: string;
  md5: string;
  sha256: string;
}

export async function objectsToDelete(client: pg.Client): Promise<OurObject[]> {
  const { rows } = await client.query<OurObject>(
    `SELECT bucket, key, size::text, md5, sha256 FROM ${LEDGER_SCHEMA}.file_manifest WHERE status = ANY($1) ORDER BY bucket, key`,
    [OURS],
  );
  return rows;
}

function isNotFound(error: unknown): boolean {
  const e = error as { name?: string; $metadata?: { httpStatusCode?: number } };
  return e.name === 'NotFound' || e.name === 'NoSuchKey' || e.$metadata?.httpStatusCode === 404;
}

export async function deleteUploadedObjects(client: pg.Client, s3: S3Client, options: { dryRun: boolean; concurrency: number }): Promise<FilesUndoResult> {
  const result: FilesUndoResult = { deleted: 0, missing: 0, kept: [] };
  // Marked in the manifest once all are done; a crash before that is harmless: the next run finds them gone.
  const gone: OurObject[] = [];
  const markRolledBack = (o: OurObject) => void gone.push(o);
  const retrying = <T>(work: () => Promise<T>) => withRetry(work, { attempts: 5, baseMs: 100, maxMs: 5000, retryable: isRetryable });
  const limit = pLimit(options.concurrency);
  await Promise.all(
    (await objectsToDelete(client)).map((o) =>
      limit(async () => {
        let head;
        try {
          head = await retrying(() => s3.send(new HeadObjectCommand({ Bucket: o.bucket, Key: o.key })));
        } catch (error) {
          if (!isNotFound(error)) throw error;
          result.missing++;
          markRolledBack(o);
          return;
        }
        // Ours: the size we sent and either the MD5 ETag or the SHA-256 we stored with it.
        const ours = head.ContentLength === Number(o.size) && (bareEtag(head.ETag) === o.md5 || head.Metadata?.[SHA256_METADATA] === o.sha256);
        if (!ours) {
          result.kept.push({ bucket: o.bucket, key: o.key, why: 'its bytes changed since markethub uploaded it; someone else wrote it' });
          return;
        }
        if (!options.dryRun) await retrying(() => s3.send(new DeleteObjectCommand({ Bucket: o.bucket, Key: o.key })));
        result.deleted++;
        markRolledBack(o);
      }),
    ),
  );
  if (!options.dryRun && gone.length) {
    await client.query(
      `UPDATE ${LEDGER_SCHEMA}.file_manifest m SET status = 'rolled-back', updated_at = now() FROM unnest($1::text[], $2::text[]) AS g(bucket, key) WHERE m.bucket = g.bucket AND m.key = g.key`,
      [gone.map((o) => o.bucket), gone.map((o) => o.key)],
    );
  }
  return result;
}
