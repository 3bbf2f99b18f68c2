/**
 * How the identity layer sends mail (reset links, verification, invitations). The development
 * mailbox keeps every message in memory and, with a folder, as one JSON file per message so a
 * person can open it; a real transport implements the same interface.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';

export interface MailMessage {
  readonly to: string;
  readonly subject: string;
  readonly text: string;
  /** What the message carries, for programs (the token, the purpose). */
  readonly data?: Readonly<Record<string, string>>;
}

export interface Mailer {
  send(message: MailMessage): Promise<void>;
}

export interface DevMailbox extends Mailer {
  readonly messages: readonly (MailMessage & { readonly sentAt: string })[];
  /** The newest message to an address. */
  latest(to: string): (MailMessage & { readonly sentAt: string }) | undefined;
}

/**
 * @example
 * const mailbox = createDevMailbox('.architect/mailbox');
 * // after POST /auth/password-reset
 * mailbox.latest('ada@example.com')?.data?.token;
 */
export function createDevMailbox(folder?: string): DevMailbox {
  const messages: (MailMessage & { sentAt: string })[] = [];
  return {
    messages,
    latest: (to) => messages.filter((message) => message.to === to.toLowerCase()).at(-1),
    async send(message) {
      const stored = { ...message, to: message.to.toLowerCase(), sentAt: new Date().toISOString() };
      messages.push(stored);
      if (folder) {
        await mkdir(folder, { recursive: true });
        const name = `${stored.sentAt.replace(/[:.]/g, '-')}-${messages.length}.json`;
        await writeFile(path.join(folder, name), `${JSON.stringify(stored, null, 2)}\n`, { mode: 0o600 });
      }
    },
  };
}
