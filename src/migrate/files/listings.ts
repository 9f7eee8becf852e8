// Listings of bucket prefixes, each fetched once: re-runs compare unchanged files against them, first
// runs find what was already there, without a request per file.
import type { RemoteObject, S3Http } from './s3-http.js';

export class BucketListings {
  private readonly listings = new Map<string, Promise<Map<string, RemoteObject>>>();

  constructor(private readonly s3: S3Http) {}

  /** Starts listing a prefix now (e.g. while the local tree is scanned); errors surface on `object`. */
  prefetch(bucket: string, prefix: string): void {
    this.listing(bucket, prefix).catch(() => {});
  }

  async object(bucket: string, prefix: string, key: string): Promise<RemoteObject | undefined> {
    return (await this.listing(bucket, prefix)).get(key);
  }

  private listing(bucket: string, prefix: string): Promise<Map<string, RemoteObject>> {
    const id = `${bucket}/${prefix}`;
    if (!this.listings.has(id)) this.listings.set(id, this.s3.listObjects(bucket, prefix));
    return this.listings.get(id)!;
  }
}
