import type { DialogsPort } from '../ports';

export type DialogKind = 'chooseFolder' | 'chooseSaveFile' | 'chooseOpenFile';

export interface PresetDialogs extends DialogsPort {
  /** Queues the answer the next dialog of that kind gives (null = the user cancels). */
  preset(kind: DialogKind, answer: string | null): void;
}

/** Dialogs without a screen: each answers from a queue of presets, and cancels when there is none. */
export function createPresetDialogs(): PresetDialogs {
  const queues: Record<DialogKind, Array<string | null>> = { chooseFolder: [], chooseSaveFile: [], chooseOpenFile: [] };
  const next = (kind: DialogKind) => Promise.resolve(queues[kind].shift() ?? null);
  return {
    preset: (kind, answer) => void queues[kind].push(answer),
    chooseFolder: () => next('chooseFolder'),
    chooseSaveFile: () => next('chooseSaveFile'),
    chooseOpenFile: () => next('chooseOpenFile'),
  };
}
