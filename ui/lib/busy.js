// How many user-started commands are running, for the global busy indicator.
// Kept outside the components because a component may be replaced (by the status a
// command returns) before its command's bookkeeping finishes.

const events = new EventTarget();
const running = new Map(); // token → progress label
let nextToken = 1;

function notify() {
  const labels = [...running.values()];
  events.dispatchEvent(
    new CustomEvent('change', { detail: { busy: labels.length > 0, label: labels.at(-1) ?? '' } }),
  );
}

/** Mark the start of a command; call the returned function (once) when it ends. */
export function beginBusy(label) {
  const token = nextToken++;
  running.set(token, label);
  notify();
  return () => {
    if (running.delete(token)) notify();
  };
}

/** callback({busy, label}) on every change; returns the function that stops it. */
export function onBusyChange(callback) {
  const listener = (event) => callback(event.detail);
  events.addEventListener('change', listener);
  return () => events.removeEventListener('change', listener);
}
