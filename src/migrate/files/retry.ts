// Exponential backoff with full jitter (AWS architecture blog): retries spread out instead of stampeding.

export interface RetryOptions {
  attempts: number;
  baseMs: number;
  maxMs: number;
  retryable: (error: unknown) => boolean;
  /** Waits this long; replaced in unit tests. */
  sleep?: (ms: number) => Promise<void>;
}

export function backoffMs(attempt: number, baseMs: number, maxMs: number, random = Math.random): number {
  return Math.floor(random() * Math.min(maxMs, baseMs * 2 ** attempt));
}

export async function withRetry<T>(work: (attempt: number) => Promise<T>, options: RetryOptions): Promise<T> {
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  for (let attempt = 0; ; attempt++) {
    try {
      return await work(attempt);
    } catch (error) {
      if (attempt + 1 >= options.attempts || !options.retryable(error)) throw error;
      await sleep(backoffMs(attempt, options.baseMs, options.maxMs));
    }
  }
}
