import { createWriteStream } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { createHash, randomBytes } from 'node:crypto';
import path from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

/** Bytes of a file's start kept for telling its type (and a PNG's size) apart. */
export const HEAD_BYTES = 32;

/** A file written to storage under a random name, not yet recorded. */
export interface StagedFile {
  storageKey: string;
  size: number;
  sha256: string;
  /** The first HEAD_BYTES bytes (fewer for a shorter file). */
  head: Buffer;
}

/**
 * Streams an upload into `dir` (created 0700) as a 0600 file named by 48 random hex digits, hashing
 * it and keeping its first bytes on the way; the partial file is removed on failure. Used by every
 * store of uploaded files kept outside the web root (documents, activity photos).
 */
export async function stageUpload(dir: string, stream: Readable): Promise<StagedFile> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const storageKey = randomBytes(24).toString('hex');
  const file = path.join(dir, storageKey);
  const hash = createHash('sha256');
  let size = 0;
  let head = Buffer.alloc(0);
  const tap = new Transform({
    transform(chunk: Buffer, _enc, done) {
      hash.update(chunk);
      size += chunk.length;
      if (head.length < HEAD_BYTES) head = Buffer.concat([head, chunk.subarray(0, HEAD_BYTES - head.length)]);
      done(null, chunk);
    },
  });
  try {
    await pipeline(stream, tap, createWriteStream(file, { flags: 'wx', mode: 0o600 }));
  } catch (e) {
    await rm(file, { force: true });
    throw e;
  }
  return { storageKey, size, sha256: hash.digest('hex'), head };
}

/** A stored file's path, refusing any key that is not one stageUpload makes. */
export function storedFile(dir: string, storageKey: string): string {
  if (!/^[0-9a-f]{48}$/.test(storageKey)) throw new Error('not a storage key');
  return path.join(dir, storageKey);
}
