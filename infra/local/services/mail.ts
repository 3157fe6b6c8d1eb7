/**
 * aws-ses-v2-local: the SES v2 API for sending, and a web page that shows every message sent. Messages are
 * kept in memory by the emulator, so they are gone after a restart (the deliveries themselves are recorded in
 * the table by the code that sends them).
 */
import { createRequire } from 'node:module';
import { type ManagedProcess, startProcess, waitUntilReady } from '../child-process.ts';

export interface LocalMail {
  readonly process: ManagedProcess;
  readonly endpoint: string;
  readonly viewerUrl: string;
}

/** What the twin answers to GetAccount: a production-enabled account, as the platform expects in AWS. */
const localAccount = {
  DedicatedIpAutoWarmupEnabled: false,
  Details: {
    AdditionalContactEmailAddresses: [],
    ContactLanguage: 'EN',
    MailType: 'TRANSACTIONAL',
    ReviewDetails: { CaseId: 'local', Status: 'GRANTED' },
    UseCaseDescription: 'Guest access emails for short-term rental stays',
    WebsiteURL: 'http://localhost',
  },
  EnforcementStatus: 'HEALTHY',
  ProductionAccessEnabled: true,
  SendingEnabled: true,
  SendQuota: { Max24HourSend: 50_000, MaxSendRate: 14, SentLast24Hours: 0 },
  SuppressionAttributes: { SuppressedReasons: ['BOUNCE', 'COMPLAINT'] },
};

export async function startLocalMail({
  port,
  logFile,
}: {
  port: number;
  logFile: string;
}): Promise<LocalMail> {
  const require = createRequire(import.meta.url);
  const process = startProcess({
    name: 'aws-ses-v2-local',
    command: globalThis.process.execPath,
    args: [require.resolve('aws-ses-v2-local/dist/cli.js'), '--host', '127.0.0.1', '--port', String(port)],
    env: { AWS_SES_ACCOUNT: JSON.stringify(localAccount) },
    logFile,
  });
  const endpoint = `http://127.0.0.1:${port}`;
  await waitUntilReady(process, async () => (await fetch(`${endpoint}/health-check`)).ok, { logFile });
  return { process, endpoint, viewerUrl: `${endpoint}/` };
}
