/** The tab's title names the page, so a screen reader and a row of tabs say where the host is. */
import { useEffect } from 'preact/hooks';

export function useTitle(page: string): void {
  useEffect(() => {
    document.title = `${page} · Lockstay`;
  }, [page]);
}
