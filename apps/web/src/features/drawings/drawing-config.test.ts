import type { DrawingConfig } from '@eventmanager/domain/drawings/schema';
import type { FormField } from '@eventmanager/domain/events/form-field';
import { describe, expect, it } from 'vitest';
import { configFromSearch, configToSearch, filterableFields, filterValues } from './drawing-config.ts';

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
