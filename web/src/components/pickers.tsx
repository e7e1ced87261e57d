import { useEffect, useId, useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import type { ItemGroupList, ItemTypePage } from '../../../src/contracts/catalog.ts';
import type { NationList } from '../../../src/contracts/nations.ts';
import { api, query } from '../api-client.ts';
import type { FieldProps } from './form-error.tsx';

/** The value after the user paused typing, so a search does not go out on every key. */
export function useDebounced<T>(value: T, ms = 250): T {
  const [v, setV] = useState(value);
  useEffect(() => {
    const t = setTimeout(() => setV(value), ms);
    return () => clearTimeout(t);
  }, [value, ms]);
  return v;
}

type InputProps = Partial<FieldProps> & { value: string; onChange: (v: string) => void; required?: boolean; placeholder?: string; disabled?: boolean };

/** A catalog item code, with suggestions from the catalog as the user types. */
export function ItemCodeInput({ value, onChange, ...rest }: InputProps) {
  const list = useId();
  const q = useDebounced(value.trim());
  const items = useQuery({ queryKey: ['catalog-items', q], enabled: q.length >= 2, staleTime: 300_000, queryFn: () => api<ItemTypePage>(`/catalog/items${query({ q, limit: 25 })}`) });
  return (
    <>
      <input {...rest} value={value} onChange={(e) => onChange(e.target.value)} list={list} autoComplete="off" spellCheck={false} />
      <datalist id={list}>
        {items.data?.items.map((i) => (
          <option key={i.code} value={i.code}>
            {i.name} ({i.group}, {i.unit})
          </option>
        ))}
      </datalist>
    </>
  );
}

/** The interchangeability groups of the catalog, loaded once. */
export function useGroups() {
  return useQuery({ queryKey: ['catalog-groups'], staleTime: 600_000, queryFn: () => api<ItemGroupList>('/catalog/groups') });
}

/** An interchangeability group code, suggested from the catalog. */
export function GroupInput({ value, onChange, ...rest }: InputProps) {
  const list = useId();
  const groups = useGroups();
  return (
    <>
      <input {...rest} value={value} onChange={(e) => onChange(e.target.value)} list={list} autoComplete="off" spellCheck={false} />
      <datalist id={list}>
        {groups.data?.items.map((g) => (
          <option key={g.code} value={g.code}>
            {g.name} ({g.capabilityArea})
          </option>
        ))}
      </datalist>
    </>
  );
}

/** The nations Concord knows, loaded once. */
export function useNations() {
  return useQuery({ queryKey: ['nations', 'all'], staleTime: 600_000, queryFn: () => api<NationList>('/nations') });
}

/** A nation code, suggested from the nations Concord knows. */
export function NationInput({ value, onChange, donorsOnly = true, ...rest }: InputProps & { donorsOnly?: boolean }) {
  const list = useId();
  const nations = useNations();
  return (
    <>
      <input {...rest} value={value} onChange={(e) => onChange(e.target.value.toUpperCase())} list={list} autoComplete="off" spellCheck={false} maxLength={3} size={6} />
      <datalist id={list}>
        {nations.data?.items
          .filter((n) => !donorsOnly || n.kind !== 'recipient')
          .map((n) => (
            <option key={n.code} value={n.code}>
              {n.name}
            </option>
          ))}
      </datalist>
    </>
  );
}
