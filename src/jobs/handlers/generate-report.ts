import { z } from 'zod';
import type { JobContext } from '../worker.js';

const schema = z.object({
  kind: z.literal('sales'),
  from: z.coerce.date(),
  to: z.coerce.date(),
  /** Mail a summary here when the report is ready. */
  email: z.string().email().optional(),
});
export type GenerateReportPayload = z.input<typeof schema>;

const SOLD = `('paid', 'shipped', 'delivered')`;

/** A sales report over [from, to): orders, revenue, top products; stored in reports (one per job). */
export async function generateReport(payload: unknown, ctx: JobContext): Promise<{ reportId: string }> {
  const input = schema.parse(payload);
  const range = [input.from, input.to];
  const totals = await ctx.db.query<{ orders: string; revenue: string | null }>(
    `SELECT count(*) AS orders, sum(total) AS revenue FROM orders WHERE status IN ${SOLD} AND created_at >= $1 AND created_at < $2`, range);
  const top = await ctx.db.query<{ product_id: number | null; product_name: string; units: string; revenue_cents: string }>(
    `SELECT oi.product_id, oi.product_name, sum(oi.quantity) AS units, sum(oi.quantity * oi.unit_price_cents) AS revenue_cents
     FROM order_items oi JOIN orders o ON o.id = oi.order_id
     WHERE o.status IN ${SOLD} AND o.created_at >= $1 AND o.created_at < $2
     GROUP BY oi.product_id, oi.product_name ORDER BY units DESC, oi.product_name LIMIT 10`, range);
  const result = {
    orders: Number(totals.rows[0]!.orders),
    revenue: totals.rows[0]!.revenue ?? '0.00',
    topProducts: top.rows.map((r) => ({ productId: r.product_id, name: r.product_name, units: Number(r.units), revenueCents: Number(r.revenue_cents) })),
  };
  const inserted = await ctx.db.query<{ id: string }>(
    `INSERT INTO reports (kind, period_from, period_to, result, job_id) VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (job_id) DO UPDATE SET result = EXCLUDED.result, generated_at = now() RETURNING id`,
    [input.kind, input.from, input.to, JSON.stringify(result), ctx.job.id]);
  const reportId = inserted.rows[0]!.id;
  if (input.email) {
    await ctx.queue.enqueue('send-email', {
      to: input.email,
      subject: `Sales report ${input.from.toISOString().slice(0, 10)} to ${input.to.toISOString().slice(0, 10)}`,
      text: `Orders: ${result.orders}\nRevenue: ${result.revenue}\n\nTop products:\n${result.topProducts.map((p) => `${p.units} x ${p.name}`).join('\n')}\n`,
    }, { key: `report-email-${reportId}` });
  }
  return { reportId };
}
