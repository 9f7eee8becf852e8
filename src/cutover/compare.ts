// Shadow comparison: do two answers to the same GET say the same thing? Pure functions.

/**
 * The fields in which two responses differ, as paths ("status", "body.product.price"). Bodies are
 * compared as JSON when both parse; fields named in `ignore` (timestamps, request ids) are skipped
 * wherever they appear.
 */
export function differingFields(legacy: { status: number; body: Buffer }, next: { status: number; body: Buffer }, ignore: ReadonlySet<string>): string[] {
  const out: string[] = [];
  if (legacy.status !== next.status) out.push('status');
  const a = parseJson(legacy.body);
  const b = parseJson(next.body);
  if (a === undefined || b === undefined) {
    if (!legacy.body.equals(next.body)) out.push('body');
    return out;
  }
  diff(a, b, 'body', ignore, out);
  return out;
}

function parseJson(body: Buffer): unknown {
  if (body.length === 0) return null;
  try {
    return JSON.parse(body.toString('utf8'));
  } catch {
    return undefined;
  }
}

function diff(a: unknown, b: unknown, path: string, ignore: ReadonlySet<string>, out: string[]): void {
  if (Array.isArray(a) && Array.isArray(b)) {
    if (a.length !== b.length) out.push(`${path}.length`);
    for (let i = 0; i < Math.min(a.length, b.length); i++) diff(a[i], b[i], `${path}[${i}]`, ignore, out);
    return;
  }
  if (isObject(a) && isObject(b)) {
    for (const key of new Set([...Object.keys(a), ...Object.keys(b)])) {
      if (!ignore.has(key)) diff(a[key], b[key], `${path}.${key}`, ignore, out);
    }
    return;
  }
  if (a !== b) out.push(path);
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * An answer that is the new backend's own failure: no answer at all (502 from the proxy, a timeout),
 * or a 5xx it chose, except 501 (a method it does not know) and a 503 with Retry-After (writes
 * frozen on purpose). 4xx answers are the client's doing and never count.
 */
export function isBackendFailure(status: number, retryAfter: string | undefined): boolean {
  if (status < 500) return false;
  if (status === 501) return false;
  if (status === 503 && retryAfter) return false;
  return true;
}

export interface ErrorWindowLimits {
  /** Outcomes one client may hold in the window (default 5% of it): one client cannot fill it. */
  perClient?: number;
  /** Distinct clients that must have failed before the guard trips (default 3). */
  minFailingClients?: number;
}

/**
 * Too many error answers from the new backend in the last `size` routed requests, counted so that
 * no single client decides: each client holds at most `perClient` of the outcomes (its newest), and
 * the failures must come from at least `minFailingClients` clients.
 */
export class ErrorWindow {
  private readonly outcomes: { failed: boolean; client: string | undefined }[] = [];
  private readonly perClient: number;
  private readonly minFailingClients: number;
  private errors = 0;

  constructor(
    readonly size: number,
    readonly threshold: number,
    limits: ErrorWindowLimits = {},
  ) {
    this.perClient = limits.perClient ?? Math.max(1, Math.ceil(size / 20));
    this.minFailingClients = limits.minFailingClients ?? 3;
  }

  /**
   * Records one outcome of `client` (an address; undefined: a client of its own); true when the
   * window is full, its error rate is above the threshold and enough distinct clients failed.
   */
  record(failed: boolean, client?: string): boolean {
    if (client !== undefined) {
      const mine = this.outcomes.filter((o) => o.client === client);
      if (mine.length >= this.perClient) this.remove(this.outcomes.indexOf(mine[0]!));
    }
    this.outcomes.push({ failed, client });
    if (failed) this.errors++;
    if (this.outcomes.length > this.size) this.remove(0);
    if (this.outcomes.length < this.size || this.errors / this.size <= this.threshold) return false;
    const failing = new Set<unknown>();
    this.outcomes.forEach((o, i) => o.failed && failing.add(o.client ?? i));
    return failing.size >= this.minFailingClients;
  }

  private remove(index: number): void {
    const [gone] = this.outcomes.splice(index, 1);
    if (gone?.failed) this.errors--;
  }

  get rate(): number {
    return this.outcomes.length ? this.errors / this.outcomes.length : 0;
  }

  reset(): void {
    this.outcomes.length = 0;
    this.errors = 0;
  }
}
