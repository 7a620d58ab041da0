// localStorage with JSON values. Private-mode browsers can throw on write: we keep going
// in memory then, so the page still works for this visit.
const memory = new Map<string, string>();

function raw(key: string): string | null {
  try {
    return window.localStorage.getItem(key);
  } catch {
    return memory.get(key) ?? null;
  }
}

export function getItem<T>(key: string): T | undefined {
  const value = raw(key);
  if (value == null) return undefined;
  try {
    return JSON.parse(value) as T;
  } catch {
    return undefined;
  }
}

export function setItem(key: string, value: unknown): void {
  const text = JSON.stringify(value);
  try {
    window.localStorage.setItem(key, text);
  } catch {
    memory.set(key, text);
  }
}

export function removeItem(key: string): void {
  memory.delete(key);
  try {
    window.localStorage.removeItem(key);
  } catch {}
}
