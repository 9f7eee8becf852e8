// The rows that differ: all are counted, the first `max` are kept to show.

export interface Difference {
  table: string;
  /** The row's key (column -> value); for a table compared as a multiset, the whole row. */
  key: Record<string, string | null>;
  kind: 'missing' | 'extra' | 'changed';
  /** For 'changed': the columns whose values differ. */
  columns: string[];
}

export class DifferenceLog {
  readonly kept: Difference[] = [];
  total = 0;
  constructor(readonly max: number) {}

  add(difference: Difference): void {
    this.total++;
    if (this.kept.length < this.max) this.kept.push(difference);
  }
}

const SHOWN_CHARS = 200;

/** Values in keys are shown, not compared: long ones are cut. */
export function shown(value: string | null): string | null {
  return value !== null && value.length > SHOWN_CHARS ? `${value.slice(0, SHOWN_CHARS)}… (${value.length} chars)` : value;
}
