/**
 * Keeps a page current without the host asking: refreshes it every so often while the tab is visible, and at
 * once when the tab becomes visible again (a phone taken out of a pocket, a tab switched back to). A hidden tab
 * asks nothing of the API. A refresh still running when the next falls due is not doubled; but one still running
 * when the tab is shown again may answer with data read before that moment, so it is followed by one more.
 */
import { useEffect, useRef } from 'preact/hooks';

/** How often the Today page refreshes itself while it is in view. */
export const defaultRefreshSeconds = 60;
// A shorter interval may be asked for in the page's address (`?refresh=5`), never below this.
const shortestRefreshSeconds = 2;

/** Whether the page is in view, and a way to hear when that changes (the document's visibility, in the page). */
export interface PageVisibility {
  visible(): boolean;
  onChange(listener: () => void): () => void;
}

/**
 * Starts refreshing; returns the function that stops it. `restart` (after a refresh the host asked for) counts
 * the next automatic one from now.
 */
export function keepCurrent({
  refresh,
  everyMs,
  visibility,
}: {
  refresh: () => Promise<unknown> | undefined;
  everyMs: number;
  visibility: PageVisibility;
}): { stop: () => void; restart: () => void } {
  let timer: ReturnType<typeof setInterval> | undefined;
  let running = false;
  // The tab was shown again while a refresh was running: refresh once more after it.
  let shownWhileRunning = false;
  let stopped = false;

  const run = () => {
    if (running || stopped) return;
    running = true;
    const done = () => {
      running = false;
      if (shownWhileRunning) {
        shownWhileRunning = false;
        if (visibility.visible()) run();
      }
    };
    try {
      Promise.resolve(refresh()).then(done, done);
    } catch {
      done();
    }
  };
  const clear = () => {
    if (timer !== undefined) clearInterval(timer);
    timer = undefined;
  };
  const start = () => {
    clear();
    if (!stopped && visibility.visible()) timer = setInterval(run, everyMs);
  };
  const unsubscribe = visibility.onChange(() => {
    if (visibility.visible()) {
      if (running) shownWhileRunning = true;
      run();
      start();
    } else {
      clear();
    }
  });
  start();
  return {
    stop() {
      stopped = true;
      clear();
      unsubscribe();
    },
    restart: start,
  };
}

/** The refresh interval the page's address asks for (`?refresh=<seconds>`), else the default. */
export function refreshSecondsFrom(search: string): number {
  const asked = Number(new URLSearchParams(search).get('refresh'));
  if (!Number.isFinite(asked) || asked <= 0) return defaultRefreshSeconds;
  return Math.max(shortestRefreshSeconds, asked);
}

const documentVisibility: PageVisibility = {
  visible: () => document.visibilityState === 'visible',
  onChange(listener) {
    document.addEventListener('visibilitychange', listener);
    return () => document.removeEventListener('visibilitychange', listener);
  },
};

/**
 * Calls `refresh` every `refreshSecondsFrom(location.search)` seconds while the tab is visible and when it
 * becomes visible again; returns `restart`, to call after a refresh the host asked for.
 */
export function useKeepCurrent(refresh: () => Promise<unknown> | undefined): () => void {
  const latest = useRef(refresh);
  latest.current = refresh;
  const control = useRef<{ restart: () => void } | undefined>(undefined);
  useEffect(() => {
    const everyMs = refreshSecondsFrom(window.location.search) * 1000;
    const scheduled = keepCurrent({
      refresh: () => latest.current(),
      everyMs,
      visibility: documentVisibility,
    });
    control.current = scheduled;
    return scheduled.stop;
  }, []);
  return () => control.current?.restart();
}
