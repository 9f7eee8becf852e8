// A shop taking orders on the legacy MySQL database (the bundled sample's schema): inserts, updates
// and deletes across users, orders and order_items, at a steady rate, for `migrate sync` to follow.
import mysql from 'mysql2/promise';

export interface WriterOptions {
  /** mysql://user@host:port/database holding the sample shop. */
  url: string;
  operations: number;
  /** Operations started per second; as fast as possible when absent. */
  perSecond?: number;
  connections?: number;
  seed?: number;
  signal?: AbortSignal;
}

export interface WriterResult {
  operations: number;
  inserts: number;
  updates: number;
  deletes: number;
  seconds: number;
}

/** Deterministic, so a failing run can be repeated. */
function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Concurrent transactions on the same rows may deadlock; MySQL rolls one back, and a shop retries it. */
async function withDeadlockRetry(work: () => Promise<void>): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await work();
    } catch (error) {
      if ((error as { code?: string }).code !== 'ER_LOCK_DEADLOCK' || attempt === 5) throw error;
    }
  }
}

export async function runShopWriter(options: WriterOptions): Promise<WriterResult> {
  const pool = mysql.createPool({ uri: options.url, connectionLimit: options.connections ?? 4, charset: 'utf8mb4' });
  const rnd = random(options.seed ?? 42);
  const pick = <T>(list: T[]): T | undefined => list[Math.floor(rnd() * list.length)];
  const tag = `${Date.now().toString(36)}${Math.floor(rnd() * 1e6).toString(36)}`;
  const [orderRows] = await pool.query('SELECT id FROM orders');
  const [itemRows] = await pool.query('SELECT id FROM order_items');
  const [userRows] = await pool.query("SELECT id FROM users WHERE role = 'customer'");
  // Stock is only taken by the trigger on these inserts, so it is known here. MySQL computes
  // `stock - quantity` unsigned (quantity is), which fails below zero: only stocked products are picked.
  const [productRows] = await pool.query('SELECT id, stock FROM products');
  const stock = new Map((productRows as { id: number; stock: number }[]).map((r) => [Number(r.id), Number(r.stock)]));
  const stocked = (quantity: number): number | null => {
    const id = pick([...stock].filter(([, left]) => left >= quantity).map(([id]) => id));
    if (id === undefined) return null;
    stock.set(id, stock.get(id)! - quantity);
    return id;
  };
  const orders = (orderRows as { id: number }[]).map((r) => r.id);
  const items = (itemRows as { id: number }[]).map((r) => r.id);
  const customers = (userRows as { id: number }[]).map((r) => r.id);
  const ownUsers: number[] = [];
  const result: WriterResult = { operations: 0, inserts: 0, updates: 0, deletes: 0, seconds: 0 };
  let serial = 0;
  const started = Date.now();

  const operation = async (): Promise<void> => {
    const roll = rnd();
    const n = ++serial;
    if (roll < 0.2) {
      const conn = await pool.getConnection();
      try {
        await conn.beginTransaction();
        const [order] = await conn.query(
          "INSERT INTO orders (order_number, user_id, status, subtotal, total, shipping_address, placed_ip, paid_at) VALUES (?, ?, 'pending', ?, ?, ?, ?, NOW(3))",
          [`W${tag}-${n}`.slice(0, 20), pick(customers) ?? null, 10 + n % 90, 10 + n % 90, JSON.stringify({ name: `Käufer ${n}`, city: 'Zürich', line1: `Straße ${n}` }), Buffer.from([127, 0, 0, n % 256])],
        );
        const orderId = (order as { insertId: number }).insertId;
        orders.push(orderId);
        for (let i = 0; i < 1 + (n % 3); i++) {
          // With a product, the legacy order_items_after_insert trigger takes the quantity off its stock.
          const [item] = await conn.query('INSERT INTO order_items (order_id, product_id, product_name, quantity, unit_price_cents) VALUES (?, ?, ?, ?, ?)', [orderId, stocked(1 + i), `Artikel ${n}.${i} 🛒`, 1 + i, 999 + i]);
          items.push((item as { insertId: number }).insertId);
        }
        await conn.commit();
        result.inserts++;
      } catch (error) {
        await conn.rollback().catch(() => {});
        throw error;
      } finally {
        conn.release();
      }
    } else if (roll < 0.35) {
      await pool.query('UPDATE orders SET status = ?, notes = ? WHERE id = ?', [pick(['paid', 'shipped', 'delivered', 'cancelled']), `note ${n}\ttab`, pick(orders)]);
      result.updates++;
    } else if (roll < 0.5) {
      await pool.query('UPDATE order_items SET quantity = quantity % 9 + 1 WHERE id = ?', [pick(items)]);
      result.updates++;
    } else if (roll < 0.57) {
      // Its items go with it (ON DELETE CASCADE), which MySQL's triggers do not see.
      const id = orders.splice(Math.floor(rnd() * orders.length), 1)[0];
      await pool.query('DELETE FROM orders WHERE id = ?', [id]);
      result.deletes++;
    } else if (roll < 0.72) {
      const [user] = await pool.query("INSERT INTO users (email, password_hash, first_name, last_name, role, notification_prefs) VALUES (?, ?, ?, ?, 'customer', 'email,push')", [
        `writer-${tag}-${n}@example.com`, '$2a$04$abcdefghijklmnopqrstuvabcdefghijklmnopqrstuvwxyz01234', `Émile ${n}`, "O'Brien",
      ]);
      ownUsers.push((user as { insertId: number }).insertId);
      result.inserts++;
    } else if (roll < 0.87) {
      await pool.query('UPDATE users SET login_count = login_count + 1, last_login_at = NOW(), display_name = ? WHERE id = ?', [`shopper ${n}`, pick([...customers, ...ownUsers])]);
      result.updates++;
    } else if (roll < 0.92 && ownUsers.length) {
      // Their orders keep going, with user_id set to NULL (ON DELETE SET NULL).
      await pool.query('DELETE FROM users WHERE id = ?', [ownUsers.splice(Math.floor(rnd() * ownUsers.length), 1)[0]]);
      result.deletes++;
    } else {
      // Seeded customers only: one of our own may be being deleted by a concurrent operation.
      await pool.query('UPDATE orders SET user_id = ? WHERE id = ?', [pick(customers), pick(orders)]);
      result.updates++;
    }
    result.operations++;
  };

  try {
    const running = new Set<Promise<void>>();
    const limit = options.connections ?? 4;
    for (let i = 0; i < options.operations && !options.signal?.aborted; i++) {
      if (options.perSecond) {
        const due = started + (i * 1000) / options.perSecond;
        if (due > Date.now()) await new Promise((r) => setTimeout(r, due - Date.now()));
      }
      while (running.size >= limit) await Promise.race(running);
      const p = withDeadlockRetry(operation).finally(() => running.delete(p));
      running.add(p);
    }
    await Promise.all(running);
  } finally {
    await pool.end();
  }
  result.seconds = (Date.now() - started) / 1000;
  return result;
}
