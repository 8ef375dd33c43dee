import { describe, expect, it } from 'vitest';
import { type DrawCandidate, matchesFilter, selectPool, selectPoolWithReason } from './pool.ts';

let seq = 0;
function candidate(overrides: Partial<DrawCandidate> = {}): DrawCandidate {
  seq++;
  return {
    id: `p-${seq}`,
    name: `참가자 ${seq}`,
    registrationNumber: seq,
    registrationStatus: 'registered',
    checkinStatus: 'not_checked_in',
    customResponses: {},
    ...overrides,
  };
}

const ids = (list: DrawCandidate[]) => list.map((c) => c.id);

describe('selectPool', () => {
  const registered = candidate();
  const arrived = candidate({ checkinStatus: 'checked_in' });
  const noShow = candidate({ checkinStatus: 'no_show' });
  const waitlist = candidate({ registrationStatus: 'waitlist' });
  const pending = candidate({ registrationStatus: 'pending' });
  const cancelledButCheckedIn = candidate({ registrationStatus: 'cancelled', checkinStatus: 'checked_in' });
  const rejected = candidate({ registrationStatus: 'rejected' });
  const everyone = [rejected, cancelledButCheckedIn, pending, waitlist, noShow, arrived, registered];

  it('all = registered only, sorted by registration number', () => {
    const pool = selectPool(everyone, { participant_pool: 'all', exclude_previous_winners: false }, []);
    expect(ids(pool)).toEqual(ids([registered, arrived, noShow]));
  });

  it('checked_in = registered and arrived', () => {
    const pool = selectPool(
      everyone,
      { participant_pool: 'checked_in', exclude_previous_winners: false },
      [],
    );
    expect(ids(pool)).toEqual([arrived.id]);
  });

  it('excludes previous winners only when asked', () => {
    const config = { participant_pool: 'all' as const, exclude_previous_winners: true };
    expect(ids(selectPool(everyone, config, [registered.id]))).toEqual(ids([arrived, noShow]));
    expect(
      ids(selectPool(everyone, { ...config, exclude_previous_winners: false }, [registered.id])),
    ).toHaveLength(3);
  });

  it('explains why a pool is empty', () => {
    const all = { participant_pool: 'all' as const, exclude_previous_winners: true };
    expect(selectPoolWithReason([waitlist, pending], all, []).emptyReason).toBe('no_registered_participants');
    expect(
      selectPoolWithReason([registered], { ...all, participant_pool: 'checked_in' }, []).emptyReason,
    ).toBe('no_checked_in_participants');
    expect(selectPoolWithReason([registered], all, [registered.id]).emptyReason).toBe('all_previous_winners');
    expect(
      selectPoolWithReason([registered], { ...all, filter: { field_id: 'size', value: 'XL' } }, [])
        .emptyReason,
    ).toBe('no_filter_match');
    expect(selectPoolWithReason([registered], all, []).emptyReason).toBeNull();
  });
});

describe('filters', () => {
  const tshirtM = candidate({ customResponses: { size: 'M', topics: ['ai', 'web'], newsletter: true } });
  const tshirtL = candidate({ customResponses: { size: 'L', topics: ['web'], newsletter: false } });
  const silent = candidate({ customResponses: {} });
  const config = { participant_pool: 'all' as const, exclude_previous_winners: false };

  it('single choice matches exactly', () => {
    expect(
      ids(
        selectPool([tshirtM, tshirtL, silent], { ...config, filter: { field_id: 'size', value: 'M' } }, []),
      ),
    ).toEqual([tshirtM.id]);
    // "M" is not a substring match for "Medium" and vice versa.
    expect(matchesFilter({ size: 'Medium' }, { field_id: 'size', value: 'M' })).toBe(false);
  });

  it('multi choice matches when the answer contains the value', () => {
    const web = selectPool(
      [tshirtM, tshirtL, silent],
      { ...config, filter: { field_id: 'topics', value: 'web' } },
      [],
    );
    expect(ids(web)).toEqual([tshirtM.id, tshirtL.id]);
    const ai = selectPool(
      [tshirtM, tshirtL, silent],
      { ...config, filter: { field_id: 'topics', value: 'ai' } },
      [],
    );
    expect(ids(ai)).toEqual([tshirtM.id]);
    expect(matchesFilter({ topics: ['wide'] }, { field_id: 'topics', value: 'w' })).toBe(false);
  });

  it('checkbox matches true/false, also given as text', () => {
    const yes = selectPool(
      [tshirtM, tshirtL, silent],
      { ...config, filter: { field_id: 'newsletter', value: true } },
      [],
    );
    expect(ids(yes)).toEqual([tshirtM.id]);
    const no = selectPool(
      [tshirtM, tshirtL, silent],
      { ...config, filter: { field_id: 'newsletter', value: 'false' } },
      [],
    );
    expect(ids(no)).toEqual([tshirtL.id]);
  });
});
