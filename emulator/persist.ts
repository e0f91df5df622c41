/**
 * `--data FILE`: the emulator's state across restarts. Each save writes a temporary file,
 * flushes it to disk and renames it over the old one, so a killed emulator leaves either
 * the previous state or the new one, never half a file.
 */
import { closeSync, existsSync, fsyncSync, openSync, readFileSync, renameSync, writeSync } from "node:fs";
import { type EmulatorState, emptyState, type WorldSettings } from "./model";

/** The saved state, or a fresh one with `settings` when the file does not exist yet. */
export function loadState(file: string, settings: WorldSettings): EmulatorState {
  if (!existsSync(file)) return emptyState(settings);
  const saved = JSON.parse(readFileSync(file, "utf8")) as Partial<EmulatorState>;
  return { ...emptyState(settings), ...saved, settings: { ...settings, ...saved.settings } };
}

export function saveState(file: string, state: EmulatorState): void {
  const temporary = `${file}.${process.pid}.tmp`;
  const fd = openSync(temporary, "w", 0o600);
  try {
    writeSync(fd, JSON.stringify(state));
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(temporary, file);
}
