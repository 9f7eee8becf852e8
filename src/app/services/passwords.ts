// Password hashes: bcrypt, plus the unsalted md5 hashes of the 2016 shop import until each is
// replaced (on its owner's next good login) or expired. A wrong password costs one bcrypt comparison
// whatever the account holds (bcrypt, md5, expired or no account at all), so timing tells nothing.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Sequelize } from 'sequelize';
import { sequelizeRuntime } from '../models/sequelize-runtime.js';
import type { Models, Row } from '../models/index.js';

/** What an expired legacy hash becomes: no password matches it; the owner needs a new password. */
export const EXPIRED_PASSWORD_HASH = '!expired-legacy-md5';

export function isLegacyMd5(hash: string): boolean {
  return /^[0-9a-f]{32}$/i.test(hash);
}

export function isBcrypt(hash: string): boolean {
  return /^\$2[aby]\$\d\d\$[./A-Za-z0-9]{53}$/.test(hash);
}

export interface PasswordChecker {
  /** True when `candidate` matches `hash`; `hash` undefined for an unknown account. */
  matches(hash: string | undefined, candidate: string): Promise<boolean>;
}

// Loaded with the first check, not with the app: a cold start that logs nobody in never needs it.
const bcryptjs = () => import('bcryptjs').then((m) => m.default);

export function passwordChecker(rounds: number): PasswordChecker {
  // A hash of random bytes nobody kept, at the cost new hashes get: comparing with it costs what
  // comparing with a real hash costs, and nothing matches it.
  let dummy: Promise<string> | undefined;
  const burn = async (candidate: string) => {
    const bcrypt = await bcryptjs();
    dummy ??= bcrypt.hash(randomBytes(24).toString('base64'), rounds);
    await bcrypt.compare(candidate, await dummy);
  };
  return {
    async matches(hash, candidate) {
      if (hash !== undefined && isBcrypt(hash)) return (await bcryptjs()).compare(candidate, hash);
      await burn(candidate);
      if (hash === undefined || !isLegacyMd5(hash)) return false;
      const given = createHash('md5').update(candidate, 'utf8').digest();
      return timingSafeEqual(given, Buffer.from(hash, 'hex'));
    },
  };
}

/**
 * Replaces every legacy md5 hash left with EXPIRED_PASSWORD_HASH: those accounts can no longer log
 * in with the old password, and an unsalted hash no longer sits in the table. Returns how many.
 */
export async function expireLegacyPasswords(sequelize: Sequelize, models: Pick<Models, 'User'>): Promise<number> {
  const { User } = models;
  const { Op } = sequelizeRuntime();
  // By length, not by a pattern: a '$' in a literal is read as a bind parameter by Sequelize's UPDATE.
  const md5Length = sequelize.where(sequelize.fn('CHAR_LENGTH', sequelize.col('password_hash')), 32);
  const candidates = await User.findAll({ where: md5Length, attributes: ['id', 'passwordHash'] });
  const ids = candidates.filter((u: Row) => isLegacyMd5(u.get('passwordHash') as string)).map((u: Row) => u.get('id') as number);
  if (ids.length === 0) return 0;
  // Still md5 at the time of writing: an owner who logged in meanwhile keeps the new bcrypt hash.
  const [changed] = await User.update({ passwordHash: EXPIRED_PASSWORD_HASH }, { where: { [Op.and]: [{ id: ids }, md5Length] } });
  return changed;
}
