// Which transfer the detail drawer shows, by session id: a live one moves to history under the
// same id, so the drawer follows it from start to result.
import { create } from 'zustand';

interface DetailState {
  id: string | undefined;
}

export const useDetailStore = create<DetailState>()(() => ({ id: undefined }));

/** Stable functions (rows are memoised; a new callback per render would redraw every row). */
export function openTransferDetail(id: string): void {
  useDetailStore.setState({ id });
}

export function closeTransferDetail(): void {
  useDetailStore.setState({ id: undefined });
}

/**
 * What makes a table row open its transfer: a click anywhere but on a control inside it (the copy
 * button), or Enter/Space on the focused row.
 */
export function detailRowProps(id: string) {
  return {
    tabIndex: 0,
    'aria-haspopup': 'dialog' as const,
    onClick: (e: { target: EventTarget | null }) => {
      if (e.target instanceof Element && e.target.closest('button, a, input, select') !== null) return;
      openTransferDetail(id);
    },
    onKeyDown: (e: {
      key: string;
      target: EventTarget;
      currentTarget: EventTarget;
      preventDefault(): void;
    }) => {
      if ((e.key === 'Enter' || e.key === ' ') && e.target === e.currentTarget) {
        e.preventDefault();
        openTransferDetail(id);
      }
    },
  };
}
