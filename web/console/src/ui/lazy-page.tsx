/**
 * A section page downloaded when first opened, so the signed-in shell stays small and each page brings its own
 * code only to those who visit it. A failed download says so and offers to try again.
 */
import type { JSX } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import type { SectionProps } from '../shell/shell.tsx';
import { Alert } from '../ui.tsx';

type Page = (props: SectionProps) => JSX.Element;

export function lazyPage(load: () => Promise<Page>): Page {
  let loaded: Page | undefined;
  return function LazyPage(props: SectionProps) {
    const [page, setPage] = useState<{ readonly component: Page } | 'failed' | undefined>(
      loaded ? { component: loaded } : undefined,
    );
    const [attempt, setAttempt] = useState(0);
    useEffect(() => {
      if (loaded) return;
      let current = true;
      load().then(
        (component) => {
          loaded = component;
          if (current) setPage({ component });
        },
        () => current && setPage('failed'),
      );
      return () => {
        current = false;
      };
    }, [attempt]);
    if (page === 'failed') {
      return (
        <Alert tone="error">
          This page could not be downloaded. Check your connection.{' '}
          <button
            type="button"
            class="link"
            onClick={() => {
              setPage(undefined);
              setAttempt((count) => count + 1);
            }}
          >
            Try again
          </button>
        </Alert>
      );
    }
    if (!page) return <p role="status">Loading…</p>;
    return <page.component {...props} />;
  };
}
