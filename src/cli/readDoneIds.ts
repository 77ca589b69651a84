import { createReadStream } from 'node:fs';
import { jsonlLines } from './jsonlLines.js';

/**
 * The ids already in a results file, for `--resume`. A torn last line (the
 * process was killed mid-write) is ignored, so that request runs again.
 */
export async function readDoneIds(path: string): Promise<Set<string>> {
  const ids = new Set<string>();
  for await (const entry of jsonlLines(createReadStream(path), 16 * 1024 * 1024)) {
    if ('tooLong' in entry) continue;
    try {
      const record = JSON.parse(entry.text) as { id?: unknown };
      if (typeof record.id === 'string') ids.add(record.id);
    } catch {
      // a torn line: that request is simply run again
    }
  }
  return ids;
}
