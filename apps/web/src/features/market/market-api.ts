import type {
  checkoutRecord,
  CheckoutResponse,
  CreateItemBody,
  CreateProgramBody,
  CreateStoreBody,
  Donation,
  entitlementResponse,
  Item,
  Program,
  RecordDonationBody,
  Store,
} from '@qiao/contracts';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../lib/api.js';

export type Entitlement = (typeof entitlementResponse)['_output'];
export type CheckoutRecord = (typeof checkoutRecord)['_output'];
export interface StockLine {
  itemId: number;
  name: string;
  onHand: number;
}

/** What the till needs of a household found by card, phone, ID number or name (masked by the server). */
export interface HouseholdHit {
  id: number;
  headName: string;
  idNumber: string;
  phone: string | null;
  category: string;
  cardNumber: string | null;
  mayRedeem: boolean;
  redeemBlock: string | null;
}

export const marketKeys = {
  stores: ['market', 'stores'] as const,
  stock: (storeId: number) => ['market', 'stock', storeId] as const,
  items: (q: string) => ['market', 'items', q] as const,
  donations: (storeId?: number) => ['market', 'donations', storeId ?? 'all'] as const,
  programs: ['market', 'programs'] as const,
  entitlement: (householdId: number) => ['market', 'entitlement', householdId] as const,
};

export function useStores() {
  return useQuery({
    queryKey: marketKeys.stores,
    queryFn: () => api<{ items: Store[] }>('/stores').then((r) => r.items),
  });
}

export function useStock(storeId: number | undefined) {
  return useQuery({
    queryKey: marketKeys.stock(storeId ?? 0),
    enabled: storeId !== undefined,
    queryFn: () => api<{ items: StockLine[] }>(`/stores/${storeId}/stock`).then((r) => r.items),
  });
}

export function useItems(q = '') {
  return useQuery({
    queryKey: marketKeys.items(q),
    queryFn: () => api<{ items: Item[] }>('/items', { query: { q, limit: 500 } }).then((r) => r.items),
  });
}

/** The one item carrying `barcode`, if any. */
export async function itemByBarcode(barcode: string): Promise<Item | undefined> {
  return (await api<{ items: Item[] }>('/items', { query: { barcode } })).items[0];
}

export async function searchItems(q: string): Promise<Item[]> {
  return (await api<{ items: Item[] }>('/items', { query: { q, limit: 20 } })).items;
}

export function useDonations(storeId?: number) {
  return useQuery({
    queryKey: marketKeys.donations(storeId),
    queryFn: () => api<{ items: Donation[] }>('/donations', { query: { storeId, limit: 50 } }).then((r) => r.items),
  });
}

export function usePrograms() {
  return useQuery({
    queryKey: marketKeys.programs,
    queryFn: () => api<{ items: Program[] }>('/entitlement-programs').then((r) => r.items),
  });
}

function useInvalidate() {
  const client = useQueryClient();
  return () => client.invalidateQueries({ queryKey: ['market'] });
}

export function useCreateStore() {
  const invalidate = useInvalidate();
  return useMutation({
    mutationFn: (body: CreateStoreBody) => api<Store>('/stores', { method: 'POST', body }),
    onSuccess: invalidate,
  });
}

export function useCreateItem() {
  const invalidate = useInvalidate();
  return useMutation({
    mutationFn: (body: CreateItemBody) => api<Item>('/items', { method: 'POST', body }),
    onSuccess: invalidate,
  });
}

export function useRecordDonation() {
  const invalidate = useInvalidate();
  return useMutation({
    mutationFn: (body: RecordDonationBody) => api<Donation>('/donations', { method: 'POST', body }),
    onSuccess: invalidate,
  });
}

export function useCreateProgram() {
  const invalidate = useInvalidate();
  return useMutation({
    mutationFn: (body: CreateProgramBody) => api<Program>('/entitlement-programs', { method: 'POST', body }),
    onSuccess: invalidate,
  });
}

export function useGrantPeriod() {
  const invalidate = useInvalidate();
  return useMutation({
    mutationFn: (programId: number) =>
      api<{ periodStart: string; granted: number; alreadyGranted: number; notEligible: number; points: number }>(
        '/points/period-grants',
        { method: 'POST', body: { programId } },
      ),
    onSuccess: invalidate,
  });
}

export function useGrantPoints() {
  const invalidate = useInvalidate();
  return useMutation({
    mutationFn: (body: { householdId: number; points: number; reason: string }) =>
      api<{ points: number }>('/points/grants', { method: 'POST', body }),
    onSuccess: invalidate,
  });
}

export async function findHouseholds(q: string): Promise<HouseholdHit[]> {
  return (await api<{ items: HouseholdHit[] }>('/households', { query: { q, limit: 10 } })).items;
}

export function useEntitlement(householdId: number | undefined) {
  return useQuery({
    queryKey: marketKeys.entitlement(householdId ?? 0),
    enabled: householdId !== undefined,
    queryFn: () => api<Entitlement>(`/households/${householdId}/entitlement`),
  });
}

export interface SaleBody {
  storeId: number;
  householdId: number;
  lines: { itemId: number; quantity: number }[];
}

/** A sale; `key` is the Idempotency-Key the till made for exactly this body. */
export function checkout(body: SaleBody, key: string): Promise<CheckoutResponse> {
  return api<CheckoutResponse>('/checkouts', { method: 'POST', body, headers: { 'idempotency-key': key } });
}

export async function checkoutByReceipt(receiptNo: string): Promise<CheckoutRecord | undefined> {
  return (await api<{ items: CheckoutRecord[] }>('/checkouts', { query: { receiptNo, limit: 1 } })).items[0];
}

export const donationReceiptUrl = (id: number) => `/api/donations/${id}/receipt`;
export const checkoutReceiptUrl = (id: number) => `/api/checkouts/${id}/receipt`;

/** Fen as yuan with two decimals, without floating-point drift. */
export function yuan(fen: number): string {
  return `${Math.floor(fen / 100)}.${String(fen % 100).padStart(2, '0')}`;
}

/** Yuan typed by a person (up to two decimals) as integer fen; undefined when not a valid amount. */
export function toFen(text: string): number | undefined {
  const m = /^\s*(\d{1,8})(?:\.(\d{1,2}))?\s*$/.exec(text);
  if (!m) return undefined;
  return Number(m[1]) * 100 + Number((m[2] ?? '0').padEnd(2, '0'));
}
