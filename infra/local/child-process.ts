/**
 * Child processes of the local cloud (DynamoDB Local, cognito-local, the SES twin): started with their output in
 * a log file, watched for an early exit, and stopped (SIGTERM, then SIGKILL) when the cloud stops, so that
 * nothing is left running.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { connect } from 'node:net';

export class LocalCloudError extends Error {}

export interface ManagedProcess {
  readonly name: string;
  readonly child: ChildProcess;
  /** Settles when the process has exited. */
  readonly exited: Promise<number | null>;
  stop(): Promise<void>;
}

export interface StartProcessOptions {
  readonly name: string;
  readonly command: string;
  readonly args: readonly string[];
  readonly cwd?: string;
  readonly env?: Readonly<Record<string, string>>;
  readonly logFile: string;
}

/**
 * Runs the command in its own process group under a small shell guard that holds the write end of a pipe from
 * this process: if this process dies without stopping its children (SIGKILL, a crash), the pipe closes and the
 * guard stops the command, so nothing is left running in any case.
 */
const guard = `exec 3<&0
"$@" </dev/null &
child=$!
{ cat <&3 >/dev/null; kill -TERM "$child" 2>/dev/null; } &
wait "$child"`;

export function startProcess(options: StartProcessOptions): ManagedProcess {
  const { name, command, args, cwd, env, logFile } = options;
  const log = createWriteStream(logFile, { flags: 'a' });
  const child = spawn('sh', ['-c', guard, 'sh', command, ...args], {
    cwd,
    env: { ...process.env, ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
    detached: true,
  });
  child.stdout?.pipe(log);
  child.stderr?.pipe(log);
  const exited = new Promise<number | null>((resolve) => {
    child.once('exit', (code) => resolve(code));
    child.once('error', () => resolve(null));
  });
  return {
    name,
    child,
    exited,
    async stop() {
      const signalGroup = (signal: NodeJS.Signals) => {
        try {
          if (child.pid) process.kill(-child.pid, signal);
        } catch {
          // The group is already gone.
        }
      };
      if (child.exitCode === null && child.signalCode === null) {
        signalGroup('SIGTERM');
        const killer = setTimeout(() => signalGroup('SIGKILL'), 5000);
        await exited;
        clearTimeout(killer);
      }
      signalGroup('SIGKILL');
      child.stdin?.destroy();
      log.end();
    },
  };
}

/** Whether something accepts TCP connections on the port. */
export function isListening(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ port, host });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/** Polls `ready` until it resolves true, the process exits, or the time runs out. */
export async function waitUntilReady(
  process: ManagedProcess,
  ready: () => Promise<boolean>,
  { timeoutMs = 60_000, logFile }: { timeoutMs?: number; logFile: string },
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let exitCode: number | null | undefined;
  void process.exited.then((code) => {
    exitCode = code;
  });
  while (Date.now() < deadline) {
    if (exitCode !== undefined) {
      throw new LocalCloudError(`${process.name} exited (code ${exitCode}) while starting; see ${logFile}`);
    }
    if (await ready().catch(() => false)) return;
    await new Promise((resolve) => setTimeout(resolve, 150));
  }
  throw new LocalCloudError(
    `${process.name} did not become ready within ${timeoutMs / 1000} s; see ${logFile}`,
  );
}
