/**
 * Files the local IoT Core keeps (shadows, the certificate registry) are replaced atomically: written to a
 * temporary file, flushed to disk, then renamed over the old one, so a crash leaves either the old or the new
 * content, never half of one. Writes to one path are applied in the order they were asked for.
 */
import { randomUUID } from 'node:crypto';
import { mkdir, open, rename, rm } from 'node:fs/promises';
import { dirname } from 'node:path';

export interface AtomicFileWriter {
  write(path: string, content: string): Promise<void>;
  remove(path: string): Promise<void>;
  /** Settles once every write asked for so far has reached the disk. */
  flush(): Promise<void>;
}

export function createAtomicFileWriter({ mode = 0o600 }: { mode?: number } = {}): AtomicFileWriter {
  const queues = new Map<string, Promise<void>>();

  function enqueue(path: string, task: () => Promise<void>): Promise<void> {
    const previous = queues.get(path) ?? Promise.resolve();
    const next = previous.catch(() => undefined).then(task);
    queues.set(path, next);
    const forget = () => {
      if (queues.get(path) === next) queues.delete(path);
    };
    next.then(forget, forget);
    return next;
  }

  return {
    write(path, content) {
      return enqueue(path, async () => {
        await mkdir(dirname(path), { recursive: true });
        const temporary = `${path}.${randomUUID()}.tmp`;
        const handle = await open(temporary, 'w', mode);
        try {
          await handle.writeFile(content, 'utf8');
          await handle.sync();
        } finally {
          await handle.close();
        }
        await rename(temporary, path);
      });
    },
    remove(path) {
      return enqueue(path, () => rm(path, { force: true }));
    },
    async flush() {
      await Promise.allSettled([...queues.values()]);
    },
  };
}
