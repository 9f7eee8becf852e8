// E-mail behind one small interface: SMTP through nodemailer here; an HTTP API (Resend, SES,
// Postmark) is another implementation of the same send().
import nodemailer from 'nodemailer';

export interface EmailMessage {
  to: string;
  subject: string;
  text: string;
  html?: string;
  from?: string;
}

export interface Mailer {
  send(message: EmailMessage): Promise<{ messageId: string }>;
  close?(): void;
}

/** SMTP at `url` (smtp://user:pass@host:587, smtps://... for TLS). */
export function smtpMailer(url: string, defaultFrom = 'MarketHub <no-reply@markethub.local>'): Mailer {
  const transport = nodemailer.createTransport(url);
  return {
    async send(message) {
      const info = await transport.sendMail({ from: message.from ?? defaultFrom, to: message.to, subject: message.subject, text: message.text, html: message.html });
      return { messageId: String(info.messageId) };
    },
    close: () => transport.close(),
  };
}

/** Without SMTP_URL e-mail jobs fail (and so are retried, then dead-lettered) instead of vanishing. */
export function unconfiguredMailer(): Mailer {
  return {
    async send() {
      throw new Error('no mail transport configured (set SMTP_URL)');
    },
  };
}
