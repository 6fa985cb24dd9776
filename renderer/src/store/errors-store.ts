// Failed calls as the banners show them: the core's message (already in the user's language), never
// a stack. The same message twice is shown once, with the time it last happened.
import { create } from 'zustand';

export interface ErrorBanner {
  id: number;
  message: string;
  count: number;
}

interface ErrorsState {
  banners: ErrorBanner[];
  dismiss(id: number): void;
}

let nextId = 1;

export const useErrorsStore = create<ErrorsState>()((set) => ({
  banners: [],
  dismiss: (id) => set((state) => ({ banners: state.banners.filter((banner) => banner.id !== id) })),
}));

/** Shows `message` in a banner; a message already shown is counted rather than repeated. */
export function showError(message: string): void {
  useErrorsStore.setState((state) => {
    const existing = state.banners.find((banner) => banner.message === message);
    if (existing) {
      return { banners: state.banners.map((banner) => (banner === existing ? { ...banner, count: banner.count + 1 } : banner)) };
    }
    return { banners: [...state.banners, { id: nextId++, message, count: 1 }].slice(-4) };
  });
}
