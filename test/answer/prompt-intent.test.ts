import { describe, expect, it } from 'vitest';
import { answerMessages } from '../../src/answer/llm/prompt.js';

describe('the LLM prompt carries what the question asks for', () => {
  it.each([
    ["résume l'article sur le port", /summary/],
    ['who runs acme?', /asks who/],
    ['when did the plant open?', /asks when/],
    ['is the museum free?', /yes\/no/],
  ])('%s', (question, task) => {
    const user = answerMessages(question, 'en', [])[1]!.content;
    expect(user).toMatch(task);
    // The task is ours, outside the tags that hold untrusted text.
    expect(user.indexOf('</question>')).toBeLessThan(user.search(task));
  });
});
