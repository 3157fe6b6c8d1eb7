/**
 * Hash routes (`#/account`): the console is one static page, so deep links and reloads work from any static
 * host (the local gateway, S3 behind CloudFront) without rewriting unknown paths to `index.html`.
 */
import { useEffect, useState } from 'preact/hooks';

export const currentPath = (): string => window.location.hash.replace(/^#/, '') || '/';

export function navigate(path: string, options: { replace?: boolean } = {}): void {
  if (options.replace) window.history.replaceState(null, '', `#${path}`);
  else window.location.hash = path;
  if (options.replace) window.dispatchEvent(new HashChangeEvent('hashchange'));
}

export function usePath(): string {
  const [path, setPath] = useState(currentPath);
  useEffect(() => {
    const update = () => setPath(currentPath());
    window.addEventListener('hashchange', update);
    return () => window.removeEventListener('hashchange', update);
  }, []);
  return path;
}
