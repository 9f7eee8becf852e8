import { z } from 'zod';
import type { JobContext } from '../worker.js';

const schema = z.object({
  userId: z.number().int().positive(),
  title: z.string().min(1).max(200),
  body: z.string().min(1).max(5_000),
  channel: z.enum(['in_app', 'email']).default('in_app'),
});
export type SendNotificationPayload = z.input<typeof schema>;

/** Stores the notification (one per job); for the email channel, enqueues the e-mail to the user's address. */
export async function sendNotification(payload: unknown, ctx: JobContext): Promise<{ notificationId: string }> {
  const input = schema.parse(payload);
  const user = await ctx.db.query<{ email: string }>('SELECT email FROM users WHERE id = $1', [input.userId]);
  if (!user.rows[0]) throw new Error(`user ${input.userId} does not exist`);
  const stored = await ctx.db.query<{ id: string }>(
    `INSERT INTO notifications (user_id, title, body, channel, job_id) VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (job_id) DO UPDATE SET title = EXCLUDED.title RETURNING id`,
    [input.userId, input.title, input.body, input.channel, ctx.job.id]);
  const notificationId = stored.rows[0]!.id;
  if (input.channel === 'email') {
    await ctx.queue.enqueue('send-email', { to: user.rows[0].email, subject: input.title, text: input.body }, { key: `notification-email-${notificationId}` });
  }
  return { notificationId };
}
