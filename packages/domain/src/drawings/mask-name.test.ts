import { describe, expect, it } from 'vitest';
import { maskName } from './mask-name.ts';

describe('maskName', () => {
  it.each([
    ['박민호', '박*호'],
    ['김민', '김*'],
    ['남궁민수', '남**수'],
    ['제갈공명선', '제***선'],
    ['홍 길동', '홍 *동'],
    ['  이서연  ', '이*연'],
  ])('Korean: %s → %s', (name, masked) => {
    expect(maskName(name)).toBe(masked);
  });

  it.each([
    ['Alice Kim', 'A**** K**'],
    ['Jean-Luc Picard', 'J***-L** P*****'],
    ["O'Neil", "O'N***"],
    ['Guest 7', 'G**** 7'],
    ['Zoë', 'Z**'],
    ['Kim 민수', 'K** 민*'],
  ])('other scripts: %s → %s', (name, masked) => {
    expect(maskName(name)).toBe(masked);
  });

  it('never returns a one-character name as is, and keeps an empty one empty', () => {
    expect(maskName('박')).toBe('*');
    expect(maskName('A')).toBe('*');
    expect(maskName('   ')).toBe('');
  });

  it('counts grapheme clusters: a decomposed accent or an emoji is masked whole', () => {
    expect(maskName('Zoe\u0308 Lee')).toBe('Z** L**');
    expect(maskName('민👍수')).toBe('민*수');
  });

  it('always hides something from a name of two or more characters', () => {
    for (const name of ['김민', 'Al', '박민호', 'Alice', 'Guest 12', '홍 길동']) {
      expect(maskName(name)).not.toBe(name);
      expect(maskName(name)).toContain('*');
    }
  });
});
