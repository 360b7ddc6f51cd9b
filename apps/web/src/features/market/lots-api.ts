import type { Item, StockLot } from '@qiao/contracts';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { Dayjs } from 'dayjs';
import { api } from '../../lib/api.js';

// Lots with expiry dates and points expiry (ADR 0016): the supermarket page's new calls.

export function useLots(storeId: number | undefined, expiringWithinDays?: number) {
  return useQuery({
    queryKey: ['market', 'lots', storeId ?? 0, expiringWithinDays ?? 'all'],
    enabled: storeId !== undefined,
    queryFn: () =>
      api<{ items: StockLot[] }>(`/stores/${storeId}/lots`, { query: { expiringWithinDays, limit: 500 } }).then(
        (r) => r.items,
      ),
  });
}

/** Writes off (part of) one lot, with the reason the person gave. */
export function useWriteOffLot(storeId: number) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (v: { lot: StockLot; quantity: number; reason: string }) =>
      api(`/stores/${storeId}/movements`, {
        method: 'POST',
        body: {
          kind: 'write_off',
          lines: [{ itemId: v.lot.itemId, quantity: v.quantity, lotId: v.lot.id }],
          reason: v.reason,
        },
      }),
    onSuccess: () => client.invalidateQueries({ queryKey: ['market'] }),
  });
}

export function useSetTracking() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (v: { itemId: number; tracksExpiry: boolean }) =>
      api<Item>(`/items/${v.itemId}`, { method: 'PATCH', body: { tracksExpiry: v.tracksExpiry } }),
    onSuccess: () => client.invalidateQueries({ queryKey: ['market'] }),
  });
}

/** A form line's lot fields as the API wants them: the date as YYYY-MM-DD, an empty code left out. */
export function lotOf(line: { expiresOn?: Dayjs | null; lotCode?: string }): { expiresOn?: string; lotCode?: string } {
  return {
    ...(line.expiresOn ? { expiresOn: line.expiresOn.format('YYYY-MM-DD') } : {}),
    ...(line.lotCode?.trim() ? { lotCode: line.lotCode.trim() } : {}),
  };
}
