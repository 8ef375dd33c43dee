import type { DrawingConfig } from '@eventmanager/domain/drawings/schema';
import type { FormField } from '@eventmanager/domain/events/form-field';
import { describe, expect, it } from 'vitest';
import {
  checkDrawOptions,
  configFromSearch,
  configToSearch,
  filterableFields,
  filterValues,
  optionsFromSearch,
  optionsToBody,
  optionsToSearch,
} from './drawing-config.ts';

const fields: FormField[] = [
  { id: 'size', type: 'single_choice', label: 'Size', required: false, options: ['S', 'M'] },
  { id: 'topics', type: 'multi_choice', label: 'Topics', required: false, options: ['ai', 'web'] },
  { id: 'news', type: 'checkbox', label: 'News', required: false },
  { id: 'bio', type: 'text', label: 'Bio', required: false },
];

describe('drawing config in the projector address', () => {
  const cases: DrawingConfig[] = [
    { participant_pool: 'all', exclude_previous_winners: false, filter: null },
    {
      participant_pool: 'checked_in',
      exclude_previous_winners: true,
      filter: { field_id: 'size', value: 'M' },
    },
    { participant_pool: 'all', exclude_previous_winners: true, filter: { field_id: 'news', value: false } },
    {
      participant_pool: 'all',
      exclude_previous_winners: false,
      filter: { field_id: 'topics', value: '웹 개발' },
    },
  ];
  it.each(cases)('round-trips %j', (config) => {
    expect(configFromSearch(new URLSearchParams(configToSearch(config)))).toEqual(config);
  });

  it('defaults to the checked-in pool when the address says nothing', () => {
    expect(configFromSearch(new URLSearchParams(''))).toEqual({
      participant_pool: 'checked_in',
      exclude_previous_winners: false,
      filter: null,
    });
  });
});

describe('filter choices', () => {
  it('offers choice and checkbox questions only, with their values', () => {
    expect(filterableFields(fields).map((f) => f.id)).toEqual(['size', 'topics', 'news']);
    expect(filterValues(fields[0]!).map((v) => v.value)).toEqual(['S', 'M']);
    expect(filterValues(fields[2]!).map((v) => v.value)).toEqual([true, false]);
  });
});

describe('prize and number of winners', () => {
  const config: DrawingConfig = { participant_pool: 'all', exclude_previous_winners: true, filter: null };

  it('round-trips through the projector address', () => {
    const options = { prize: '에어팟 프로 & 굿즈', winnerCount: 3 };
    const search = new URLSearchParams(optionsToSearch(config, options));
    expect(optionsFromSearch(search)).toEqual(options);
    expect(configFromSearch(search)).toEqual(config);
    expect(optionsToSearch(config, { prize: ' ', winnerCount: 1 })).toBe(configToSearch(config));
  });

  it('falls back to one winner and no prize for missing or bad values', () => {
    for (const bad of ['0', '-1', '101', '2.5', 'abc', '']) {
      expect(optionsFromSearch(new URLSearchParams({ count: bad })).winnerCount).toBe(1);
    }
    expect(optionsFromSearch(new URLSearchParams({ prize: 'x'.repeat(150) })).prize).toHaveLength(100);
  });

  it('validates before drawing: count range, count against the pool, prize length', () => {
    expect(checkDrawOptions({ prize: '', winnerCount: 3 }, 5)).toBeNull();
    expect(checkDrawOptions({ prize: '', winnerCount: 0 }, 5)).toEqual({
      key: 'config.count.invalid',
      max: 100,
    });
    expect(checkDrawOptions({ prize: '', winnerCount: 1.5 }, 5)?.key).toBe('config.count.invalid');
    expect(checkDrawOptions({ prize: '', winnerCount: 6 }, 5)).toEqual({
      key: 'config.count.morethanPool',
      pool: 5,
    });
    expect(checkDrawOptions({ prize: 'x'.repeat(101), winnerCount: 1 }, 5)?.key).toBe('config.prize.tooLong');
    // An unknown or empty pool is the pool preview's to explain.
    expect(checkDrawOptions({ prize: '', winnerCount: 6 }, null)).toBeNull();
  });

  it('leaves a blank prize out of the request', () => {
    expect(optionsToBody({ prize: '  ', winnerCount: 2 })).toEqual({ winner_count: 2 });
    expect(optionsToBody({ prize: ' 상품권 ', winnerCount: 1 })).toEqual({
      prize: '상품권',
      winner_count: 1,
    });
  });
});
