import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { createHash, randomBytes } from 'node:crypto';
import path from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { FieldError } from '@qiao/contracts';
import { DomainError, invalidFields } from '../errors.js';
import { sniffContentType, SNIFF_BYTES, type DocumentContentType } from './content-type.js';

/** A file written to storage under a random name, not yet recorded. */
export interface StagedFile {
  storageKey: string;
  size: number;
  sha256: string;
  contentType: DocumentContentType | null;
  /** The first HEAD_BYTES bytes (fewer for a shorter file): enough for a PNG's size. */
  head: Buffer;
}

/** Bytes of a file's start kept: its type (SNIFF_BYTES) and a PNG's header with its width and height. */
export const HEAD_BYTES = Math.max(SNIFF_BYTES, 32);

/**
 * Uploaded files of one kind, kept outside the web root under QIAO_DATA_DIR/<folder>/<48 hex>
 * (mode 0600), never under the client's name. Shared by organization documents and aid evidence.
 */
export function createFileStore(dataDir: string, folder: string) {
  const dir = path.join(dataDir, folder);
  // Keys come from the database; anything that is not one stage() makes never reaches the file system.
  const fileOf = (key: string) => {
    if (!/^[0-9a-f]{48}$/.test(key)) throw new Error('not a storage key');
    return path.join(dir, key);
  };

  return {
    dir,

    /** Streams an upload to storage, hashing and sniffing it on the way; removes the partial file on failure. */
    async stage(stream: Readable): Promise<StagedFile> {
      await mkdir(dir, { recursive: true, mode: 0o700 });
      const storageKey = randomBytes(24).toString('hex');
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
        await pipeline(stream, tap, createWriteStream(fileOf(storageKey), { flags: 'wx', mode: 0o600 }));
      } catch (e) {
        await rm(fileOf(storageKey), { force: true });
        throw e;
      }
      return { storageKey, size, sha256: hash.digest('hex'), contentType: sniffContentType(head), head };
    },

    async discard(staged: StagedFile | null): Promise<void> {
      if (staged) await rm(fileOf(staged.storageKey), { force: true });
    },

    /** Deletes a recorded file (its row is gone or going in the same step). */
    async remove(storageKey: string): Promise<void> {
      await rm(fileOf(storageKey), { force: true });
    },

    open(storageKey: string): Readable {
      return createReadStream(fileOf(storageKey));
    },
  };
}

export type FileStore = ReturnType<typeof createFileStore>;

/**
 * The checks every stored upload passes: a file was sent (field `file`), it is not empty, and its
 * content is a PDF, JPEG or PNG. `errors` are the caller's other invalid fields, reported together.
 */
export function checkStagedFile(staged: StagedFile | null, errors: FieldError[] = []): DocumentContentType {
  if (!staged) errors.push({ field: 'file', code: 'required', message: 'attach a file' });
  else if (staged.size === 0) errors.push({ field: 'file', code: 'empty', message: 'the file is empty' });
  if (errors.length) throw invalidFields(errors);
  if (!staged!.contentType)
    throw new DomainError('unsupported_media_type', 'Upload a PDF, JPEG or PNG file (checked by its content).');
  return staged!.contentType;
}
