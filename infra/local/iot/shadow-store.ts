/**
 * Where the local IoT Core keeps its shadows: in memory for reads, and one JSON file per shadow under
 * `{dir}/{thing}/classic.json` or `{dir}/{thing}/named/{shadow}.json`, replaced atomically on every change, so
 * shadows survive restarts. A deleted shadow leaves a tombstone with its last version: AWS continues the version
 * of a shadow re-created within 48 hours of its deletion, and starts from 0 after that.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { AtomicFileWriter } from './atomic-file.ts';
import type { ShadowDocument, ShadowRef } from './shadow-document.ts';

const versionMemoryMs = 48 * 60 * 60 * 1000;

interface StoredShadowFile {
  readonly thingName: string;
  readonly shadowName?: string;
  readonly document?: ShadowDocument;
  readonly deleted?: { readonly version: number; readonly at: number };
}

export interface ShadowStore {
  get(ref: ShadowRef): ShadowDocument | undefined;
  /** The version a shadow that does not exist continues from (0, or that of a recently deleted one). */
  previousVersion(ref: ShadowRef, nowMs: number): number;
  save(ref: ShadowRef, document: ShadowDocument): Promise<void>;
  remove(ref: ShadowRef, deletedVersion: number, nowMs: number): Promise<void>;
  /** Names of the thing's existing named shadows, sorted. */
  namedShadows(thingName: string): string[];
  flush(): Promise<void>;
}

function keyOf({ thingName, shadowName }: ShadowRef): string {
  return shadowName === undefined ? `${thingName}` : `${thingName}/${shadowName}`;
}

export async function openShadowStore({
  dir,
  writer,
}: {
  dir: string;
  writer: AtomicFileWriter;
}): Promise<ShadowStore> {
  const records = new Map<string, StoredShadowFile>();
  for (const file of await listShadowFiles(dir)) {
    const record = JSON.parse(await readFile(file, 'utf8')) as StoredShadowFile;
    records.set(keyOf(record), record);
  }

  const pathOf = ({ thingName, shadowName }: ShadowRef) =>
    shadowName === undefined
      ? join(dir, encodeURIComponent(thingName), 'classic.json')
      : join(dir, encodeURIComponent(thingName), 'named', `${encodeURIComponent(shadowName)}.json`);

  function put(ref: ShadowRef, record: StoredShadowFile): Promise<void> {
    records.set(keyOf(ref), record);
    return writer.write(pathOf(ref), `${JSON.stringify(record)}\n`);
  }

  return {
    get(ref) {
      return records.get(keyOf(ref))?.document;
    },
    previousVersion(ref, nowMs) {
      const deleted = records.get(keyOf(ref))?.deleted;
      return deleted !== undefined && nowMs - deleted.at < versionMemoryMs ? deleted.version : 0;
    },
    save(ref, document) {
      return put(ref, { ...refFields(ref), document });
    },
    remove(ref, deletedVersion, nowMs) {
      return put(ref, { ...refFields(ref), deleted: { version: deletedVersion, at: nowMs } });
    },
    namedShadows(thingName) {
      return [...records.values()]
        .filter(
          (record) => record.thingName === thingName && record.shadowName !== undefined && record.document,
        )
        .map((record) => record.shadowName as string)
        .sort();
    },
    flush: () => writer.flush(),
  };
}

function refFields({ thingName, shadowName }: ShadowRef): Pick<StoredShadowFile, 'thingName' | 'shadowName'> {
  return shadowName === undefined ? { thingName } : { thingName, shadowName };
}

async function listShadowFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true }).catch((error: unknown) => {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  });
  return entries
    .filter((entry) => entry.isFile() && entry.name.endsWith('.json'))
    .map((entry) => join(entry.parentPath, entry.name));
}
