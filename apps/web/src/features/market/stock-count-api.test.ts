import { describe, expect, it } from 'vitest';
import { ApiError } from '../../lib/api.js';
import { renameLineErrors, shortLinesAsFieldErrors } from './stock-count-api.js';

const problem = (code: 'validation_failed' | 'insufficient_stock', extra: Record<string, unknown>) =>
  new ApiError(code === 'validation_failed' ? 422 : 409, { code, title: 'x', ...extra });

describe('server errors on sent lines, placed under the form’s own inputs', () => {
  it('renames lines.N.field by the form’s mapping and leaves other errors as they are', () => {
    const sent = [{ itemId: 7 }, { itemId: 9 }];
    const error = problem('validation_failed', {
      errors: [
        { field: 'lines.1.counted', code: 'too_big', message: 'm' },
        { field: 'reason', code: 'required', message: 'r' },
        { field: 'lines.0.itemId', code: 'not_found', message: 'n' },
      ],
    });
    const renamed = renameLineErrors(error, (n, f) => (f === 'counted' ? `counts.${sent[n]!.itemId}` : undefined));
    expect((renamed as ApiError).fieldErrors.map((e) => e.field)).toEqual(['counts.9', 'reason', 'lines.0.itemId']);
    expect((renamed as ApiError).code).toBe('validation_failed');
    const network = new Error('offline');
    expect(renameLineErrors(network, () => 'x')).toBe(network);
  });

  it('turns a 409 insufficient_stock into a message under each short line’s quantity', () => {
    const error = problem('insufficient_stock', {
      lines: [
        { itemId: 9, onHand: 3, requested: 5 },
        { itemId: 4, onHand: 0, requested: 1 },
      ],
    });
    const lines = [{ itemId: 7 }, { itemId: 9 }];
    const placed = shortLinesAsFieldErrors(
      error,
      (itemId) => {
        const i = lines.findIndex((l) => l.itemId === itemId);
        return i < 0 ? undefined : i;
      },
      (onHand) => `only ${onHand}`,
    ) as ApiError;
    expect(placed.status).toBe(409);
    expect(placed.fieldErrors).toEqual([{ field: 'lines.1.quantity', code: 'short_line', message: 'only 3' }]);
    const other = problem('validation_failed', { errors: [] });
    expect(shortLinesAsFieldErrors(other, () => 0, String)).toBe(other);
  });
});
