import { useEffect, useState } from 'react';

/**
 * The current time, refreshed every `intervalMs` while `ticking` (a live duration counts up);
 * frozen otherwise, so idle screens do not re-render.
 */
export function useNow(ticking: boolean, intervalMs = 1000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!ticking) return;
    const t = setInterval(() => setNow(Date.now()), intervalMs);
    return () => clearInterval(t);
  }, [ticking, intervalMs]);
  return now;
}
