import fs from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { SMTPServer } from 'smtp-server';

/**
 * A local SMTP server standing for the secure health messaging relay: every message it accepts is written
 * as `<n>.eml` in a temporary folder, which test files (separate processes) read through `readMails`.
 */
export interface MailSink {
  url: string;
  dir: string;
  stop(): Promise<void>;
}

export async function startMailSink(): Promise<MailSink> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'passerelle-e2e-mail-'));
  let n = 0;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const to = session.envelope.rcptTo.map((r) => r.address).join(',');
        fs.writeFileSync(
          path.join(dir, `${String(++n).padStart(4, '0')}.eml`),
          `X-Envelope-To: ${to}\r\n${Buffer.concat(chunks).toString('utf8')}`,
        );
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const port = (server.server.address() as AddressInfo).port;
  return {
    url: `smtp://127.0.0.1:${port}`,
    dir,
    async stop() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await rm(dir, { recursive: true, force: true });
    },
  };
}

export interface SunkMail {
  to: string;
  /** Quoted-printable soft breaks and escapes undone, enough to search the text. */
  text: string;
  pdfAttachments: number;
}

function decodeQuotedPrintable(raw: string): string {
  return raw
    .replace(/=\r?\n/g, '')
    .replace(/(?:=[0-9A-F]{2})+/g, (m) => Buffer.from(m.replaceAll('=', ''), 'hex').toString('utf8'));
}

/** The messages the sink has received so far, oldest first. */
export function readMails(dir: string): SunkMail[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.eml'))
    .sort()
    .map((f) => {
      const raw = fs.readFileSync(path.join(dir, f), 'utf8');
      return {
        to: /^X-Envelope-To: (.*)$/m.exec(raw)?.[1]?.trim() ?? '',
        text: decodeQuotedPrintable(raw),
        pdfAttachments: (raw.match(/Content-Type: application\/pdf/gi) ?? []).length,
      };
    });
}
