import dayjs from 'dayjs';

/** Instants arrive as UTC ISO-8601; people read them in their own time zone. */
export function formatInstant(iso: string | null | undefined): string {
  return iso ? dayjs(iso).format('YYYY-MM-DD HH:mm:ss') : '—';
}

export function formatDay(iso: string): string {
  return dayjs(iso).format('MM-DD');
}

/** A before/after value of an audit change as one readable line. */
export function formatValue(value: unknown): string {
  if (value === null || value === undefined) return '—';
  if (typeof value === 'string') return value;
  return JSON.stringify(value);
}
