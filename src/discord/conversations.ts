// The bot's recent answers by Discord message id, so a reply to one is a
// follow-up and a 👍/👎 under one can be recorded. Bounded: the oldest go first.
import type { Citation, Turn } from '../types.js';

export interface AnswerRecord {
  question: string;
  answer: string;
  citations: Citation[];
  /** Earlier turns of the same conversation, oldest first. */
  history: Turn[];
}

export class Conversations {
  private readonly byMessage = new Map<string, AnswerRecord>();

  constructor(private readonly capacity = 2_000) {}

  remember(messageIds: string[], record: AnswerRecord): void {
    for (const id of messageIds) {
      this.byMessage.delete(id);
      this.byMessage.set(id, record);
    }
    while (this.byMessage.size > this.capacity) this.byMessage.delete(this.byMessage.keys().next().value!);
  }

  get(messageId: string | undefined): AnswerRecord | undefined {
    return messageId ? this.byMessage.get(messageId) : undefined;
  }

  /** The turns a follow-up to this answer should carry (at most the last three). */
  historyAfter(record: AnswerRecord): Turn[] {
    return [...record.history, { question: record.question, answer: record.answer }].slice(-3);
  }
}
