import { describe, expect, it } from 'vitest';
import { renderMail } from './render.ts';

const event = {
  id: '00000000-0000-4000-8000-000000000001',
  name: '북클럽 3월',
  description: '',
  language: 'ko' as const,
  location: { type: 'physical' as const, address: '서울시 강남구', coordinates: null, online_link: null },
  datetime: { start: '2026-04-01T19:00:00+09:00', end: '2026-04-01T21:00:00+09:00', timezone: 'Asia/Seoul' },
  share_url: 'http://localhost:3000/e/abc',
};

describe('organizer message e-mail', () => {
  it('carries the organizer’s subject and paragraphs, escaped, with the event and the manage link', async () => {
    const mail = await renderMail(
      {
        type: 'organizer_message',
        data: {
          language: 'ko',
          recipient_name: '홍길동',
          branding: null,
          event,
          manage_url: 'http://localhost:3000/m/token',
          subject: '주차 안내',
          body: '지하 2층에 <b>주차</b>할 수 있어요.\n\n입구는 정문입니다.',
        },
      },
      { publicUrl: 'http://localhost:3000', now: new Date('2026-03-01T00:00:00Z') },
    );
    expect(mail.subject).toBe('[북클럽 3월] 주차 안내');
    expect(mail.text).toContain('홍길동님, 안녕하세요.');
    expect(mail.text).toContain('입구는 정문입니다.');
    expect(mail.text).toContain('http://localhost:3000/m/token');
    expect(mail.html).toContain('&lt;b&gt;주차&lt;/b&gt;');
    expect(mail.html).not.toContain('<b>주차</b>');
    expect(mail.attachments).toEqual([]);
  });
});
