// Paystack's own word on a transaction: GET /transaction/verify/:reference with the secret key.
// A signed webhook says an event happened; only this says the money arrived, in which currency.

export interface VerifiedTransaction {
  reference: string;
  /** 'success', 'failed', 'abandoned', 'reversed', ... as Paystack names it. */
  status: string;
  /** In the currency's smallest unit (cents, kobo). */
  amount: number;
  currency: string;
  paidAt: string | null;
}

export interface PaymentVerifier {
  /** The transaction as Paystack has it, or null when Paystack knows no such reference. Throws when Paystack cannot be asked. */
  verify(reference: string): Promise<VerifiedTransaction | null>;
}

export const PAYSTACK_API_BASE = 'https://api.paystack.co';

// Built with the first verification, not when the app is configured: zod is no part of a cold start.
const answerSchema = () => import('zod').then(({ z }) => z.object({
  status: z.boolean(),
  data: z.object({
    reference: z.string(),
    status: z.string(),
    amount: z.number().int(),
    currency: z.string(),
    paid_at: z.string().nullish(),
  }).passthrough().nullish(),
}).passthrough());

export class PaystackUnavailableError extends Error {
  override name = 'PaystackUnavailableError';
}

export function paystackVerifier(options: { secret: string; baseUrl?: string; timeoutMs?: number }): PaymentVerifier {
  const base = (options.baseUrl ?? PAYSTACK_API_BASE).replace(/\/+$/, '');
  return {
    async verify(reference) {
      let res: Response;
      try {
        res = await fetch(`${base}/transaction/verify/${encodeURIComponent(reference)}`, {
          headers: { authorization: `Bearer ${options.secret}`, accept: 'application/json' },
          signal: AbortSignal.timeout(options.timeoutMs ?? 10_000),
        });
      } catch (error) {
        throw new PaystackUnavailableError(`Paystack did not answer: ${(error as Error).name}`);
      }
      const text = await res.text();
      if (res.status === 404 || res.status === 400) return null;
      if (!res.ok) throw new PaystackUnavailableError(`Paystack answered ${res.status}`);
      const schema = await answerSchema();
      let parsed;
      try {
        parsed = schema.safeParse(JSON.parse(text));
      } catch {
        throw new PaystackUnavailableError('Paystack answered something that is not JSON');
      }
      if (!parsed.success) throw new PaystackUnavailableError('Paystack answered in an unexpected shape');
      const data = parsed.data.data;
      if (!parsed.data.status || !data) return null;
      return { reference: data.reference, status: data.status, amount: data.amount, currency: data.currency.toUpperCase(), paidAt: data.paid_at ?? null };
    },
  };
}
