import { useEffect, useRef, useState, type KeyboardEvent, type ReactNode } from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';

export interface Column<T> {
  key: string;
  label: string;
  render: (row: T) => ReactNode;
  align?: 'left' | 'right';
  width?: string;
  /** Plain text of the cell, for its tooltip when the column is too narrow. */
  title?: (row: T) => string;
  /** Columns with a drop rank are left out, lowest rank first, when the table is too narrow for them. */
  drop?: number;
}

/** The narrowest a column may get, read from its grid width (`96px`, `minmax(120px, 2fr)`, `1fr`). */
function minWidth(width: string | undefined): number {
  const px = /^(\d+)px$/.exec(width ?? '') ?? /^minmax\((\d+)px/.exec(width ?? '');
  return px ? Number(px[1]) : 80;
}

/** The columns that fit a width, dropping the droppable ones in rank order. */
function fitting<T>(columns: Column<T>[], width: number): Column<T>[] {
  if (width <= 0) return columns;
  const shown = [...columns];
  const need = () => shown.reduce((s, c) => s + minWidth(c.width) + 8, 20);
  const droppable = columns.filter((c) => c.drop !== undefined).sort((a, b) => a.drop! - b.drop!);
  for (const c of droppable) {
    if (need() <= width) break;
    shown.splice(shown.indexOf(c), 1);
  }
  return shown;
}

const ROW = 32;

/**
 * A dense table whose rows are virtualised, so tens of thousands of loaded rows stay fast. Sorting and paging
 * are the server's: a click on a sortable header calls `onSort`, and scrolling near the end calls `onEndReached`.
 * Keyboard: Tab into the rows, ↑/↓ (Home/End, PageUp/PageDown) move, Enter opens.
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
  height = 520,
  onEndReached,
  empty = 'No rows match.',
}: {
  rows: T[];
  columns: Column<T>[];
  rowKey: (row: T) => string;
  onRowClick?: (row: T) => void;
  selectedKey?: string | null;
  sort?: { key: string; order: 'asc' | 'desc' };
  onSort?: (key: string) => void;
  sortable?: readonly string[];
  caption: string;
  height?: number;
  onEndReached?: () => void;
  empty?: string;
}) {
  const parentRef = useRef<HTMLDivElement>(null);
  const tableRef = useRef<HTMLDivElement>(null);
  const [width, setWidth] = useState(0);
  useEffect(() => {
    const el = tableRef.current;
    if (!el) return;
    const observer = new ResizeObserver(() => setWidth(el.clientWidth));
    observer.observe(el);
    return () => observer.disconnect();
  }, []);
  columns = fitting(columns, width);
  const virtualizer = useVirtualizer({ count: rows.length, getScrollElement: () => parentRef.current, estimateSize: () => ROW, overscan: 16 });
  const template = columns.map((c) => c.width ?? '1fr').join(' ');
  const items = virtualizer.getVirtualItems();
  const last = items[items.length - 1]?.index ?? -1;
  useEffect(() => {
    if (onEndReached && rows.length > 0 && last >= rows.length - 20) onEndReached();
  }, [last, rows.length, onEndReached]);

  const focusRow = (index: number) => {
    const i = Math.max(0, Math.min(rows.length - 1, index));
    virtualizer.scrollToIndex(i, { align: 'auto' });
    requestAnimationFrame(() => parentRef.current?.querySelector<HTMLElement>(`[data-index="${i}"]`)?.focus());
  };
  const onKey = (e: KeyboardEvent<HTMLDivElement>, index: number, row: T) => {
    if (e.target !== e.currentTarget) return;
    const page = Math.max(1, Math.floor(height / ROW) - 1);
    const moves: Record<string, number> = { ArrowDown: index + 1, ArrowUp: index - 1, PageDown: index + page, PageUp: index - page, Home: 0, End: rows.length - 1 };
    if (e.key in moves) {
      e.preventDefault();
      focusRow(moves[e.key]!);
    } else if (e.key === 'Enter' || e.key === ' ') {
      e.preventDefault();
      onRowClick?.(row);
    }
  };
  return (
    <div ref={tableRef} className="table" role="table" aria-label={caption} aria-rowcount={rows.length + 1}>
      <div className="table-head" role="row" aria-rowindex={1} style={{ gridTemplateColumns: template }}>
        {columns.map((c) => {
          const isSortable = sortable.includes(c.key);
          const active = sort?.key === c.key;
          return (
            <div key={c.key} role="columnheader" className={c.align === 'right' ? 'num' : ''} aria-sort={active ? (sort!.order === 'asc' ? 'ascending' : 'descending') : undefined}>
              {isSortable ? (
                <button type="button" className="sort" onClick={() => onSort?.(c.key)} title={`Sort by ${c.label.toLowerCase()}`}>
                  {c.label}
                  <span aria-hidden="true" className="sort-mark">
                    {active ? (sort!.order === 'asc' ? ' ▲' : ' ▼') : ' ↕'}
                  </span>
                </button>
              ) : (
                c.label
              )}
            </div>
          );
        })}
      </div>
      <div ref={parentRef} className="table-body" role="rowgroup" style={{ height: rows.length === 0 ? 'auto' : Math.min(height, rows.length * ROW + 2) }}>
        <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
          {items.map((item) => {
            const row = rows[item.index]!;
            const key = rowKey(row);
            return (
              <div
                key={key}
                role="row"
                data-index={item.index}
                aria-rowindex={item.index + 2}
                aria-selected={onRowClick ? key === selectedKey : undefined}
                tabIndex={onRowClick ? (item.index === 0 || key === selectedKey ? 0 : -1) : undefined}
                className={`table-row${key === selectedKey ? ' selected' : ''}${item.index % 2 ? ' odd' : ''}`}
                style={{ gridTemplateColumns: template, transform: `translateY(${item.start}px)` }}
                onClick={(e) => {
                  if ((e.target as HTMLElement).closest('a, button')) return;
                  onRowClick?.(row);
                }}
                onKeyDown={onRowClick ? (e) => onKey(e, item.index, row) : undefined}
              >
                {columns.map((c) => (
                  <div key={c.key} role="cell" className={c.align === 'right' ? 'num' : ''} title={c.title?.(row)}>
                    {c.render(row)}
                  </div>
                ))}
              </div>
            );
          })}
        </div>
        {rows.length === 0 && <p className="empty">{empty}</p>}
      </div>
    </div>
  );
}
