import type { Transporter } from 'nodemailer';

/** One plain-text e-mail. */
export interface MailMessage {
  readonly to: string;
  readonly subject: string;
  readonly text: string;
}

/** Sends e-mail; a seam so the rest of the server does not know SMTP. */
export interface Mailer {
  /** Resolves once the SMTP server accepted the message; rejects otherwise. */
  send(message: MailMessage): Promise<void>;
  close(): void;
}

/**
 * A Mailer over SMTP (nodemailer). `url` is `smtp://user:pass@host:587`
 * (STARTTLS when the server offers it) or `smtps://…:465` (TLS from the start).
 */
export function smtpMailer(url: string, from: string): Mailer {
  // nodemailer is loaded with the first message, not at start: most servers send
  // mail rarely, and it is megabytes held for nothing at idle (SPEC O5).
  let transport: Promise<Transporter> | null = null;
  let closed = false;
  return {
    async send(message) {
      transport ??= import('nodemailer').then(({ default: nodemailer }) => nodemailer.createTransport(url));
      const t = await transport;
      if (closed) throw new Error('the mailer is closed');
      await t.sendMail({ from, to: message.to, subject: message.subject, text: message.text });
    },
    close() {
      closed = true;
      void transport?.then((t) => t.close());
    },
  };
}
