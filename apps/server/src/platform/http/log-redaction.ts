import type { FastifyRequest } from 'fastify';

// Query strings carry what people search for: a resident ID number, a phone, a card number typed
// into a search box. The request log keeps the path and the parameter names, never such values.
const PERSONAL = /\d/g;
const DIGITS_TO_MASK = 7;

/** The URL as the log keeps it: query values holding seven or more digits replaced by `[masked]`. */
export function redactUrl(url: string): string {
  const at = url.indexOf('?');
  if (at < 0) return url;
  let params: URLSearchParams;
  try {
    params = new URLSearchParams(url.slice(at + 1));
  } catch {
    return `${url.slice(0, at)}?[masked]`;
  }
  const kept = [...params].map(([name, value]) => {
    const digits = value.match(PERSONAL)?.length ?? 0;
    return `${encodeURIComponent(name)}=${digits >= DIGITS_TO_MASK ? '[masked]' : encodeURIComponent(value)}`;
  });
  return `${url.slice(0, at)}?${kept.join('&')}`;
}

/** Fastify's default request serializer, with the URL redacted. */
export function logRequest(req: FastifyRequest) {
  return {
    method: req.method,
    url: redactUrl(req.url),
    host: req.host,
    remoteAddress: req.ip,
    remotePort: req.socket?.remotePort,
  };
}
