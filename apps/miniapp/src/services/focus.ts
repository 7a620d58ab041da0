// The task a card link asked for, handed to the tasks tab (switchTab carries no query).
let pending: string | undefined;

export const setFocusTask = (id: string | undefined) => {
  pending = id;
};

export function takeFocusTask(): string | undefined {
  const id = pending;
  pending = undefined;
  return id;
}
