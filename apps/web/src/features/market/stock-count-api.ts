import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api, ApiError, isApiError } from '../../lib/api.js';

export interface StockTakeResult {
  counted: number;
  adjustments: { itemId: number; before: number; counted: number; difference: number }[];
}

/**
 * A server error on `lines.N.<field>` renamed for the form that sent those lines: `name(N)` gives
 * the form's field for line N (or undefined to leave it), so errors land under the right input.
 */
export function renameLineErrors(error: unknown, name: (line: number, field: string) => string | undefined): unknown {
  if (!isApiError(error) || error.fieldErrors.length === 0) return error;
  return new ApiError(error.status, {
    ...error.problem,
    code: error.code,
    errors: error.fieldErrors.map((f) => {
      const m = /^lines\.(\d+)\.(\w+)$/.exec(f.field);
      const renamed = m ? name(Number(m[1]), m[2]!) : undefined;
      return renamed ? { ...f, field: renamed } : f;
    }),
  });
}

/** A short line of a 409 insufficient_stock as field errors on the lines that asked too much. */
export function shortLinesAsFieldErrors(
  error: unknown,
  lineOf: (itemId: number) => number | undefined,
  message: (onHand: number) => string,
): unknown {
  if (!isApiError(error, 'insufficient_stock')) return error;
  const short = (error.problem.lines ?? []) as { itemId: number; onHand: number; requested: number }[];
  return new ApiError(error.status, {
    ...error.problem,
    code: error.code,
    errors: short.flatMap((s) => {
      const line = lineOf(s.itemId);
      return line === undefined
        ? []
        : [{ field: `lines.${line}.quantity`, code: 'short_line', message: message(s.onHand) }];
    }),
  });
}

export function useStockTake(storeId: number) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: { lines: { itemId: number; counted: number }[]; reason: string }) =>
      api<StockTakeResult>(`/stores/${storeId}/stock-takes`, { method: 'POST', body }),
    onSuccess: () => client.invalidateQueries({ queryKey: ['market'] }),
  });
}

export function useTransfer(storeId: number) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: { toStoreId: number; lines: { itemId: number; quantity: number }[]; reason?: string }) =>
      api<{ count: number }>(`/stores/${storeId}/transfers`, { method: 'POST', body }),
    onSuccess: () => client.invalidateQueries({ queryKey: ['market'] }),
  });
}
