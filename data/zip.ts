// Reads one entry of a zip archive as a stream: INSEE publishes Sirene stocks
// as zipped CSV of several gigabytes, which must never be unpacked in memory.
import yauzl from "yauzl";
import type { Readable } from "node:stream";
import { LoadError } from "./errors.ts";

export interface ZipEntryStream {
  name: string;
  /** Uncompressed size, for progress. */
  size: number;
  stream: Readable;
  close(): void;
}

export function openZipEntry(file: string, wanted: (name: string) => boolean): Promise<ZipEntryStream> {
  return new Promise((resolve, reject) => {
    yauzl.open(file, { lazyEntries: true, autoClose: false }, (err, zip) => {
      if (err || !zip) return reject(new LoadError(file, undefined, `not a readable zip archive: ${err?.message}`));
      const names: string[] = [];
      zip.on("entry", (entry: yauzl.Entry) => {
        names.push(entry.fileName);
        if (!wanted(entry.fileName)) return zip.readEntry();
        zip.openReadStream(entry, (e, stream) => {
          if (e || !stream) {
            zip.close();
            return reject(new LoadError(file, undefined, `cannot read ${entry.fileName} in the archive: ${e?.message}`));
          }
          resolve({ name: entry.fileName, size: entry.uncompressedSize, stream, close: () => zip.close() });
        });
      });
      zip.on("end", () => {
        zip.close();
        reject(new LoadError(file, undefined, `the archive holds no expected entry (found: ${names.join(", ") || "nothing"})`));
      });
      zip.on("error", (e: Error) => reject(new LoadError(file, undefined, `corrupt zip archive: ${e.message}`)));
      zip.readEntry();
    });
  });
}
