import { readFileSync } from 'node:fs';

/** The release, from the repository's package.json (read once at start). */
export const APP_VERSION: string = (
  JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string }
).version;
