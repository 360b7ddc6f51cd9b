import fastifyMultipart from '@fastify/multipart';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { DomainError } from '../errors.js';
import type { FileStore, StagedFile } from './file-store.js';

// What the multipart parser (busboy) throws for a body it cannot read: the client's fault, not ours.
const MALFORMED =
  /^(Multipart: Boundary not found|Unexpected end of (multipart data|form)|.* terminated early due to unexpected end of multipart data|The needle cannot|Malformed part header)/;

/** A parser error becomes 400 bad_request; anything else (storage, limits with their own status) is left as it is. */
function readableError(e: unknown): unknown {
  if (e instanceof Error && !('statusCode' in e) && !('code' in e) && MALFORMED.test(e.message))
    return new DomainError('bad_request', 'The multipart body could not be read.');
  return e;
}

/**
 * Lets the plugin `app` (and only it: register it inside the plugin that owns the upload routes)
 * read multipart bodies of one file and a few small fields, at most `maxBytes`.
 */
export async function acceptUploads(app: FastifyInstance, maxBytes: number): Promise<void> {
  await app.register(fastifyMultipart, {
    limits: { fileSize: maxBytes, files: 1, fields: 5, parts: 6, fieldSize: 1000, fieldNameSize: 100 },
  });
}

/** An upload read from a request: its text fields, the client's file name, the staged file (if any). */
export interface ReadUpload {
  fields: Record<string, string>;
  fileName: string | undefined;
  staged: StagedFile | null;
}

/**
 * Reads a multipart request: the part named `file` is streamed into `store`; other file parts are
 * drained and ignored; text fields are collected. A failure removes what was staged.
 */
export async function readUpload(req: FastifyRequest, store: FileStore, hint: string): Promise<ReadUpload> {
  if (!req.isMultipart()) throw new DomainError('unsupported_media_type', `Send multipart/form-data with ${hint}.`);
  const fields: Record<string, string> = {};
  let staged: StagedFile | null = null;
  let fileName: string | undefined;
  try {
    for await (const part of req.parts()) {
      if (part.type === 'file') {
        if (part.fieldname !== 'file' || staged) {
          part.file.resume();
          continue;
        }
        fileName = part.filename;
        staged = await store.stage(part.file);
      } else if (typeof part.value === 'string') {
        fields[part.fieldname] = part.value;
      }
    }
  } catch (e) {
    await store.discard(staged);
    throw readableError(e);
  }
  return { fields, fileName, staged };
}
