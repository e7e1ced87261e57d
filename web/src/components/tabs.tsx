import { useRef, type KeyboardEvent } from 'react';

/**
 * A row of tabs (WAI-ARIA tabs pattern): one Tab stop, the selected tab; ←/→ (Home/End) select the
 * neighbouring tab and move focus to it. The selected tab is shown by fill and weight, not colour alone.
 */
export function Tabs<K extends string>({ label, options, value, onChange, controls, small }: { label: string; options: readonly (readonly [K, string])[]; value: K; onChange: (key: K) => void; controls?: string; small?: boolean }) {
  const ref = useRef<HTMLDivElement>(null);
  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    const at = options.findIndex(([k]) => k === value);
    const next = e.key === 'ArrowRight' ? at + 1 : e.key === 'ArrowLeft' ? at - 1 : e.key === 'Home' ? 0 : e.key === 'End' ? options.length - 1 : null;
    if (next === null) return;
    e.preventDefault();
    const i = (next + options.length) % options.length;
    onChange(options[i]![0]);
    ref.current?.querySelectorAll<HTMLButtonElement>('[role="tab"]')[i]?.focus();
  };
  return (
    <div ref={ref} className={small ? 'tabs small' : 'tabs'} role="tablist" aria-label={label} onKeyDown={onKeyDown}>
      {options.map(([key, text]) => (
        <button key={key} type="button" role="tab" aria-selected={key === value} tabIndex={key === value ? 0 : -1} aria-controls={controls} onClick={() => onChange(key)}>
          {text}
        </button>
      ))}
    </div>
  );
}
