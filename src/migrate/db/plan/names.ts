// Postgres identifiers: at most 63 bytes, and indexes share one namespace per schema with tables.
import { createHash } from 'node:crypto';

export const MAX_IDENTIFIER_BYTES = 63;

/** Keeps the name when it fits; otherwise a stable truncation with a short hash, so two long names never meet. */
export function fitIdentifier(name: string): string {
  if (Buffer.byteLength(name) <= MAX_IDENTIFIER_BYTES) return name;
  const hash = createHash('sha1').update(name).digest('hex').slice(0, 8);
  // Cut whole characters, never half of a multi-byte one.
  const chars = Array.from(name);
  while (Buffer.byteLength(chars.join('')) > MAX_IDENTIFIER_BYTES - 9) chars.pop();
  return `${chars.join('')}_${hash}`;
}

/** Hands out relation names (tables, indexes) that are unique in the schema. */
export class RelationNames {
  private readonly taken = new Set<string>();

  reserve(name: string): void {
    this.taken.add(name);
  }

  /** The preferred name when free, else table-qualified, else numbered. */
  claim(preferred: string, table: string): string {
    const candidates = [fitIdentifier(preferred), fitIdentifier(`${table}_${preferred}`)];
    for (let i = 2; ; i++) {
      const name = candidates.shift() ?? fitIdentifier(`${table}_${preferred}_${i}`);
      if (!this.taken.has(name)) {
        this.taken.add(name);
        return name;
      }
    }
  }
}
