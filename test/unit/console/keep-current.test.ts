import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  defaultRefreshSeconds,
  keepCurrent,
  type PageVisibility,
  refreshSecondsFrom,
} from '../../../web/console/src/today/keep-current.ts';

/** A tab the test shows and hides, telling its listeners as the browser's `visibilitychange` does. */
function fakeTab(initiallyVisible = true) {
  let visible = initiallyVisible;
  const listeners = new Set<() => void>();
  const visibility: PageVisibility = {
    visible: () => visible,
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
  const set = (next: boolean) => {
    visible = next;
    for (const listener of listeners) listener();
  };
  return { visibility, show: () => set(true), hide: () => set(false), listeners };
}

const minute = 60_000;

describe('keeping the Today page current', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('refreshes once a minute while the tab is visible', async () => {
    // Prepare
    const tab = fakeTab();
    const refresh = vi.fn(async () => {});
    keepCurrent({ refresh, everyMs: minute, visibility: tab.visibility });

    // Act & Assess
    await vi.advanceTimersByTimeAsync(minute - 1);
    expect(refresh).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(1);
    expect(refresh).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(2 * minute);
    expect(refresh).toHaveBeenCalledTimes(3);
  });

  it('asks nothing while the tab is hidden, and refreshes at once when it is shown again', async () => {
    const tab = fakeTab();
    const refresh = vi.fn(async () => {});
    keepCurrent({ refresh, everyMs: minute, visibility: tab.visibility });

    tab.hide();
    await vi.advanceTimersByTimeAsync(10 * minute);
    expect(refresh).not.toHaveBeenCalled();

    tab.show();
    expect(refresh).toHaveBeenCalledTimes(1);
    // The next automatic refresh counts from the moment the tab came back.
    await vi.advanceTimersByTimeAsync(minute - 1);
    expect(refresh).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(refresh).toHaveBeenCalledTimes(2);
  });

  it('starts refreshing only once a tab opened in the background is shown', async () => {
    const tab = fakeTab(false);
    const refresh = vi.fn(async () => {});
    keepCurrent({ refresh, everyMs: minute, visibility: tab.visibility });

    await vi.advanceTimersByTimeAsync(5 * minute);
    expect(refresh).not.toHaveBeenCalled();
    tab.show();
    await vi.advanceTimersByTimeAsync(minute);
    expect(refresh).toHaveBeenCalledTimes(2);
  });

  it('does not start a second refresh while one is still running', async () => {
    const tab = fakeTab();
    let finish: () => void = () => {};
    const refresh = vi.fn(() => new Promise<void>((resolve) => (finish = resolve)));
    keepCurrent({ refresh, everyMs: minute, visibility: tab.visibility });

    await vi.advanceTimersByTimeAsync(3 * minute);
    tab.hide();
    tab.show();
    expect(refresh).toHaveBeenCalledTimes(1);

    finish();
    await vi.advanceTimersByTimeAsync(minute);
    expect(refresh).toHaveBeenCalledTimes(2);
  });

  it('refreshes once more after a refresh still running when the tab is shown again, as its answer may be older', async () => {
    const tab = fakeTab();
    const finishes: (() => void)[] = [];
    const refresh = vi.fn(() => new Promise<void>((resolve) => finishes.push(resolve)));
    keepCurrent({ refresh, everyMs: minute, visibility: tab.visibility });

    await vi.advanceTimersByTimeAsync(minute);
    expect(refresh).toHaveBeenCalledTimes(1);
    tab.hide();
    tab.show();
    tab.hide();
    tab.show();
    expect(refresh).toHaveBeenCalledTimes(1);

    finishes[0]?.();
    await vi.advanceTimersByTimeAsync(0);
    expect(refresh).toHaveBeenCalledTimes(2);

    // Only once more, however often the tab was shown meanwhile.
    finishes[1]?.();
    await vi.advanceTimersByTimeAsync(0);
    expect(refresh).toHaveBeenCalledTimes(2);
    await vi.advanceTimersByTimeAsync(minute);
    expect(refresh).toHaveBeenCalledTimes(3);
  });

  it('does not refresh once more for a tab hidden again before the running refresh finished', async () => {
    const tab = fakeTab();
    let finish: () => void = () => {};
    const refresh = vi.fn(() => new Promise<void>((resolve) => (finish = resolve)));
    keepCurrent({ refresh, everyMs: minute, visibility: tab.visibility });

    await vi.advanceTimersByTimeAsync(minute);
    tab.hide();
    tab.show();
    tab.hide();
    finish();
    await vi.advanceTimersByTimeAsync(5 * minute);
    expect(refresh).toHaveBeenCalledTimes(1);

    // Shown again later: refreshes at once, as any tab shown again does.
    tab.show();
    expect(refresh).toHaveBeenCalledTimes(2);
  });

  it('goes on after a refresh that failed', async () => {
    const tab = fakeTab();
    const refresh = vi.fn(async () => {
      throw new Error('offline');
    });
    keepCurrent({ refresh, everyMs: minute, visibility: tab.visibility });

    await vi.advanceTimersByTimeAsync(3 * minute);
    expect(refresh).toHaveBeenCalledTimes(3);
  });

  it('counts the next refresh from a refresh the host asked for', async () => {
    const tab = fakeTab();
    const refresh = vi.fn(async () => {});
    const scheduled = keepCurrent({ refresh, everyMs: minute, visibility: tab.visibility });

    await vi.advanceTimersByTimeAsync(40_000);
    scheduled.restart();
    await vi.advanceTimersByTimeAsync(40_000);
    expect(refresh).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(20_000);
    expect(refresh).toHaveBeenCalledTimes(1);
  });

  it('stops refreshing and stops listening once the page is left', async () => {
    const tab = fakeTab();
    const refresh = vi.fn(async () => {});
    const scheduled = keepCurrent({ refresh, everyMs: minute, visibility: tab.visibility });

    scheduled.stop();
    tab.hide();
    tab.show();
    await vi.advanceTimersByTimeAsync(5 * minute);
    expect(refresh).not.toHaveBeenCalled();
    expect(tab.listeners.size).toBe(0);
  });

  it('takes a shorter interval from the page’s address, within bounds', () => {
    expect(refreshSecondsFrom('')).toBe(defaultRefreshSeconds);
    expect(defaultRefreshSeconds).toBe(60);
    expect(refreshSecondsFrom('?refresh=5')).toBe(5);
    expect(refreshSecondsFrom('?refresh=0.1')).toBe(2);
    expect(refreshSecondsFrom('?refresh=soon')).toBe(defaultRefreshSeconds);
    expect(refreshSecondsFrom('?refresh=-3')).toBe(defaultRefreshSeconds);
  });
});
