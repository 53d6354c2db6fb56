import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useLayoutEffect, useRef, useState } from 'react';
import { columnsFor } from '../../lib/grid.js';
import { useDatasetStore } from '../../stores/dataset-store.js';
import { ItemTile } from './item-tile.js';

const MIN_TILE = 148;
const GAP = 12;
const CAPTION = 52;
const PAD = 16;

/**
 * A virtualised grid: only the rows near the viewport exist in the DOM, and only their pages of
 * items are fetched, so a dataset of 100 000 items scrolls like one of 100.
 */
export function ThumbnailGrid({ projectId }: { readonly projectId: string }) {
  const total = useDatasetStore((s) => s.total);
  const ensureRange = useDatasetStore((s) => s.ensureRange);
  const scrollRef = useRef<HTMLDivElement>(null);
  const [width, setWidth] = useState(0);

  useLayoutEffect(() => {
    const el = scrollRef.current;
    if (el === null) return;
    setWidth(el.clientWidth - 2 * PAD);
    const observer = new ResizeObserver(() => setWidth(el.clientWidth - 2 * PAD));
    observer.observe(el);
    return () => observer.disconnect();
  }, []);

  const columns = columnsFor(width, MIN_TILE, GAP);
  const tile = width > 0 ? Math.floor((width - GAP * (columns - 1)) / columns) : MIN_TILE;
  const rowHeight = tile + CAPTION + GAP;
  const rowCount = Math.ceil(total / columns);

  const virtualizer = useVirtualizer({
    count: rowCount,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => rowHeight,
    overscan: 3,
    paddingStart: PAD,
    paddingEnd: PAD,
  });

  useEffect(() => {
    virtualizer.measure();
  }, [virtualizer, rowHeight]);

  const rows = virtualizer.getVirtualItems();
  const firstRow = rows[0]?.index ?? 0;
  const lastRow = rows[rows.length - 1]?.index ?? 0;
  useEffect(() => {
    if (rowCount === 0) return;
    ensureRange(firstRow * columns, (lastRow + 1) * columns - 1);
  }, [ensureRange, firstRow, lastRow, columns, rowCount]);

  return (
    <div ref={scrollRef} className="grid-scroll" data-testid="item-grid" data-total={total}>
      <div className="grid-inner" style={{ height: virtualizer.getTotalSize() }}>
        {rows.map((row) => (
          <div
            key={row.key}
            className="grid-row"
            style={{
              transform: `translateY(${row.start}px)`,
              height: rowHeight - GAP,
              gridTemplateColumns: `repeat(${columns}, ${tile}px)`,
              gap: GAP,
              left: PAD,
            }}
          >
            {Array.from({ length: columns }, (_, c) => {
              const index = row.index * columns + c;
              return index < total ? (
                <ItemTile key={index} projectId={projectId} index={index} />
              ) : null;
            })}
          </div>
        ))}
      </div>
    </div>
  );
}
