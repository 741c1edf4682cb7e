// The bot knows its answers by their Discord message ids, which come back only
// once Discord acknowledges each message. A reply to an answer (or a 👍/👎 on it)
// may arrive before that acknowledgement: it must still find the answer.
import { describe, expect, it } from 'vitest';
import { Conversations } from '../../src/discord/conversations.js';

const record = { question: 'Combien d’emplois ?', answer: '1 500 emplois [1]', citations: [], history: [] };

describe('conversations', () => {
  it('finds an answer looked up while Discord has not yet returned its message id', async () => {
    const conversations = new Conversations();
    let acknowledge!: (ids: string[]) => void;
    const sent = conversations.rememberWhenSent(new Promise<string[]>((resolve) => (acknowledge = resolve)), record);
    const lookup = conversations.find('m1');
    acknowledge(['m1', 'm2']);
    expect(await lookup).toBe(record);
    expect(await sent).toEqual(['m1', 'm2']);
    expect(await conversations.find('m2')).toBe(record);
  });

  it('answers undefined for a message that is no answer, once the answers being sent are settled, a failed one included', async () => {
    const conversations = new Conversations();
    let fail!: (error: Error) => void;
    const sent = conversations.rememberWhenSent(new Promise<string[]>((_, reject) => (fail = reject)), record);
    const lookup = conversations.find('other');
    fail(new Error('Discord refused the message'));
    await expect(sent).rejects.toThrow('refused');
    expect(await lookup).toBeUndefined();
    expect(await conversations.find(undefined)).toBeUndefined();
  });

  it('forgets the oldest answers past its capacity', async () => {
    const conversations = new Conversations(2);
    for (const id of ['a', 'b', 'c']) await conversations.rememberWhenSent(Promise.resolve([id]), { ...record, question: id });
    expect(await conversations.find('a')).toBeUndefined();
    expect((await conversations.find('c'))?.question).toBe('c');
  });
});
