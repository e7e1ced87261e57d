import { createContext, useContext } from 'react';
import type { Me } from './vocabulary.ts';

/** The signed-in user (null on a server without accounts). */
export const MeContext = createContext<Me | null>(null);

export function useMe(): Me | null {
  return useContext(MeContext);
}
