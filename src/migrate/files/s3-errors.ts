// What an S3 error means for a run: stop with one line, retry, or report the file. Shared by the SDK
// client and the plain HTTP one, which both give errors a name and $metadata.httpStatusCode.
import { EXIT, UserError } from '../../config/errors.js';

interface S3ErrorShape {
  name?: string;
  code?: string;
  $metadata?: { httpStatusCode?: number };
}

/** An error answer from S3, shaped like the SDK's so both clients' errors read the same. */
export class S3RequestError extends Error {
  readonly $metadata: { httpStatusCode: number };

  constructor(code: string, status: number, message: string) {
    super(message);
    this.name = code;
    this.$metadata = { httpStatusCode: status };
  }
}

/** Errors that no retry will fix and that would fail every file: stop the run with one line. */
export function bucketError(error: unknown, bucket: string): UserError | undefined {
  const e = error as S3ErrorShape;
  const status = e.$metadata?.httpStatusCode;
  if (e.name === 'NoSuchBucket' || (e.name === 'NotFound' && status === 404)) return new UserError(`bucket "${bucket}" does not exist; create it first`, EXIT.couldNotRun);
  if (e.name === 'InvalidAccessKeyId' || e.name === 'SignatureDoesNotMatch') return new UserError(`S3 rejected the credentials (${e.name}); check AWS_ACCESS_KEY_ID / AWS_PROFILE`, EXIT.couldNotRun);
  if (e.name === 'AccessDenied' || status === 403) return new UserError(`access to bucket "${bucket}" denied; the credentials need s3:ListBucket, s3:PutObject and s3:GetObject`, EXIT.couldNotRun);
  if (e.name === 'PermanentRedirect' || status === 301) return new UserError(`bucket "${bucket}" is in another region${(error as Error).message ? ` (${(error as Error).message})` : ''}; pass --region`);
  if (e.name === 'CredentialsProviderError') return new UserError('no AWS credentials found; set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY or AWS_PROFILE', EXIT.couldNotRun);
  if (e.code === 'ECONNREFUSED' || e.code === 'ENOTFOUND') return new UserError(`cannot reach the S3 endpoint (${e.code}); check --endpoint`, EXIT.couldNotRun);
  return undefined;
}

/** Throttling, server errors and dropped connections deserve another try; a 4xx does not. */
export function isRetryable(error: unknown): boolean {
  const e = error as S3ErrorShape;
  const status = e.$metadata?.httpStatusCode;
  // XAmzContentSHA256Mismatch: the file changed between its hash and its upload; the retry reads it again.
  if (status !== undefined) return status >= 500 || status === 429 || status === 408 || ['SlowDown', 'Throttling', 'RequestTimeout', 'BadDigest', 'XAmzContentSHA256Mismatch'].includes(e.name ?? '');
  return ['ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ETIMEDOUT', 'EAI_AGAIN', 'TimeoutError', 'RequestTimeout'].includes(e.code ?? e.name ?? '');
}
