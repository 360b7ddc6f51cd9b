import { CsvError, parse } from 'csv-parse';
import iconv from 'iconv-lite';
import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { registryColumns } from '@qiao/contracts';
import { DomainError, invalidFields } from '../../platform/errors.js';

/** An uploaded registry file on local disk, with what was learnt while it was written. */
export interface SpooledFile {
  file: string;
  sha256: string;
  bytes: number;
  encoding: 'utf8' | 'gbk';
  format: 'csv' | 'jsonl';
  /** Removes the file and its folder. */
  dispose(): Promise<void>;
}

/**
 * Writes an upload to a private temporary file while hashing it and checking it is UTF-8, so
 * nothing is imported from a file that is cut off by the size limit, and the encoding is decided
 * on the whole file (valid UTF-8, else GBK). Memory stays flat whatever the size. `under` is the
 * folder it goes in (the system's temporary folder unless a background job needs it to outlive the request).
 */
export async function spoolUpload(source: Readable, under: string = tmpdir()): Promise<SpooledFile> {
  await mkdir(under, { recursive: true, mode: 0o700 });
  const dir = await mkdtemp(path.join(under, 'qiao-import-'));
  const file = path.join(dir, 'upload');
  const dispose = () => rm(dir, { recursive: true, force: true });
  const hash = createHash('sha256');
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let utf8 = true;
  let bytes = 0;
  let head = Buffer.alloc(0);
  const out = createWriteStream(file, { mode: 0o600 });
  try {
    await pipeline(
      source,
      async function* (chunks: AsyncIterable<Buffer>) {
        for await (const chunk of chunks) {
          hash.update(chunk);
          bytes += chunk.length;
          if (head.length < 64) head = Buffer.concat([head, chunk.subarray(0, 64)]);
          if (utf8) {
            try {
              decoder.decode(chunk, { stream: true });
            } catch {
              utf8 = false;
            }
          }
          yield chunk;
        }
        if (utf8) {
          try {
            decoder.decode();
          } catch {
            utf8 = false;
          }
        }
      },
      out,
    );
  } catch (e) {
    await dispose();
    throw e;
  }
  const start = head.subarray(head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf ? 3 : 0).toString('latin1');
  return {
    file,
    sha256: hash.digest('hex'),
    bytes,
    encoding: utf8 ? 'utf8' : 'gbk',
    format: /^\s*\{/.test(start) ? 'jsonl' : 'csv',
    dispose,
  };
}

/** One record of the file: its line (a CSV's header is line 1) and its values by column name. */
export interface FileRecord {
  line: number;
  values: Partial<Record<string, string>>;
  /** Set when the line could not be read at all (bad JSON, wrong number of CSV fields). */
  unreadable?: string;
}

function decodedStream(f: SpooledFile): Readable {
  const raw = createReadStream(f.file);
  // iconv-lite strips a UTF-8 BOM by default.
  return raw.pipe(iconv.decodeStream(f.encoding === 'utf8' ? 'utf8' : 'gbk')) as unknown as Readable;
}

const normalizeHeader = (h: string) =>
  h
    .normalize('NFKC')
    .replace(/^\uFEFF/, '')
    .trim()
    .toLowerCase();

const required = registryColumns.filter((c) => c !== 'jurisdiction_code');

/** The records of a bureau export, streamed: CSV (header row) or JSON lines. */
export async function* readRegistryRecords(f: SpooledFile): AsyncGenerator<FileRecord> {
  if (f.format === 'jsonl') {
    const lines = createInterface({ input: decodedStream(f), crlfDelay: Infinity });
    let n = 0;
    for await (const text of lines) {
      n += 1;
      if (!text.trim()) continue;
      let value: unknown;
      try {
        value = JSON.parse(text);
      } catch {
        yield { line: n, values: {}, unreadable: 'invalid_json' };
        continue;
      }
      if (typeof value !== 'object' || value === null || Array.isArray(value)) {
        yield { line: n, values: {}, unreadable: 'not_an_object' };
        continue;
      }
      const values: Record<string, string> = {};
      for (const [k, v] of Object.entries(value)) {
        const key = normalizeHeader(k);
        if (!(registryColumns as readonly string[]).includes(key)) continue;
        if (typeof v === 'string') values[key] = v;
        else if (typeof v === 'number') values[key] = String(v);
        else if (v !== null) values[key] = '\u0000invalid';
      }
      yield { line: n, values };
    }
    return;
  }

  const parser = decodedStream(f).pipe(
    parse({
      bom: true,
      columns: false,
      relax_column_count: true,
      skip_empty_lines: true,
      info: true,
      // A bureau export's fields are short; a runaway quoted field is an unreadable file, not a 1 GB string.
      max_record_size: 64 * 1024,
      // A malformed record (stray quote, runaway field) is one rejected line, not a rejected file.
      skip_records_with_error: true,
    }),
  );
  const skipped: FileRecord[] = [];
  let lastSkipped = -1;
  parser.on('skip', (err: CsvError & { lines?: number }) => {
    // A runaway field is reported once per chunk it spans: one rejection per line.
    if (err.lines === lastSkipped) return;
    lastSkipped = err.lines ?? 0;
    skipped.push({ line: lastSkipped, values: {}, unreadable: 'unreadable_csv' });
  });
  let header: string[] | null = null;
  try {
    for await (const { record, info } of parser as AsyncIterable<{
      record: string[];
      info: { lines: number };
    }>) {
      if (header) yield* skipped.splice(0);
      if (!header) {
        header = record.map(normalizeHeader);
        const missing = required.filter((c) => !header!.includes(c));
        if (missing.length) {
          throw invalidFields(
            missing.map((c) => ({ field: `file.${c}`, code: 'missing_column', message: `the header lacks ${c}` })),
          );
        }
        continue;
      }
      // csv-parse counts the lines the record ended on; a record spanning lines starts earlier.
      const line = info.lines;
      if (record.length !== header.length) {
        yield { line, values: {}, unreadable: 'column_count' };
        continue;
      }
      const values: Record<string, string> = {};
      header.forEach((h, i) => {
        if ((registryColumns as readonly string[]).includes(h)) values[h] = record[i]!;
      });
      yield { line, values };
    }
    if (header) yield* skipped.splice(0);
  } catch (e) {
    if (e instanceof DomainError) throw e;
    const err = e as { code?: string; lines?: number };
    if (e instanceof CsvError) {
      throw invalidFields([
        {
          field: 'file',
          code: 'unreadable_csv',
          message: `the CSV cannot be read from line ${err.lines ?? '?'} on (${err.code})`,
        },
      ]);
    }
    throw e;
  }
  if (!header) throw invalidFields([{ field: 'file', code: 'empty', message: 'the file has no header row' }]);
}

/** Answers 400 when no file came in the request. */
export const noFile = () => new DomainError('bad_request', 'Send the registry file as the multipart field "file".');
