// The pre-flight panel: whether it is open, its form, the last report and the quiet watch that
// decides when to suggest it. One store, so the server bar and the transfers view open the same panel.
import { create } from 'zustand';
import type { PreflightReport } from '../../shared/preflight';
import { EMPTY_FORM, type PreflightForm, type QuietWatch } from '../lib/preflight';

export interface PreflightSlice {
  open: boolean;
  form: PreflightForm;
  running: boolean;
  report: PreflightReport | null;
  error: string | null;
  watch: QuietWatch;
}

export const initialPreflight: PreflightSlice = {
  open: false,
  form: EMPTY_FORM,
  running: false,
  report: null,
  error: null,
  watch: { listeningSince: null, sessionsAtStart: 0, sessionsNow: 0 },
};

export const usePreflightStore = create<PreflightSlice>()(() => initialPreflight);
