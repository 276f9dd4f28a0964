/**
 * Progress of a long backup operation (DESIGN: every long task reports progress as events): bytes and files
 * done and total, and an estimate of the time left from the rate so far. Reports are throttled to one per
 * `intervalMs`, plus every phase change and the end.
 */
import { performance } from 'node:perf_hooks';

export type BackupOperation = 'export' | 'verify' | 'restore';
export type BackupPhase = 'writing' | 'verifying' | 'restoring' | 'checking' | 'done';

export interface BackupProgress {
  operation: BackupOperation;
  phase: BackupPhase;
  bytesDone: number;
  bytesTotal: number;
  filesDone: number;
  filesTotal: number;
  /** Milliseconds left at the current rate; null until there is enough to estimate from. */
  etaMs: number | null;
}

export type ProgressListener = (progress: BackupProgress) => void;

export interface ProgressTracker {
  setTotals(totals: { bytes?: number; files?: number }): void;
  addBytes(bytes: number): void;
  addFile(): void;
  phase(phase: BackupPhase): void;
  snapshot(): BackupProgress;
}

export function createProgress(operation: BackupOperation, phase: BackupPhase, listener?: ProgressListener, intervalMs = 100): ProgressTracker {
  const started = performance.now();
  let lastReport = -Infinity;
  const state: BackupProgress = { operation, phase, bytesDone: 0, bytesTotal: 0, filesDone: 0, filesTotal: 0, etaMs: null };

  const snapshot = (): BackupProgress => {
    const elapsed = performance.now() - started;
    const enough = elapsed > 250 && state.bytesDone > 0 && state.bytesTotal > 0;
    const etaMs = state.phase === 'done' ? 0 : enough ? Math.max(0, Math.round(((state.bytesTotal - state.bytesDone) * elapsed) / state.bytesDone)) : null;
    return { ...state, etaMs };
  };
  const report = (force: boolean) => {
    if (!listener) return;
    const now = performance.now();
    if (!force && now - lastReport < intervalMs) return;
    lastReport = now;
    listener(snapshot());
  };

  return {
    setTotals({ bytes, files }) {
      if (bytes !== undefined) state.bytesTotal = Math.max(bytes, state.bytesDone);
      if (files !== undefined) state.filesTotal = Math.max(files, state.filesDone);
      report(false);
    },
    addBytes(bytes) {
      state.bytesDone += bytes;
      state.bytesTotal = Math.max(state.bytesTotal, state.bytesDone);
      report(false);
    },
    addFile() {
      state.filesDone++;
      state.filesTotal = Math.max(state.filesTotal, state.filesDone);
      report(false);
    },
    phase(phase) {
      state.phase = phase;
      if (phase === 'done') {
        state.bytesTotal = state.bytesDone;
        state.filesTotal = state.filesDone;
      }
      report(true);
    },
    snapshot,
  };
}
