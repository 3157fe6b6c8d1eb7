/**
 * Lists read a page at a time with the API's cursor: the items so far, the cursor of the next page, and the
 * button that reads it. A narrowed list may answer an empty page that still has a cursor (the API reads a
 * bounded number of records per call), so the button then says it searches further rather than shows more.
 */
import { useRef, useState } from 'preact/hooks';

export interface ListPage<T> {
  readonly items: readonly T[];
  readonly nextCursor?: string | undefined;
}

export type ListState = 'loading' | 'idle' | { readonly failure: unknown };

export interface PagedList<T> {
  readonly items: readonly T[];
  /** The next page's cursor; absent once the list is read to its end. */
  readonly cursor: string | undefined;
  readonly state: ListState;
  /** Reads the first page with `readPage`, replacing what was shown; `more` goes on with the same. */
  load(readPage: (cursor: string | undefined) => Promise<ListPage<T>>): Promise<void>;
  /** Reads the next page of the last list loaded and adds it below. */
  more(): Promise<void>;
}

export function usePagedList<T>(): PagedList<T> {
  const [items, setItems] = useState<readonly T[]>([]);
  const [cursor, setCursor] = useState<string | undefined>();
  const [state, setState] = useState<ListState>('loading');
  const lastRead = useRef<(cursor: string | undefined) => Promise<ListPage<T>>>(undefined);
  // Only the latest read may change the list: a slow answer to an earlier one (older filters) is dropped.
  const latest = useRef(0);

  const read = async (readPage: (cursor: string | undefined) => Promise<ListPage<T>>, after?: string) => {
    const reading = ++latest.current;
    lastRead.current = readPage;
    setState('loading');
    try {
      const page = await readPage(after);
      if (reading !== latest.current) return;
      setItems((current) => (after ? [...current, ...page.items] : page.items));
      setCursor(page.nextCursor);
      setState('idle');
    } catch (failure) {
      if (reading === latest.current) setState({ failure });
    }
  };
  return {
    items,
    cursor,
    state,
    load: (readPage) => read(readPage),
    async more() {
      if (cursor !== undefined && lastRead.current) await read(lastRead.current, cursor);
    },
  };
}

/** The button under a paged list: nothing once the list is read to its end. */
export function Pager<T>(props: {
  list: PagedList<T>;
  /** When items are shown, e.g. "Show older events". */
  showMore: string;
  /** When the pages read so far matched nothing, e.g. "Search older events". */
  searchFurther: string;
}) {
  const { list, showMore, searchFurther } = props;
  if (!list.cursor) return null;
  return (
    <div class="actions">
      <button
        type="button"
        class="secondary"
        disabled={list.state === 'loading'}
        onClick={() => void list.more()}
      >
        {list.items.length === 0 ? searchFurther : showMore}
      </button>
    </div>
  );
}
