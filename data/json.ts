// Streams the records of a file holding one JSON array (the ROR dump is a
// few hundred megabytes), and reports a malformed file with its line.
import { closeSync, createReadStream, openSync, readFileSync, readSync, statSync } from "node:fs";
import { pipeline } from "node:stream/promises";
import { Writable } from "node:stream";
import streamArray from "stream-json/streamers/stream-array.js";
import streamObject from "stream-json/streamers/stream-object.js";
import pick from "stream-json/filters/pick.js";
import { LoadError } from "./errors.ts";

export function forEachArrayItem(
  file: string,
  onItem: (value: unknown, index: number) => void,
  onBytes?: (bytes: number) => void,
): Promise<number> {
  return streamItems<number>(file, [streamArray.withParserAsStream()], (item) => onItem(item.value, item.key), onBytes);
}

/**
 * Pipes `file` through `parsers` and hands each item they emit to `onItem`, counting them;
 * a malformed file is reported with its line (locateJsonError).
 */
async function streamItems<K>(
  file: string,
  parsers: NodeJS.ReadWriteStream[],
  onItem: (item: { key: K; value: unknown }) => void,
  onBytes?: (bytes: number) => void,
): Promise<number> {
  let count = 0;
  let bytes = 0;
  const input = createReadStream(file);
  if (onBytes) input.on("data", (c: string | Buffer) => onBytes((bytes += c.length)));
  try {
    await pipeline([
      input,
      ...parsers,
      new Writable({
        objectMode: true,
        write(item: { key: K; value: unknown }, _enc, done) {
          try {
            onItem(item);
            count++;
            done();
          } catch (err) {
            done(err as Error);
          }
        },
      }),
    ]);
  } catch (err) {
    if (err instanceof LoadError) throw err;
    throw locateJsonError(file, err as Error);
  }
  return count;
}

/**
 * The streaming parser does not say where it stopped; JSON.parse does, so the
 * file is parsed once more to find the line (only on this error path, and
 * only for files small enough to read whole).
 */
export function locateJsonError(file: string, streamError: Error): LoadError {
  if (statSync(file).size > 256 * 1024 * 1024) return new LoadError(file, undefined, `malformed JSON: ${streamError.message}`);
  const text = readFileSync(file, "utf8").replace(/^\uFEFF/, "");
  return parseJson(file, text, streamError.message);
}

/** JSON.parse with a LoadError naming the line on failure. */
export function parseJson(file: string, text: string, fallback?: string): LoadError {
  try {
    JSON.parse(text);
  } catch (err) {
    const msg = (err as Error).message;
    const pos = /position (\d+)/.exec(msg);
    if (pos) return new LoadError(file, lineOf(text, Number(pos[1])), `malformed JSON: ${msg}`);
    if (/end of JSON input/i.test(msg)) {
      return new LoadError(file, lineOf(text, text.length), "malformed JSON: the file ends in the middle of a value (truncated?)");
    }
    return new LoadError(file, undefined, `malformed JSON: ${msg}`);
  }
  return new LoadError(file, undefined, `unexpected JSON structure: ${fallback ?? "not what this source publishes"}`);
}

function lineOf(text: string, position: number): number {
  let line = 1;
  for (let i = 0; i < position && i < text.length; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

/** Reads a whole JSON file (BOM tolerated), with the line of any syntax error. */
export function readJsonFile(file: string): unknown {
  const text = readFileSync(file, "utf8").replace(/^\uFEFF/, "");
  try {
    return JSON.parse(text);
  } catch {
    throw parseJson(file, text);
  }
}

/**
 * Streams the members of the object at `key` of a top-level object (the
 * entity API's {"entities": {"Q1": {...}, ...}}), one at a time: a Wikidata
 * file of a few hundred thousand items is never held whole.
 */
export function forEachObjectMember(
  file: string,
  key: string,
  onMember: (name: string, value: unknown) => void,
  onBytes?: (bytes: number) => void,
): Promise<number> {
  return streamItems<string>(file, [pick.withParserAsStream({ filter: key }), streamObject.asStream()], (item) => onMember(item.key, item.value), onBytes);
}

/** Whether a JSON file's top-level object starts with member `key` (looked up in its first bytes only). */
export function startsWithMember(file: string, key: string): boolean {
  const fd = openSync(file, "r");
  try {
    const head = Buffer.alloc(256);
    const n = readSync(fd, head, 0, head.length, 0);
    return new RegExp(`^\\uFEFF?\\s*\\{\\s*"${key}"\\s*:`).test(head.subarray(0, n).toString("utf8"));
  } finally {
    closeSync(fd);
  }
}
