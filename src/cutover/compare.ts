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

/** Too many error answers from the new backend in the last `size` routed requests. */
export class ErrorWindow {
  private readonly outcomes: boolean[] = [];
  private errors = 0;

  constructor(
    readonly size: number,
    readonly threshold: number,
  ) {}

  /** Records one outcome; true when the window is full and its error rate is above the threshold. */
  record(failed: boolean): boolean {
    this.outcomes.push(failed);
    if (failed) this.errors++;
    if (this.outcomes.length > this.size && this.outcomes.shift()) this.errors--;
    return this.outcomes.length >= this.size && this.errors / this.size > this.threshold;
  }

  get rate(): number {
    return this.outcomes.length ? this.errors / this.outcomes.length : 0;
  }

  reset(): void {
    this.outcomes.length = 0;
    this.errors = 0;
  }
}
