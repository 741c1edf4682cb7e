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
  /** Answers sent to Discord whose message ids have not come back yet. */
  private readonly sending = new Set<Promise<unknown>>();

  constructor(private readonly capacity = 2_000) {}

  /** Remembers an answer under its message ids once Discord returns them (`sent`); `find` waits for it meanwhile. */
  rememberWhenSent(sent: Promise<string[]>, record: AnswerRecord): Promise<string[]> {
    const remembered = sent.then((ids) => {
      this.remember(ids, record);
      return ids;
    });
    this.sending.add(remembered);
    remembered.finally(() => this.sending.delete(remembered)).catch(() => undefined); // the caller handles a failed send
    return remembered;
  }

  /**
   * The answer a message is, or undefined. An id not known yet is looked up again once the answers
   * being sent have their ids: a reply (or a button press) can reach the bot before Discord's
   * acknowledgement of the answer it refers to.
   */
  async find(messageId: string | undefined): Promise<AnswerRecord | undefined> {
    if (!messageId) return undefined;
    if (!this.byMessage.has(messageId) && this.sending.size > 0) await Promise.allSettled([...this.sending]);
    return this.byMessage.get(messageId);
  }

  private remember(messageIds: string[], record: AnswerRecord): void {
    for (const id of messageIds) {
      this.byMessage.delete(id);
      this.byMessage.set(id, record);
    }
    while (this.byMessage.size > this.capacity) this.byMessage.delete(this.byMessage.keys().next().value!);
  }

  /** The turns a follow-up to this answer should carry (at most the last three). */
  historyAfter(record: AnswerRecord): Turn[] {
    return [...record.history, { question: record.question, answer: record.answer }].slice(-3);
  }
}
