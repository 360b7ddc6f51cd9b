/**
 * Spreadsheet programs run a cell that starts with = + - @ (or a tab or CR before one): a leading
 * quote keeps it text. Every CSV and XLSX cell Qiao writes goes through this.
 */
export function neutralizeCell(value: unknown): string {
  const text = value === null || value === undefined ? '' : typeof value === 'string' ? value : JSON.stringify(value);
  return /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
}
