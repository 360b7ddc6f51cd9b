import type { Config } from '../config.js';
import type { Db } from '../db/database.js';
import type { Keyring } from './crypto.js';
import type { Clock } from './jobs.js';

/** What every service factory receives. */
export interface Deps {
  db: Db;
  config: Config;
  keyring: Keyring;
  /** Now; tests pass a clock they move. Default: the system clock. */
  clock?: Clock;
}
