// The file manifest in the ledger: what is in the bucket because of us, with which checksum.
import type pg from 'pg';
import { LEDGER_SCHEMA } from '../ledger/index.js';
import { locationId, type ObjectLocation } from './keys.js';

export type ManifestStatus = 'uploading' | 'uploaded' | 'pre-existing' | 'failed' | 'rolled-back';

/** Statuses of objects this tool wrote (or may have written): the ones rollback deletes. */
export const OURS: ManifestStatus[] = ['uploading', 'uploaded', 'failed'];

export interface ManifestRow extends ObjectLocation {
  localPath: string;
  size: number;
  mtimeNs: string;
  sha256: string;
  md5: string | null;
  etag: string | null;
  parts: number;
  status: ManifestStatus;
  error: string | null;
}

/** Objects whose bytes are confirmed to equal the local file's. */
export function isConfirmed(row: ManifestRow | undefined): boolean {
  return row?.status === 'uploaded' || row?.status === 'pre-existing';
}

export async function loadManifest(client: pg.Client, buckets: string[]): Promise<Map<string, ManifestRow>> {
  const { rows } = await client.query<{ bucket: string; key: string; local_path: string; size: string; mtime_ns: string; sha256: string; md5: string | null; etag: string | null; parts: number; status: ManifestStatus; error: string | null }>(
    `SELECT bucket, key, local_path, size, mtime_ns::text AS mtime_ns, sha256, md5, etag, parts, status, error
       FROM ${LEDGER_SCHEMA}.file_manifest WHERE bucket = ANY($1)`,
    [buckets],
  );
  return new Map(
    rows.map((r) => {
      const row: ManifestRow = { bucket: r.bucket, key: r.key, localPath: r.local_path, size: Number(r.size), mtimeNs: r.mtime_ns, sha256: r.sha256, md5: r.md5, etag: r.etag, parts: r.parts, status: r.status, error: r.error };
      return [locationId(row), row];
    }),
  );
}

/** Rows per INSERT at most: the statement's arrays stay small. */
const MAX_BATCH_ROWS = 500;

/**
 * Writes manifest rows with group commit: rows are gathered for up to `gatherMs` (or until a batch is
 * full), then go out in one INSERT; rows queued while it runs go out in the next. A resolved write is
 * durable. Uploads finish one at a time, so without the wait nearly every row would be a statement of
 * its own: thousands of round trips and plans, on the CPU the uploads need. Callers record an upload's
 * intent ahead of its turn to send, so the wait delays no request.
 */
export class ManifestWriter {
  private queue: { row: ManifestRow; done: () => void; failed: (error: unknown) => void }[] = [];
  /** A queued row that should not wait for others to gather. */
  private urgent = false;
  private flushing: Promise<void> | null = null;
  private gathering: NodeJS.Timeout | undefined;

  constructor(
    private readonly client: pg.Client,
    private readonly migrationKey: string,
    private readonly runId: number,
    private readonly gatherMs = 20,
  ) {}

  /** `urgent`: go out without waiting for other rows to gather (a large file's upload waits for it). */
  write(row: ManifestRow, urgent = false): Promise<void> {
    return new Promise((resolve, reject) => {
      this.queue.push({ row, done: resolve, failed: reject });
      this.urgent ||= urgent;
      this.schedule();
    });
  }

  private schedule(): void {
    // A flush in progress schedules the next one when it ends.
    if (this.flushing || this.queue.length === 0) return;
    if (this.queue.length >= MAX_BATCH_ROWS || this.urgent) {
      clearTimeout(this.gathering);
      this.gathering = undefined;
      this.urgent = false;
      this.flushing = this.flush();
    } else {
      this.gathering ??= setTimeout(() => {
        this.gathering = undefined;
        this.flushing ??= this.flush();
      }, this.gatherMs);
    }
  }

  private async flush(): Promise<void> {
    const batch = this.queue.splice(0, MAX_BATCH_ROWS);
    try {
      await this.insert(batch.map((b) => b.row));
      batch.forEach((b) => b.done());
    } catch (error) {
      batch.forEach((b) => b.failed(error));
    }
    this.flushing = null;
    this.schedule();
  }

  private async insert(rows: ManifestRow[]): Promise<void> {
    // One row per key and batch: ON CONFLICT cannot touch the same row twice in one statement.
    const latest = [...new Map(rows.map((r) => [locationId(r), r])).values()];
    const column = <K extends keyof ManifestRow>(k: K) => latest.map((r) => r[k]);
    await this.client.query(
      `INSERT INTO ${LEDGER_SCHEMA}.file_manifest (bucket, key, migration_key, local_path, size, mtime_ns, sha256, md5, etag, parts, status, error, run_id)
       SELECT b, k, $1, p, s, m, h, d, e, n, st, er, $2
         FROM unnest($3::text[], $4::text[], $5::text[], $6::bigint[], $7::numeric[], $8::text[], $9::text[], $10::text[], $11::int[], $12::text[], $13::text[])
              AS u(b, k, p, s, m, h, d, e, n, st, er)
       ON CONFLICT (bucket, key) DO UPDATE SET
         migration_key = EXCLUDED.migration_key, local_path = EXCLUDED.local_path, size = EXCLUDED.size, mtime_ns = EXCLUDED.mtime_ns,
         sha256 = EXCLUDED.sha256, md5 = EXCLUDED.md5, etag = EXCLUDED.etag, parts = EXCLUDED.parts, status = EXCLUDED.status, error = EXCLUDED.error,
         run_id = EXCLUDED.run_id, updated_at = now()`,
      [this.migrationKey, this.runId, column('bucket'), column('key'), column('localPath'), column('size'), column('mtimeNs'), column('sha256'), column('md5'), column('etag'), column('parts'), column('status'), column('error')],
    );
  }
}
