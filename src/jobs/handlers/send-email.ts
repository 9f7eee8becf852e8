import { z } from 'zod';
import type { JobContext } from '../worker.js';

const schema = z.object({
  to: z.string().email(),
  subject: z.string().min(1).max(998),
  text: z.string(),
  html: z.string().optional(),
});
export type SendEmailPayload = z.infer<typeof schema>;

export async function sendEmail(payload: unknown, ctx: JobContext): Promise<{ messageId: string }> {
  const message = schema.parse(payload);
  return ctx.mailer.send(message);
}
