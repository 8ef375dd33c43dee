import { describe, expect, it } from 'vitest';
import { mapLinks } from './map-links.ts';

describe('mapLinks', () => {
  it('searches the address on Kakao Map and Naver Map, encoded', () => {
    expect(mapLinks(' 서울 마포구 홍대 북카페 ')).toEqual({
      kakao:
        'https://map.kakao.com/link/search/%EC%84%9C%EC%9A%B8%20%EB%A7%88%ED%8F%AC%EA%B5%AC%20%ED%99%8D%EB%8C%80%20%EB%B6%81%EC%B9%B4%ED%8E%98',
      naver:
        'https://map.naver.com/p/search/%EC%84%9C%EC%9A%B8%20%EB%A7%88%ED%8F%AC%EA%B5%AC%20%ED%99%8D%EB%8C%80%20%EB%B6%81%EC%B9%B4%ED%8E%98',
    });
    expect(mapLinks('1 Main St & 2nd?').kakao).toBe(
      'https://map.kakao.com/link/search/1%20Main%20St%20%26%202nd%3F',
    );
  });
});
