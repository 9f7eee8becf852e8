import { z } from 'zod';
import type { JobContext } from '../worker.js';

const schema = z.object({
  productId: z.number().int().positive(),
  /** Units added (restock, cancellation) or removed (sale). */
  delta: z.number().int(),
  reason: z.string().min(1).max(200),
  orderId: z.number().int().positive().optional(),
});
export type UpdateInventoryPayload = z.infer<typeof schema>;

/**
 * Changes the stock and records it in inventory_history, in one transaction. The history row is
 * unique per job: a retry of a job whose transaction had committed (the worker died before marking
 * it done) changes nothing.
 */
export async function updateInventory(payload: unknown, ctx: JobContext): Promise<{ stock: number; applied: boolean }> {
  const input = schema.parse(payload);
  const client = await ctx.db.connect();
  try {
    await client.query('BEGIN');
    const already = await client.query<{ stock_after: number }>('SELECT stock_after FROM inventory_history WHERE job_id = $1', [ctx.job.id]);
    if (already.rows[0]) {
      await client.query('ROLLBACK');
      return { stock: already.rows[0].stock_after, applied: false };
    }
    const updated = await client.query<{ stock: number }>('UPDATE products SET stock = stock + $2 WHERE id = $1 RETURNING stock', [input.productId, input.delta]);
    if (!updated.rows[0]) throw new Error(`product ${input.productId} does not exist`);
    await client.query(
      'INSERT INTO inventory_history (product_id, delta, stock_after, reason, order_id, job_id) VALUES ($1, $2, $3, $4, $5, $6)',
      [input.productId, input.delta, updated.rows[0].stock, input.reason, input.orderId ?? null, ctx.job.id]);
    await client.query('COMMIT');
    return { stock: updated.rows[0].stock, applied: true };
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {});
    throw error;
  } finally {
    client.release();
  }
}
