import { create } from 'zustand';
import { errorMessage } from '../lib/errors.js';

export type ToastKind = 'error' | 'info' | 'success';

export interface Toast {
  readonly id: number;
  readonly kind: ToastKind;
  readonly message: string;
}

interface ToastState {
  readonly toasts: readonly Toast[];
  push(kind: ToastKind, message: string): void;
  /** Shows a failure from any store action in words. */
  pushError(prefix: string, e: unknown): void;
  dismiss(id: number): void;
}

let nextId = 1;
const LIFETIME_MS: Readonly<Record<ToastKind, number>> = {
  error: 10_000,
  info: 5000,
  success: 5000,
};

export const useToastStore = create<ToastState>()((set, get) => ({
  toasts: [],
  push(kind, message) {
    const id = nextId++;
    set({ toasts: [...get().toasts.slice(-4), { id, kind, message }] });
    setTimeout(() => get().dismiss(id), LIFETIME_MS[kind]);
  },
  pushError(prefix, e) {
    get().push('error', `${prefix}: ${errorMessage(e)}`);
  },
  dismiss(id) {
    set({ toasts: get().toasts.filter((t) => t.id !== id) });
  },
}));
