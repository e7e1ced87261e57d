import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { Actor } from '../context.ts';
import { labelsValid, mayReadLine, mayWriteLine, normaliseReleasability } from './releasability.ts';

const as = (role: Actor['role'], nation: string | null): Actor => ({ id: 'u', role, nation, kind: 'user' });

describe('mayReadLine', () => {
  const polish = (releasability: string[] | null) => ({ owner: 'POL', releasability });

  it('shows a donor its own lines whatever their labels, and coordinators everything', () => {
    expect(mayReadLine(as('donor', 'POL'), polish(null))).toBe(true);
    expect(mayReadLine(as('donor', 'POL'), polish(['garbage']))).toBe(true);
    expect(mayReadLine(as('coordinator', null), polish([]))).toBe(true);
  });

  it("keeps another donor's line from a donor unless released to its nation or to all participants", () => {
    expect(mayReadLine(as('donor', 'DEU'), polish(['owner', 'coordinators', 'recipient']))).toBe(false);
    expect(mayReadLine(as('donor', 'DEU'), polish(['owner', 'REL TO DEU']))).toBe(true);
    expect(mayReadLine(as('donor', 'DEU'), polish(['owner', 'REL TO LTU']))).toBe(false);
    expect(mayReadLine(as('donor', 'DEU'), polish(['all participants']))).toBe(true);
  });

  it('shows the recipient what is made to it unless the donor keeps it back', () => {
    expect(mayReadLine(as('recipient', 'UKR'), polish(['owner', 'coordinators', 'recipient']))).toBe(true);
    expect(mayReadLine(as('recipient', 'UKR'), polish(['owner', 'coordinators']))).toBe(false);
  });

  it('never shows a line to industry or observers', () => {
    for (const role of ['industry', 'observer'] as const) expect(mayReadLine(as(role, 'POL'), polish(['all participants', 'recipient', 'REL TO POL']))).toBe(false);
  });

  it('fails closed on a missing, empty or unknown label: nobody but owner and coordinators', () => {
    for (const labels of [null, [], ['recipient', 'SECRET'], ['all participants', 'rel to deu']]) {
      expect(mayReadLine(as('donor', 'DEU'), polish(labels))).toBe(false);
      expect(mayReadLine(as('recipient', 'UKR'), polish(labels))).toBe(false);
    }
  });

  it('grants a non-owner, non-coordinator a line only through a label naming it (property)', () => {
    const label = fc.constantFrom('owner', 'coordinators', 'recipient', 'all participants', 'REL TO DEU', 'REL TO LTU', 'REL TO UKR', 'bogus');
    fc.assert(
      fc.property(fc.array(label, { maxLength: 6 }), fc.constantFrom(as('donor', 'DEU'), as('recipient', 'UKR')), (labels, viewer) => {
        const seen = mayReadLine(viewer, polish(labels));
        const named = labels.includes('all participants') || (labels as string[]).includes(`REL TO ${viewer.nation}`) || (viewer.role === 'recipient' && labels.includes('recipient'));
        expect(seen).toBe(labelsValid(labels) && named);
      }),
    );
  });
});

describe('mayWriteLine', () => {
  it('lets only the owning donor and coordinators change a line', () => {
    expect(mayWriteLine(as('donor', 'POL'), { owner: 'POL' })).toBe(true);
    expect(mayWriteLine(as('coordinator', null), { owner: 'POL' })).toBe(true);
    expect(mayWriteLine(as('donor', 'DEU'), { owner: 'POL' })).toBe(false);
    expect(mayWriteLine(as('recipient', 'UKR'), { owner: 'POL' })).toBe(false);
  });
});

describe('normaliseReleasability', () => {
  it('splits REL TO lists, upper-cases nations, keeps owner and coordinators, drops duplicates', () => {
    expect(normaliseReleasability(['Recipient', 'REL TO pol, ltu', 'rel to POL'])).toEqual(['owner', 'coordinators', 'recipient', 'REL TO POL', 'REL TO LTU']);
  });

  it('refuses unknown labels, naming each by its position', () => {
    expect(() => normaliseReleasability(['recipient', 'NATO SECRET', 'REL TO Poland'])).toThrow(
      expect.objectContaining({ code: 'invalid_input', issues: [expect.objectContaining({ path: '/releasability/1' }), expect.objectContaining({ path: '/releasability/2' })] }),
    );
  });
});
