import { systemClock, type Clock } from './jobs.js';

// Calendar days as the city lives them: Asia/Shanghai keeps UTC+8 all year (no daylight saving), so
// a day there is a fixed shift of UTC. Any "today", "not in the future" or "valid until" is one of
// these days, never the UTC date (which is yesterday between 00:00 and 08:00 in Shanghai).

const SHANGHAI_OFFSET_MS = 8 * 3_600_000;

/** YYYY-MM-DD of an instant in Asia/Shanghai. */
export function shanghaiDay(instant: Date): string {
  return new Date(instant.getTime() + SHANGHAI_OFFSET_MS).toISOString().slice(0, 10);
}

/** Today in Asia/Shanghai by the given clock (the system clock by default). */
export function shanghaiToday(clock: Clock = systemClock): string {
  return shanghaiDay(clock());
}

/** The instant (UTC ISO text, comparable with created_at) Shanghai's day `day` begins: 16:00 UTC the day before. */
export function shanghaiDayStart(day: string): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) - SHANGHAI_OFFSET_MS).toISOString();
}

/** `day` (YYYY-MM-DD) plus `days` calendar days (negative goes back). */
export function addDays(day: string, days: number): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}
