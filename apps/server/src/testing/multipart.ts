import type { Agent } from './test-app.js';

/** A multipart/form-data body with one file part, as a browser's form upload sends it. */
export function multipartFile(content: Buffer | string, filename = 'registry.csv', field = 'file') {
  const boundary = `----qiao${Math.random().toString(16).slice(2)}`;
  const head =
    `--${boundary}\r\nContent-Disposition: form-data; name="${field}"; filename="${filename}"\r\n` +
    'Content-Type: application/octet-stream\r\n\r\n';
  return {
    payload: Buffer.concat([Buffer.from(head), Buffer.from(content), Buffer.from(`\r\n--${boundary}--\r\n`)]),
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
  };
}

/** Uploads `content` as the multipart field `file` with the agent's session. */
export function upload(agent: Agent, url: string, content: Buffer | string, filename?: string) {
  const { payload, headers } = multipartFile(content, filename);
  return agent.request('POST', url, payload as never, headers);
}
