/**
 * Kakao Map and Naver Map searches for a street address (the two maps Korean participants use;
 * each link opens its app on a phone). The public page and the e-mails link the event's address.
 */
export function mapLinks(address: string): { kakao: string; naver: string } {
  const q = encodeURIComponent(address.trim());
  return { kakao: `https://map.kakao.com/link/search/${q}`, naver: `https://map.naver.com/p/search/${q}` };
}
