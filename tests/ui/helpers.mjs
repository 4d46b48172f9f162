// Shared by the UI tests: paths and a walk over ui/.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

export const UI = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'ui');

/** Every file under ui/ whose name ends with `ext`, as absolute paths. */
export function uiFiles(ext, dir = UI) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return uiFiles(ext, path);
    return entry.name.endsWith(ext) ? [path] : [];
  });
}

export const read = (path) => readFileSync(path, 'utf8');
export const readJson = (path) => JSON.parse(read(path));
export const rel = (path) => relative(UI, path);

/** The error a promise rejects with; fails the test when it resolves. */
export async function rejection(promise) {
  try {
    await promise;
  } catch (err) {
    return err;
  }
  assert.fail('expected the call to reject');
}
