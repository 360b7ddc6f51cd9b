import type { Agent } from './test-app.js';

/** A multipart/form-data body: text fields, then files. */
export function multipart(
  fields: Record<string, string>,
  files: { field: string; name: string; type: string; data: Buffer }[],
): { payload: Buffer; contentType: string } {
  const boundary = `----qiao${Math.random().toString(16).slice(2)}`;
  const chunks: Buffer[] = [];
  for (const [k, v] of Object.entries(fields))
    chunks.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`));
  for (const f of files) {
    chunks.push(
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="${f.field}"; filename="${f.name}"\r\nContent-Type: ${f.type}\r\n\r\n`,
      ),
      f.data,
      Buffer.from('\r\n'),
    );
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { payload: Buffer.concat(chunks), contentType: `multipart/form-data; boundary=${boundary}` };
}

/** A multipart/form-data body with one file part, as a browser's form upload sends it. */
export function multipartFile(content: Buffer | string, filename = 'registry.csv', field = 'file') {
  const { payload, contentType } = multipart({}, [
    { field, name: filename, type: 'application/octet-stream', data: Buffer.from(content) },
  ]);
  return { payload, headers: { 'content-type': contentType } };
}

/** Uploads `content` as the multipart field `file` with the agent's session. */
export function upload(agent: Agent, url: string, content: Buffer | string, filename?: string) {
  const { payload, headers } = multipartFile(content, filename);
  return agent.request('POST', url, payload as never, headers);
}
