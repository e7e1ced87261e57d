import { useRef, type ReactNode } from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';

export interface Column<T> {
  key: string;
  label: string;
  render: (row: T) => ReactNode;
  align?: 'left' | 'right';
  width?: string;
}

/**
 * A dense table whose rows are virtualised, so tens of thousands of loaded rows stay fast. Sorting is
 * the server's: a click on a sortable header calls `onSort`.
 */
export function DataTable<T>({
  rows,
  columns,
  rowKey,
  onRowClick,
  selectedKey,
  sort,
  onSort,
  sortable = [],
  caption,
}: {
  rows: T[];
  columns: Column<T>[];
  rowKey: (row: T) => string;
  onRowClick?: (row: T) => void;
  selectedKey?: string | null;
  sort?: { key: string; order: 'asc' | 'desc' };
  onSort?: (key: string) => void;
  sortable?: string[];
  caption: string;
}) {
  const parentRef = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({ count: rows.length, getScrollElement: () => parentRef.current, estimateSize: () => 32, overscan: 12 });
  const template = columns.map((c) => c.width ?? '1fr').join(' ');
  return (
    <div className="table" role="table" aria-label={caption}>
      <div className="table-head" role="row" style={{ gridTemplateColumns: template }}>
        {columns.map((c) => {
          const isSortable = sortable.includes(c.key);
          const active = sort?.key === c.key;
          return (
            <div key={c.key} role="columnheader" className={c.align === 'right' ? 'num' : ''} aria-sort={active ? (sort!.order === 'asc' ? 'ascending' : 'descending') : undefined}>
              {isSortable ? (
                <button type="button" className="sort" onClick={() => onSort?.(c.key)}>
                  {c.label} {active ? (sort!.order === 'asc' ? '▲' : '▼') : ''}
                </button>
              ) : (
                c.label
              )}
            </div>
          );
        })}
      </div>
      <div ref={parentRef} className="table-body" role="rowgroup">
        <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
          {virtualizer.getVirtualItems().map((item) => {
            const row = rows[item.index]!;
            const key = rowKey(row);
            return (
              <div
                key={key}
                role="row"
                tabIndex={onRowClick ? 0 : undefined}
                className={`table-row${key === selectedKey ? ' selected' : ''}`}
                style={{ gridTemplateColumns: template, transform: `translateY(${item.start}px)` }}
                onClick={() => onRowClick?.(row)}
                onKeyDown={(e) => {
                  if (e.key === 'Enter') onRowClick?.(row);
                }}
              >
                {columns.map((c) => (
                  <div key={c.key} role="cell" className={c.align === 'right' ? 'num' : ''}>
                    {c.render(row)}
                  </div>
                ))}
              </div>
            );
          })}
        </div>
        {rows.length === 0 && <p className="empty">No rows match.</p>}
      </div>
    </div>
  );
}
